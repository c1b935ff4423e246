// Numbers, «منذ ٥ دقائق», durations and Hijri dates with the Gregorian beside them, all in Riyadh time.
import { fill, strings, type Plural } from './i18n.ts';
import type { Locale } from './types.ts';

export const RIYADH = 'Asia/Riyadh';

// Calendar and digits spelled out: plain `ar-SA` formats Gregorian on current ICU, and `islamic` /
// `islamic-rgsa` drift a day from Umm al-Qura.
const NUM: Record<Locale, string> = { ar: 'ar-SA-u-nu-arab', en: 'en-GB-u-nu-latn' };
const HIJRI: Record<Locale, string> = { ar: 'ar-SA-u-ca-islamic-umalqura-nu-arab', en: 'en-u-ca-islamic-umalqura-nu-latn' };
const GREG: Record<Locale, string> = { ar: 'ar-SA-u-ca-gregory-nu-arab', en: 'en-GB-u-ca-gregory-nu-latn' };
const TIME: Record<Locale, string> = { ar: 'ar-SA-u-nu-arab', en: 'en-US-u-nu-latn' };

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(tag: string, timeZone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tag}|${timeZone}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(tag, { ...opts, timeZone })));
  return f;
}

function parts(d: Date, tag: string, timeZone: string, opts: Intl.DateTimeFormatOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of dtf(tag, timeZone, opts).formatToParts(d)) out[p.type] = p.value;
  return out;
}

export function formatNumber(n: number, locale: Locale, fractionDigits = 0): string {
  return new Intl.NumberFormat(NUM[locale], { maximumFractionDigits: fractionDigits, minimumFractionDigits: 0 }).format(n);
}

export function formatSize(bytes: number, locale: Locale): string {
  const s = strings(locale);
  if (bytes >= 1024 * 1024) return `${formatNumber(bytes / (1024 * 1024), locale, 1)} ${s.mb}`;
  return `${formatNumber(Math.max(1, Math.round(bytes / 1024)), locale)} ${s.kb}`;
}

const plurals = new Map<Locale, Intl.PluralRules>();
function plural(table: Plural, n: number, locale: Locale): string {
  let rules = plurals.get(locale);
  if (!rules) plurals.set(locale, (rules = new Intl.PluralRules(locale)));
  const cat = rules.select(n);
  const text = table[cat] ?? table.other;
  return fill(text, { n: formatNumber(n, locale) });
}

/** «٥ ثوانٍ», «ثانيتين» / "5 seconds" (how long to wait after a throttle). */
export function countSeconds(n: number, locale: Locale): string {
  return plural(strings(locale).seconds, Math.max(1, Math.ceil(n)), locale);
}

/** «منذ لحظات», «منذ دقيقتين», «منذ ٥ دقائق», «منذ ١١ دقيقة» / "5 minutes ago". */
export function timeAgo(seconds: number, locale: Locale): string {
  const s = strings(locale);
  const sec = Math.max(0, Math.floor(seconds));
  if (sec < 60) return s.justNow;
  if (sec < 3600) return plural(s.minutesAgo, Math.floor(sec / 60), locale);
  if (sec < 86400) return plural(s.hoursAgo, Math.floor(sec / 3600), locale);
  return plural(s.daysAgo, Math.floor(sec / 86400), locale);
}

/** How long ago `iso` (or epoch ms) was, relative to `nowMs`; '' when the date is unreadable. */
export function agoFrom(when: string | number | undefined, nowMs: number, locale: Locale): string {
  const t = typeof when === 'number' ? when : when ? Date.parse(when) : NaN;
  return Number.isFinite(t) ? timeAgo((nowMs - t) / 1000, locale) : '';
}

