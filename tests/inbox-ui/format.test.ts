// Inbox formatting: «منذ ٥ دقائق» with Arabic plurals, Hijri + Gregorian dates in Riyadh, durations, Riyadh input times.
import { describe, expect, it } from 'vitest';
import { agoFrom, asciiDigits, countSeconds, clock, dualDate, dualDateTime, formatDuration, formatNumber, formatSize, riyadhDay, riyadhInputToIso, shortDay, stamp, timeAgo } from '../../web/inbox/src/format.ts';
import './strings.ts';

/** Noon in Riyadh on a Gregorian day, far from any day boundary. */
const riyadhNoon = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d, 9));

describe('time ago', () => {
  it('uses the Arabic plural forms with Arabic-Indic digits', () => {
    expect(timeAgo(10, 'ar')).toBe('منذ لحظات');
    expect(timeAgo(60, 'ar')).toBe('منذ دقيقة');
    expect(timeAgo(2 * 60 + 30, 'ar')).toBe('منذ دقيقتين');
    expect(timeAgo(5 * 60, 'ar')).toBe('منذ ٥ دقائق');
    expect(timeAgo(10 * 60, 'ar')).toBe('منذ ١٠ دقائق');
    expect(timeAgo(11 * 60, 'ar')).toBe('منذ ١١ دقيقة');
    expect(timeAgo(3600, 'ar')).toBe('منذ ساعة');
    expect(timeAgo(2 * 3600, 'ar')).toBe('منذ ساعتين');
    expect(timeAgo(3 * 3600, 'ar')).toBe('منذ ٣ ساعات');
    expect(timeAgo(86400, 'ar')).toBe('منذ يوم');
    expect(timeAgo(2 * 86400, 'ar')).toBe('منذ يومين');
    expect(timeAgo(4 * 86400, 'ar')).toBe('منذ ٤ أيام');
    expect(timeAgo(15 * 86400, 'ar')).toBe('منذ ١٥ يومًا');
    expect(timeAgo(100 * 86400, 'ar')).toBe('منذ ١٠٠ يوم');
  });

  it('counts seconds to wait with the right Arabic form', () => {
    expect([1, 2, 5, 10, 11, 60].map((n) => countSeconds(n, 'ar'))).toEqual(['ثانية واحدة', 'ثانيتين', '٥ ثوانٍ', '١٠ ثوانٍ', '١١ ثانية', '٦٠ ثانية']);
    expect(countSeconds(0.2, 'en')).toBe('1 second');
    expect(countSeconds(42, 'en')).toBe('42 seconds');
  });

  it('reads naturally in English', () => {
    expect(timeAgo(5, 'en')).toBe('just now');
    expect(timeAgo(60, 'en')).toBe('1 minute ago');
    expect(timeAgo(2 * 60, 'en')).toBe('2 minutes ago');
    expect(timeAgo(59 * 60 + 59, 'en')).toBe('59 minutes ago');
    expect(timeAgo(3600, 'en')).toBe('1 hour ago');
    expect(timeAgo(5 * 86400, 'en')).toBe('5 days ago');
  });

  it('never goes negative (a clock a little ahead of the server) and measures from ISO or epoch', () => {
    expect(timeAgo(-30, 'en')).toBe('just now');
    const now = Date.parse('2024-09-14T12:00:00Z');
    expect(agoFrom('2024-09-14T11:55:00Z', now, 'ar')).toBe('منذ ٥ دقائق');
    expect(agoFrom(now - 3 * 60_000, now, 'en')).toBe('3 minutes ago');
    expect(agoFrom('not a date', now, 'en')).toBe('');
    expect(agoFrom(undefined, now, 'en')).toBe('');
  });
});

