// Hijri (Umm al-Qura) + Gregorian dates: known pairs, Arabic-Indic digits, the plain ar-SA trap, Riyadh time zone.
import { gregorianToHijri, hijriToGregorian } from '@tabby_ai/hijri-converter';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDualDate, formatDualDateTime, toRiyadhDateString } from '../../src/dates/hijri.ts';

const AR_MONTHS = ['محرم', 'صفر', 'ربيع الأول', 'ربيع الآخر', 'جمادى الأولى', 'جمادى الآخرة', 'رجب', 'شعبان', 'رمضان', 'شوال', 'ذو القعدة', 'ذو الحجة'];
const arabicDigits = (n: number): string => String(n).replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
/** Noon in Riyadh on a Gregorian day, far from any day boundary. */
const riyadhNoon = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d, 9));

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('formatDualDate', () => {
  it('writes the known pairs in Arabic with Arabic-Indic digits', () => {
    expect(formatDualDate(riyadhNoon(2024, 9, 14), 'ar')).toBe('١١ ربيع الأول ١٤٤٦هـ الموافق ١٤ سبتمبر ٢٠٢٤م');
    expect(formatDualDate(riyadhNoon(2025, 3, 1), 'ar')).toBe('١ رمضان ١٤٤٦هـ الموافق ١ مارس ٢٠٢٥م');
  });

  it('writes the known pairs in English', () => {
    expect(formatDualDate(riyadhNoon(2024, 9, 14), 'en')).toBe('11 Rabiʻ I 1446 AH (14 September 2024)');
    expect(formatDualDate(riyadhNoon(2025, 3, 1), 'en')).toBe('1 Ramadan 1446 AH (1 March 2025)');
  });

  it('agrees with @tabby_ai/hijri-converter on those pairs', () => {
    expect(gregorianToHijri({ year: 2024, month: 9, day: 14 })).toEqual({ year: 1446, month: 3, day: 11 });
    expect(gregorianToHijri({ year: 2025, month: 3, day: 1 })).toEqual({ year: 1446, month: 9, day: 1 });
  });

  it('is Umm al-Qura for every month of 1446–1448 (checked against the converter)', () => {
    for (let year = 1446; year <= 1448; year++) {
      for (let month = 1; month <= 12; month++) {
        for (const day of [1, 15, 29]) {
          const g = hijriToGregorian({ year, month, day });
          const text = formatDualDate(riyadhNoon(g.year, g.month, g.day), 'ar');
          expect(text, `${year}-${month}-${day}`).toMatch(new RegExp(`^${arabicDigits(day)} ${AR_MONTHS[month - 1]} ${arabicDigits(year)}هـ الموافق `));
        }
      }
    }
  });

  it("matches the converter on every day of 2024–2027 (Node's ICU calendar)", () => {
    const icu = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura-nu-latn', { timeZone: 'Asia/Riyadh', day: 'numeric', month: 'numeric', year: 'numeric' });
    for (let t = Date.UTC(2024, 0, 1, 9); t < Date.UTC(2028, 0, 1); t += 86_400_000) {
      const date = new Date(t);
      const parts = Object.fromEntries(icu.formatToParts(date).map((p) => [p.type, p.value]));
      const h = gregorianToHijri({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
      expect([Number(parts.year), Number(parts.month), Number(parts.day)], date.toISOString()).toEqual([h.year, h.month, h.day]);
    }
  });

  it('avoids the ar-SA trap: the output is Hijri, not a Gregorian-only string', () => {
    const date = riyadhNoon(2024, 9, 14);
    const trap = new Intl.DateTimeFormat('ar-SA', { timeZone: 'Asia/Riyadh', dateStyle: 'long' }).format(date);
    const text = formatDualDate(date, 'ar');
    expect(text).not.toBe(trap);
    expect(text).toContain('هـ');
    expect(text).toContain('ربيع الأول');
    expect(text).toContain('١٤٤٦');
    expect(text).not.toMatch(/[0-9]/); // no Latin digits in the Arabic text
  });

  it('uses the Riyadh calendar day whatever the server time zone is', () => {
    // 22:30 UTC on 14 Sep is 01:30 on 15 Sep in Riyadh.
    const lateNight = new Date('2024-09-14T22:30:00Z');
    const localHours = new Set<number>();
    const results = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Riyadh'].map((tz) => {
      process.env.TZ = tz;
      localHours.add(lateNight.getHours());
      return [formatDualDate(lateNight, 'ar'), formatDualDate(lateNight, 'en'), toRiyadhDateString(lateNight), formatDualDateTime(lateNight, 'en')];
    });
    expect(localHours.size).toBe(4); // the process time zone really changed
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]?.[0]).toBe('١٢ ربيع الأول ١٤٤٦هـ الموافق ١٥ سبتمبر ٢٠٢٤م');
    expect(results[0]?.[2]).toBe('2024-09-15');
  });

  it('refuses an invalid date instead of printing "Invalid Date"', () => {
    expect(() => formatDualDate(new Date('nope'), 'ar')).toThrow(RangeError);
  });
});

describe('formatDualDateTime', () => {
  it('adds the Riyadh clock time', () => {
    const eightAm = new Date('2024-09-14T05:00:00Z');
    expect(formatDualDateTime(eightAm, 'ar')).toBe('١١ ربيع الأول ١٤٤٦هـ الموافق ١٤ سبتمبر ٢٠٢٤م، الساعة ٨:٠٠ ص');
    expect(formatDualDateTime(eightAm, 'en')).toBe('11 Rabiʻ I 1446 AH (14 September 2024), at 8:00 AM');
    expect(formatDualDateTime(new Date('2024-09-14T12:30:00Z'), 'ar')).toMatch(/الساعة ٣:٣٠ م$/);
  });
});

describe('toRiyadhDateString', () => {
  it('gives YYYY-MM-DD of the Riyadh day', () => {
    expect(toRiyadhDateString(new Date('2026-03-18T20:59:00Z'))).toBe('2026-03-18');
    expect(toRiyadhDateString(new Date('2026-03-18T21:00:00Z'))).toBe('2026-03-19');
  });
});
