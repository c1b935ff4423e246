// Widget timestamps (visitor's time zone, Arabic-Indic digits in Arabic), sizes and link splitting.
import { describe, expect, it } from 'vitest';
import { formatNumber, formatSize, formatStamp, splitBubble, splitLinks } from '../../web/widget/src/format.ts';

const now = new Date('2024-09-14T15:00:00Z');

describe('widget timestamps', () => {
  it('shows only the time for today, with Arabic-Indic digits in Arabic', () => {
    const ar = formatStamp('2024-09-14T10:05:00Z', 'ar', now, 'UTC');
    expect(ar.short).toMatch(/١٠:٠٥/);
    expect(ar.short).not.toMatch(/[0-9]/);
    expect(formatStamp('2024-09-14T10:05:00Z', 'en', now, 'UTC').short).toBe('10:05');
  });

  it('shows a short date for other days, with the year only for other years', () => {
    const en = formatStamp('2024-09-10T10:05:00Z', 'en', now, 'UTC').short;
    expect(en).toMatch(/^10 Sep/);
    expect(en).not.toMatch(/2024|10:05/);
    expect(formatStamp('2023-12-31T10:05:00Z', 'en', now, 'UTC').short).toMatch(/31 Dec.* 2023/);
    const ar = formatStamp('2024-09-10T10:05:00Z', 'ar', now, 'UTC').short;
    expect(ar).toMatch(/١٠ سبتمبر/);
    expect(ar).not.toMatch(/[0-9]/);
    expect(formatStamp('2024-09-10T10:05:00Z', 'en', now, 'UTC').full).toMatch(/10 September 2024.*10:05/);
  });

  it("decides 'today' in the visitor's own time zone", () => {
    // 23:30 UTC on the 13th is 02:30 on the 14th in Riyadh.
    const riyadh = formatStamp('2024-09-13T23:30:00Z', 'en', now, 'Asia/Riyadh').short;
    expect(riyadh).toBe('02:30');
    expect(formatStamp('2024-09-13T23:30:00Z', 'en', now, 'America/New_York').short).toMatch(/^13 Sep/);
  });

  it('returns empty text for an invalid date instead of "Invalid Date"', () => {
    expect(formatStamp('nope', 'ar', now)).toEqual({ short: '', full: '' });
  });
});

describe('widget numbers and sizes', () => {
  it('formats sizes per locale', () => {
    const units = { kb: 'KB', mb: 'MB' };
    expect(formatSize(1536 * 1024, 'en', units)).toBe('1.5 MB');
    expect(formatSize(300, 'en', units)).toBe('1 KB');
    expect(formatSize(2 * 1024 * 1024, 'ar', { kb: 'ك.ب', mb: 'م.ب' })).toBe('٢ م.ب');
    expect(formatNumber(12, 'ar')).toBe('١٢');
  });
});

describe('widget links', () => {
  it('splits http(s) links out of text, leaving sentence punctuation outside', () => {
    expect(splitLinks('زوروا https://example.org/apply?x=1، وشكرًا')).toEqual([
      { text: 'زوروا ' },
      { text: 'https://example.org/apply?x=1', href: 'https://example.org/apply?x=1' },
      { text: '، وشكرًا' },
    ]);
    expect(splitLinks('See (http://a.example/b).')).toEqual([{ text: 'See (' }, { text: 'http://a.example/b', href: 'http://a.example/b' }, { text: ').' }]);
  });

  it('never makes a link from other schemes or markup', () => {
    expect(splitLinks('javascript:alert(1) <a href="x">x</a>')).toEqual([{ text: 'javascript:alert(1) <a href="x">x</a>' }]);
    expect(splitLinks('')).toEqual([]);
  });
});

describe('widget references', () => {
  it('sets request references apart (new random and old sequential ones), so they read left to right inside Arabic', () => {
    expect(splitBubble('رقم طلبك TW-1448-7K3M9QX، احتفظ به. وطلبك السابق TW-1447-00042.')).toEqual([
      { text: 'رقم طلبك ' },
      { text: 'TW-1448-7K3M9QX', reference: true },
      { text: '، احتفظ به. وطلبك السابق ' },
      { text: 'TW-1447-00042', reference: true },
      { text: '.' },
    ]);
    expect(splitBubble('https://example.org/TW-1448-7K3M9QX')).toEqual([{ text: 'https://example.org/TW-1448-7K3M9QX', href: 'https://example.org/TW-1448-7K3M9QX' }]);
    expect(splitBubble('ATW-1448-7K3M9QXZZ and 1448-00042')).toEqual([{ text: 'ATW-1448-7K3M9QXZZ and 1448-00042' }]);
  });
});