/** A waiting time for reports: «٣ د ٢٠ ث», «١ س ٥ د» / "3 min 20 s". */
export function formatDuration(seconds: number | null, locale: Locale): string {
  if (seconds === null || !Number.isFinite(seconds)) return strings(locale).none;
  const u = strings(locale).unit;
  const t = Math.round(Math.max(0, seconds));
  const n = (x: number) => formatNumber(x, locale);
  if (t < 60) return `${n(t)} ${u.s}`;
  if (t < 3600) return t % 60 ? `${n(Math.floor(t / 60))} ${u.m} ${n(t % 60)} ${u.s}` : `${n(t / 60)} ${u.m}`;
  const m = Math.floor((t % 3600) / 60);
  return m ? `${n(Math.floor(t / 3600))} ${u.h} ${n(m)} ${u.m}` : `${n(Math.floor(t / 3600))} ${u.h}`;
}

const LONG: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };

function toDate(v: string | Date): Date | undefined {
  const d = typeof v === 'string' ? new Date(v) : v;
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** «١١ ربيع الأول ١٤٤٦هـ الموافق ١٤ سبتمبر ٢٠٢٤م» / "11 Rabiʻ I 1446 AH (14 September 2024)"; '' if unreadable. */
export function dualDate(v: string | Date, locale: Locale, timeZone = RIYADH): string {
  const d = toDate(v);
  if (!d) return '';
  // Built from parts so the order does not depend on each ICU version's pattern (and no doubled era).
  const h = parts(d, HIJRI[locale], timeZone, LONG);
  const g = parts(d, GREG[locale], timeZone, LONG);
  return fill(strings(locale).dualDate, { h: `${h.day} ${h.month} ${h.year}`, g: `${g.day} ${g.month} ${g.year}` });
}

/** «١٠:٠٥ ص» / "10:05 AM" in Riyadh. */
export function clock(v: string | Date, locale: Locale, timeZone = RIYADH): string {
  const d = toDate(v);
  if (!d) return '';
  // Newer ICU puts U+202F / U+00A0 before AM/PM; plain spaces keep text and tests predictable.
  return dtf(TIME[locale], timeZone, { hour: 'numeric', minute: '2-digit', hour12: true }).format(d).replace(/[\u00a0\u202f]/g, ' ');
}

/** The dual date followed by the time: «… الموافق ١٤ سبتمبر ٢٠٢٤م، الساعة ١٠:٠٥ ص». */
export function dualDateTime(v: string | Date, locale: Locale, timeZone = RIYADH): string {
  const d = dualDate(v, locale, timeZone);
  return d ? fill(strings(locale).dualDateTime, { d, t: clock(v, locale, timeZone) }) : '';
}

/** A short stamp for chat bubbles: the time today, else «١٤ سبتمبر ١٠:٠٥ ص». */
export function stamp(v: string, locale: Locale, nowMs: number, timeZone = RIYADH): string {
  const d = toDate(v);
  if (!d) return '';
  const day = (x: Date) => dtf('en-CA', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(x);
  if (day(d) === day(new Date(nowMs))) return clock(d, locale, timeZone);
  return `${dtf(GREG[locale], timeZone, { day: 'numeric', month: 'short' }).format(d)} ${clock(d, locale, timeZone)}`;
}

/** A report day (YYYY-MM-DD) as «١٤ سبتمبر» / "14 Sep"; the text itself when it is not a date. */
export function shortDay(day: string, locale: Locale): string {
  const t = Date.parse(`${day}T12:00:00Z`);
  return Number.isNaN(t) ? day : dtf(GREG[locale], 'UTC', { day: 'numeric', month: 'short' }).format(new Date(t));
}

/** YYYY-MM-DD of the day in Riyadh, `offsetDays` later (report ranges, date inputs). */
export function riyadhDay(nowMs: number, offsetDays = 0): string {
  return dtf('en-CA', RIYADH, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(nowMs + offsetDays * 86_400_000));
}

/**
 * A `datetime-local` value read as Riyadh wall time (UTC+3 all year, no daylight saving) → ISO in UTC,
 * so what the officer typed is what the beneficiary sees whatever the officer's machine is set to.
 */
export function riyadhInputToIso(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h - 3, mi);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** Converts Arabic-Indic and Persian digits to ASCII (ID and phone inputs accept ٠–٩). */
export function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (c) => String((c.charCodeAt(0) & 0xf) % 10));
}
