// The text passes of the email channel cost in proportion to what they read: every hostile run (spaces, '<', quote
// marks, attribution look-alikes, unclosed tags, nested blockquotes) doubled costs at most ~2.5× the time. Before
// issue 9, `/\s+$/` and `/<[^>]*>/g` made such runs quadratic (a 342 KB mail held the event loop for 27 s).
// Timed on purpose (the issue asks for it): medians of several interleaved runs, on inputs of megabytes.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { bodyOf } from '../../channels/email/body.ts';
import { htmlToText } from '../../channels/email/html-text.ts';
import { newText } from '../../channels/email/quote.ts';

/** Every shape of plain text that once made a pass backtrack, each run `n` characters long. */
function hostileRuns(n: number): string {
  return [
    'أرغب في التقديم على المساعدة.',
    `x${' '.repeat(n)}y`,
    `${' '.repeat(n)}\t`,
    '<'.repeat(n),
    `<${'a@'.repeat(n / 2)}`,
    `${'>'.repeat(n)} نص مقتبس`,
    `في ${'،كتب '.repeat(n / 5)}`,
    `في ${' كتب'.repeat(n / 4)}`,
    `On ${' wrote '.repeat(n / 7)}`,
    `From:${' '.repeat(n)}*`,
    `*من :${'* '.repeat(n / 2)}`,
    `[cid:${'['.repeat(n)}`,
    '-'.repeat(n),
    '\n'.repeat(n),
  ].join('\n');
}

/** The same for markup: stray '<', deep blockquotes, long spaces, a tag never closed, entities, comments. */
function hostileMarkup(n: number): string {
  return [
    '<div>مرحبا</div>',
    '<'.repeat(n),
    `<div>${' '.repeat(n)}</div>`,
    '<blockquote>'.repeat(n / 12),
    '</blockquote>'.repeat(n / 13),
    '&amp;&#x62;&lt;'.repeat(n / 15),
    '<br>'.repeat(n / 4),
    '<!-- -- '.repeat(n / 8),
    '-->',
    `<style>${'<'.repeat(n)}</style>`,
    `<${'a '.repeat(n / 2)}`,
  ].join('');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Median time of `pass` on `make(n)` and on `make(2n)`, runs interleaved so that noise hits both alike. */
function timeDoubling(make: (n: number) => string, pass: (input: string) => unknown, n: number, runs = 9): { once: number; twice: number } {
  const small = make(n);
  const large = make(2 * n);
  // Warm up the JIT on both sizes first.
  pass(small);
  pass(large);
  const once: number[] = [];
  const twice: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    pass(small);
    once.push(performance.now() - t);
    t = performance.now();
    pass(large);
    twice.push(performance.now() - t);
  }
  return { once: median(once), twice: median(twice) };
}

// Large enough that a run takes milliseconds, small enough that the whole file takes a few seconds.
const N = 1 << 18;

describe('email text passes are linear', () => {
  it('quote stripping: doubling every hostile run costs at most ~2.5× the time', () => {
    const small = newText(hostileRuns(64)).text;
    expect(small.startsWith('أرغب في التقديم على المساعدة.\nx')).toBe(true);
    expect(small).not.toContain('مقتبس');
    const { once, twice } = timeDoubling(hostileRuns, (text) => newText(text), N);
    expect(twice / once, `${once.toFixed(1)} ms → ${twice.toFixed(1)} ms`).toBeLessThan(2.5);
  }, 60_000);

  it('HTML to text: doubling every hostile run costs at most ~2.5× the time, and the words are kept', () => {
    expect(htmlToText(hostileMarkup(1024)).startsWith('مرحبا\n<<<')).toBe(true);
    const { once, twice } = timeDoubling(hostileMarkup, htmlToText, 2 * N);
    expect(twice / once, `${once.toFixed(1)} ms → ${twice.toFixed(1)} ms`).toBeLessThan(2.5);
  }, 60_000);

  it('a whole mail body is read within a window: doubling a hostile body costs no more, and it is marked shortened', () => {
    const read = (text: string) => bodyOf({ text } as Parameters<typeof bodyOf>[0]);
    const { once, twice } = timeDoubling(hostileRuns, read, N);
    expect(twice / once, `${once.toFixed(2)} ms → ${twice.toFixed(2)} ms`).toBeLessThan(2.5);
    const body = read(hostileRuns(8 * N));
    expect(body.text.startsWith('أرغب في التقديم على المساعدة.')).toBe(true);
    expect(body.truncated).toBe(true);
  }, 60_000);
});
