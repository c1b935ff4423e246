// Hijri (Umm al-Qura) dates with the Gregorian date beside them, always in Asia/Riyadh, for beneficiary texts.
import type { Locale } from '../core/messages.ts';

export const RIYADH = 'Asia/Riyadh';

// Calendar and digits are spelled out: on current ICU plain `ar-SA` formats Gregorian, and
// `islamic` / `islamic-rgsa` are astronomical variants that drift a day from Umm al-Qura.
const HIJRI_LOCALE: Record<Locale, string> = {
  ar: 'ar-SA-u-ca-islamic-umalqura-nu-arab',
  en: 'en-u-ca-islamic-umalqura-nu-latn',
};
const GREGORIAN_LOCALE: Record<Locale, string> = {
  ar: 'ar-SA-u-ca-gregory-nu-arab',
  en: 'en-GB-u-ca-gregory-nu-latn',
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const cacheKey = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(cacheKey);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: RIYADH, ...options });
    formatters.set(cacheKey, f);
  }
  return f;
}

function parts(date: Date, locale: string, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(locale, options).formatToParts(date)) out[p.type] = p.value;
  return out;
}

const LONG_DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };

function assertValid(date: Date): void {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
}

/** «١١ ربيع الأول ١٤٤٦هـ الموافق ١٤ سبتمبر ٢٠٢٤م» / «11 Rabiʻ I 1446 AH (14 September 2024)». */
export function formatDualDate(date: Date, locale: Locale): string {
  assertValid(date);
  // Built from parts so the order does not depend on each ICU version's pattern for the locale.
  const h = parts(date, HIJRI_LOCALE[locale], LONG_DATE);
  const g = parts(date, GREGORIAN_LOCALE[locale], LONG_DATE);
  if (locale === 'ar') return `${h.day} ${h.month} ${h.year}هـ الموافق ${g.day} ${g.month} ${g.year}م`;
  return `${h.day} ${h.month} ${h.year} AH (${g.day} ${g.month} ${g.year})`;
}

/** The clock time in Riyadh: «٨:٠٠ ص» / «8:00 AM». */
export function formatRiyadhTime(date: Date, locale: Locale): string {
  assertValid(date);
  const loc = locale === 'ar' ? 'ar-SA-u-nu-arab' : 'en-US-u-nu-latn';
  // Newer ICU puts U+202F / U+00A0 before AM/PM; plain spaces keep chat texts and tests predictable.
  return formatter(loc, { hour: 'numeric', minute: '2-digit', hour12: true }).format(date).replace(/[\u00a0\u202f]/g, ' ');
}

/** The dual date followed by the Riyadh time: «… الموافق ١٤ سبتمبر ٢٠٢٤م، الساعة ٨:٠٠ ص». */
export function formatDualDateTime(date: Date, locale: Locale): string {
  const time = formatRiyadhTime(date, locale);
  return locale === 'ar' ? `${formatDualDate(date, locale)}، الساعة ${time}` : `${formatDualDate(date, locale)}, at ${time}`;
}

/** YYYY-MM-DD of the calendar day in Riyadh (holiday lookups, day arithmetic). */
export function toRiyadhDateString(date: Date): string {
  assertValid(date);
  const p = parts(date, 'en-US-u-ca-gregory-nu-latn', { year: 'numeric', month: '2-digit', day: '2-digit' });
  return `${p.year}-${p.month}-${p.day}`;
}
