// Timestamps, numbers, file sizes, link and reference splitting, in the visitor's own time zone and the UI language.
import type { Locale } from './types.ts';

// Calendar and digits are explicit: plain "ar" differs between ICU versions.
const TAGS: Record<Locale, string> = { ar: 'ar-SA-u-ca-gregory-nu-arab', en: 'en-GB' };
const cache = new Map<string, Intl.DateTimeFormat>();

function dtf(locale: Locale, opts: Intl.DateTimeFormatOptions, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = locale + (timeZone ?? '') + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(TAGS[locale], timeZone ? { ...opts, timeZone } : opts);
    cache.set(key, f);
  }
  return f;
}

export function formatNumber(n: number, locale: Locale, fractionDigits = 0): string {
  return new Intl.NumberFormat(TAGS[locale], { maximumFractionDigits: fractionDigits }).format(n);
}

const DAY: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };

/**
 * A chat timestamp: the time alone for today, a short date otherwise (with the year when it is not this
 * year); `full` is for a tooltip. `timeZone` is left undefined in the browser: the visitor's own zone.
 */
export function formatStamp(iso: string, locale: Locale, now: Date = new Date(), timeZone?: string): { short: string; full: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { short: '', full: '' };
  const day = (x: Date) => dtf('en', DAY, timeZone).format(x);
  const full = dtf(locale, { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' }, timeZone).format(d);
  // en-GB reads 24-hour "09:05"; Arabic reads "٩:٠٥ ص".
  if (day(d) === day(now)) return { short: dtf(locale, { hour: locale === 'en' ? '2-digit' : 'numeric', minute: '2-digit' }, timeZone).format(d), full };
  const sameYear = day(d).slice(-4) === day(now).slice(-4);
  const opts: Intl.DateTimeFormatOptions = sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' };
  return { short: dtf(locale, opts, timeZone).format(d), full };
}

export function formatSize(bytes: number, locale: Locale, units: { kb: string; mb: string }): string {
  if (bytes >= 1024 * 1024) return `${formatNumber(bytes / (1024 * 1024), locale, 1)} ${units.mb}`;
  return `${formatNumber(Math.max(1, Math.round(bytes / 1024)), locale)} ${units.kb}`;
}

export interface Segment {
  text: string;
  href?: string;
  /** A request reference: shown left to right and never broken at its dashes, inside Arabic too. */
  reference?: true;
}

// Punctuation that usually ends a sentence rather than a URL (Latin and Arabic).
const TRAILING = new Set('.,;:!?)]}\'"»”’،؛؟');

/** The URL without the punctuation after it (by hand: `/[…]+$/` backtracks over a long run of it). */
function withoutTrailing(url: string): string {
  let end = url.length;
  while (end > 0 && TRAILING.has(url[end - 1] ?? '')) end--;
  return url.slice(0, end);
}

/** Splits text into plain runs and http(s) links; the caller renders both with textContent. */
export function splitLinks(text: string): Segment[] {
  const out: Segment[] = [];
  const re = /https?:\/\/[^\s<>"]+/gi;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const url = withoutTrailing(m[0]);
    if (url.length < 9) continue;
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: url, href: url });
    last = m.index + url.length;
    re.lastIndex = last;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

// Request references: the random ones (TW-1448-7K3M9QX) and the older sequential ones (TW-1448-00042, VL-1448-00007).
const REFERENCE = /\b[A-Z]{2}-\d{4}-[0-9A-Z]{5,7}\b/g;

/** A bubble's text as plain runs, links and references (the caller renders all with textContent). */
export function splitBubble(text: string): Segment[] {
  return splitLinks(text).flatMap((seg): Segment[] => {
    if (seg.href) return [seg];
    const out: Segment[] = [];
    let last = 0;
    REFERENCE.lastIndex = 0;
    for (let m = REFERENCE.exec(seg.text); m; m = REFERENCE.exec(seg.text)) {
      if (m.index > last) out.push({ text: seg.text.slice(last, m.index) });
      out.push({ text: m[0], reference: true });
      last = m.index + m[0].length;
    }
    if (last < seg.text.length) out.push({ text: seg.text.slice(last) });
    return out;
  });
}

/** An appointment as Saudis read it: the Hijri (Umm al-Qura) date, then the Gregorian one and the time, in Riyadh. */
export function formatDual(iso: string, locale: Locale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const zone = 'Asia/Riyadh';
  const hijri = new Intl.DateTimeFormat(locale === 'ar' ? 'ar-SA-u-ca-islamic-umalqura-nu-arab' : 'en-u-ca-islamic-umalqura', { day: 'numeric', month: 'long', year: 'numeric', timeZone: zone }).format(d);
  const greg = dtf(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit' }, zone).format(d);
  return `${hijri} — ${greg}`;
}
