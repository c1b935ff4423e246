import { describe, expect, it } from 'vitest';
import type { ChannelCapabilities } from '../../src/core/channel.ts';
import { isolateLtrRuns, render, splitText } from '../../src/outbound/render.ts';

const rate = { perSecond: 10, perRecipientPerSecond: 1, perRecipientBurst: 1 };
const withButtons: ChannelCapabilities = { maxTextLength: 100, buttons: { max: 3, labelMax: 20 }, media: false, canInitiate: true, replyWindowHours: null, rate };
const plain: ChannelCapabilities = { ...withButtons, buttons: null };
const choices = [
  { id: 'apply', label: 'تقديم طلب' },
  { id: 'status', label: 'حالة الطلب' },
];

describe('render to channel capabilities', () => {
  it('keeps choices as buttons when the channel has them', () => {
    expect(render(withButtons, { text: 'اختر', choices })).toEqual([{ text: 'اختر', buttons: choices }]);
  });

  it('turns choices into a numbered list on a plain-text channel', () => {
    const [part] = render(plain, { text: 'اختر', choices });
    expect(part?.text).toBe('اختر\n\n1. تقديم طلب\n2. حالة الطلب');
    expect(part?.buttons).toBeUndefined();
  });

  it('numbers the list in the digits of the text around it', () => {
    expect(render(plain, { text: 'اختر', choices, numerals: 'arabic' })[0]?.text).toBe('اختر\n\n١. تقديم طلب\n٢. حالة الطلب');
    expect(render(plain, { text: 'Choose', choices, numerals: 'latin' })[0]?.text).toBe('Choose\n\n1. تقديم طلب\n2. حالة الطلب');
  });

  it('falls back to a numbered list when there are more choices than buttons', () => {
    const many = [...choices, { id: 'a', label: 'أ' }, { id: 'b', label: 'ب' }];
    const [part] = render(withButtons, { text: 'اختر', choices: many });
    expect(part?.buttons).toBeUndefined();
    expect(part?.text).toContain('4. ب');
  });

  it('falls back to a numbered list when a label is longer than the channel allows', () => {
    const [part] = render(withButtons, { text: 'اختر', choices: [{ id: 'x', label: 'عنوان طويل جداً يتجاوز الحد المسموح' }] });
    expect(part?.buttons).toBeUndefined();
    expect(part?.text).toContain('1. عنوان طويل');
  });

  it('splits long text at the limit on word boundaries and puts buttons on the last part', () => {
    const text = Array.from({ length: 40 }, (_, i) => `كلمة${i}`).join(' ');
    const parts = render(withButtons, { text, choices });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(100);
    expect(parts.map((p) => p.text).join(' ')).toBe(text);
    expect(parts.at(-1)?.buttons).toEqual(choices);
    expect(parts[0]?.buttons).toBeUndefined();
  });

  it('never splits inside a surrogate pair', () => {
    const text = '😀'.repeat(60);
    const parts = splitText(text, 51);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(p.isWellFormed()).toBe(true);
  });
});

describe('bidi isolation for plain-text channels', () => {
  it('isolates references and phone numbers inside Arabic text', () => {
    const out = isolateLtrRuns('رقم طلبك TW-1448-00042 وجوالك +966551234567');
    expect(out).toContain('\u2066TW-1448-00042\u2069');
    expect(out).toContain('\u2066+966551234567\u2069');
    // The random references, letters included, are one run too.
    expect(isolateLtrRuns('رقم طلبك TW-1448-7K3M9QX، احتفظ به')).toBe('رقم طلبك \u2066TW-1448-7K3M9QX\u2069، احتفظ به');
  });

  it('leaves URLs and English-only text untouched', () => {
    expect(isolateLtrRuns('الموقع https://example.org/map?q=1 هنا')).toContain('https://example.org/map?q=1 ');
    expect(isolateLtrRuns('Your reference is TW-1448-00042')).toBe('Your reference is TW-1448-00042');
  });
});