describe('Hijri with the Gregorian date beside it', () => {
  it('writes «… هـ الموافق … م» in Arabic (Umm al-Qura, Arabic-Indic digits)', () => {
    expect(dualDate(riyadhNoon(2024, 9, 14), 'ar')).toBe('١١ ربيع الأول ١٤٤٦هـ الموافق ١٤ سبتمبر ٢٠٢٤م');
    expect(dualDate(riyadhNoon(2025, 3, 1), 'ar')).toBe('١ رمضان ١٤٤٦هـ الموافق ١ مارس ٢٠٢٥م');
  });

  it('writes the English form', () => {
    expect(dualDate(riyadhNoon(2024, 9, 14), 'en')).toBe('11 Rabiʻ I 1446 AH (14 September 2024)');
  });

  it('decides the day in Riyadh, not in the machine or UTC', () => {
    // 22:30 UTC on 13 September is 01:30 on the 14th in Riyadh.
    expect(dualDate('2024-09-13T22:30:00Z', 'ar')).toBe('١١ ربيع الأول ١٤٤٦هـ الموافق ١٤ سبتمبر ٢٠٢٤م');
    expect(dualDate('2024-09-13T22:30:00Z', 'en', 'UTC')).toMatch(/13 September 2024/);
  });

  it('adds the Riyadh time, and gives nothing for an unreadable date', () => {
    expect(dualDateTime('2024-09-14T07:05:00Z', 'ar')).toBe('١١ ربيع الأول ١٤٤٦هـ الموافق ١٤ سبتمبر ٢٠٢٤م، الساعة ١٠:٠٥ ص');
    expect(dualDateTime('2024-09-14T13:30:00Z', 'en')).toBe('11 Rabiʻ I 1446 AH (14 September 2024), 4:30 PM');
    expect(dualDate('', 'ar')).toBe('');
    expect(dualDateTime('nope', 'en')).toBe('');
    expect(clock('2024-09-14T13:30:00Z', 'en')).toBe('4:30 PM');
  });

  it('stamps bubbles with the time today and a short date before', () => {
    const now = Date.parse('2024-09-14T12:00:00Z');
    expect(stamp('2024-09-14T07:05:00Z', 'en', now)).toBe('10:05 AM');
    // ICU versions disagree on "Sep" / "Sept".
    expect(stamp('2024-09-10T07:05:00Z', 'en', now)).toMatch(/^10 Sept? 10:05 AM$/);
    expect(stamp('2024-09-10T07:05:00Z', 'ar', now)).toMatch(/^١٠ سبتمبر ١٠:٠٥ ص$/);
  });
});

describe('numbers, durations and inputs', () => {
  it('formats numbers and sizes per language', () => {
    expect(formatNumber(1234, 'ar')).toBe('١٬٢٣٤');
    expect(formatNumber(4.25, 'ar', 1)).toBe('٤٫٣');
    expect(formatNumber(4.25, 'en', 1)).toBe('4.3');
    expect(formatSize(2048, 'en')).toBe('2 KB');
    expect(formatSize(3 * 1024 * 1024, 'ar')).toBe('٣ م.ب');
  });

  it('writes waiting times compactly', () => {
    expect(formatDuration(45, 'en')).toBe('45 s');
    expect(formatDuration(200, 'en')).toBe('3 min 20 s');
    expect(formatDuration(180, 'ar')).toBe('٣ د');
    expect(formatDuration(3900, 'en')).toBe('1 h 5 min');
    expect(formatDuration(null, 'en')).toBe('—');
  });

  it('reads a datetime-local value as Riyadh wall time (UTC+3)', () => {
    expect(riyadhInputToIso('2024-09-14T10:00')).toBe('2024-09-14T07:00:00.000Z');
    expect(riyadhInputToIso('2024-09-14T01:30')).toBe('2024-09-13T22:30:00.000Z');
    expect(riyadhInputToIso('')).toBeUndefined();
    expect(riyadhInputToIso('14/09/2024 10:00')).toBeUndefined();
  });

  it('gives the Riyadh calendar day for report ranges', () => {
    const t = Date.parse('2024-09-13T22:30:00Z');
    expect(riyadhDay(t)).toBe('2024-09-14');
    expect(riyadhDay(t, -29)).toBe('2024-08-16');
    expect(shortDay('2024-09-14', 'ar')).toBe('١٤ سبتمبر');
    expect(shortDay('total', 'en')).toBe('total');
  });

  it('turns Arabic-Indic and Persian digits into ASCII (search by ID or phone)', () => {
    expect(asciiDigits('٠٥٥١٢٣٤٥٦٧')).toBe('0551234567');
    expect(asciiDigits('۱۲۳ abc 9')).toBe('123 abc 9');
  });
});
