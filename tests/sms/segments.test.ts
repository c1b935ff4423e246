// SMS segment counting (GSM-7 vs UCS-2) and fitting texts to a part budget.
import { describe, expect, it } from 'vitest';
import { fitToSegments, smsSegments } from '../../channels/sms/segments.ts';

const ar = (n: number) => 'ب'.repeat(n);

describe('smsSegments', () => {
  it.each([
    ['', 'GSM-7', 0, 160],
    ['Hello', 'GSM-7', 1, 160],
    ['a'.repeat(160), 'GSM-7', 1, 160],
    ['a'.repeat(161), 'GSM-7', 2, 153],
    ['a'.repeat(306), 'GSM-7', 2, 153],
    ['a'.repeat(307), 'GSM-7', 3, 153],
    // Extension characters take two septets: 80 × '€' = 160 septets.
    ['€'.repeat(80), 'GSM-7', 1, 160],
    ['€'.repeat(81), 'GSM-7', 2, 153],
    ['{[ ]}~^|\\', 'GSM-7', 1, 160],
    ['café è à ñ Ø', 'GSM-7', 1, 160],
    ['مرحبا', 'UCS-2', 1, 70],
    [ar(70), 'UCS-2', 1, 70],
    [ar(71), 'UCS-2', 2, 67],
    [ar(134), 'UCS-2', 2, 67],
    [ar(135), 'UCS-2', 3, 67],
    // One non-GSM character turns the whole text UCS-2.
    ['Your reference is TW-1448-00042 ' + 'ç', 'UCS-2', 1, 70],
    ['a'.repeat(69) + 'ê', 'UCS-2', 1, 70],
    ['رقم الطلب TW-1448-00042 وشكرا', 'UCS-2', 1, 70],
  ] as const)('%# %j → %s, %i part(s) of %i', (text, encoding, segments, perSegment) => {
    expect(smsSegments(text)).toMatchObject({ encoding, segments, perSegment });
  });

  it('counts an emoji (a surrogate pair) as two UCS-2 units', () => {
    expect(smsSegments('😀')).toMatchObject({ encoding: 'UCS-2', units: 2, segments: 1 });
    expect(smsSegments('😀'.repeat(35))).toMatchObject({ units: 70, segments: 1 });
    expect(smsSegments('😀'.repeat(35) + 'a')).toMatchObject({ units: 71, segments: 2 });
  });
});

describe('fitToSegments', () => {
  it('leaves a text that fits untouched', () => {
    expect(fitToSegments(ar(134), 2)).toBe(ar(134));
    expect(fitToSegments('a'.repeat(160), 1)).toBe('a'.repeat(160));
  });

  it('cuts long Arabic at a word boundary, ending with …, within the budget', () => {
    const text = 'السلام عليكم ورحمة الله وبركاته '.repeat(12).trim();
    for (const max of [1, 2, 3]) {
      const fitted = fitToSegments(text, max);
      expect(smsSegments(fitted).segments).toBeLessThanOrEqual(max);
      expect(fitted.endsWith('…')).toBe(true);
      expect(text.startsWith(fitted.slice(0, -1))).toBe(true);
      // Cut between words: what precedes … is a whole word of the original.
      expect(text.charAt(fitted.length - 1)).toBe(' ');
    }
    expect(fitToSegments(text, 1).length).toBeLessThanOrEqual(70);
  });

  it('uses ... for GSM-7 text so the cut does not force UCS-2', () => {
    const text = 'Your application was received and will be reviewed by the committee. '.repeat(6);
    const fitted = fitToSegments(text, 2);
    expect(fitted.endsWith('...')).toBe(true);
    expect(smsSegments(fitted)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(fitted.length).toBeGreaterThan(250);
  });

  it('hard-cuts a text without spaces and never splits a surrogate pair', () => {
    const fitted = fitToSegments('😀'.repeat(100), 1);
    expect(smsSegments(fitted).segments).toBe(1);
    expect(fitted).toBe('😀'.repeat(34) + '…');
    expect(fitToSegments(ar(200), 2)).toBe(ar(133) + '…');
  });

  it('handles mixed Arabic/Latin with isolates', () => {
    const text = `رقم طلبك \u2066TW-1448-00042\u2069 ` + 'يرجى الاحتفاظ به للمتابعة '.repeat(10);
    const fitted = fitToSegments(text, 1);
    expect(fitted.length).toBeLessThanOrEqual(70);
    expect(fitted).toContain('TW-1448-00042');
  });
});
