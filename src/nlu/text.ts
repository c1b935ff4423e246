// The form the classifier reads: the matcher's folding plus what people do to words while typing fast.
import { looseForm, normalizeForMatch } from '../flows/normalize.ts';

/**
 * normalizeForMatch (hamza, alef maqsura, ta marbuta, tashkeel, tatweel, digits) plus: letters stretched for
 * emphasis folded to one («مسااااء» → «مساء»), punctuation and emoji dropped.
 */
export function classifierForm(text: string): string {
  return looseForm(normalizeForMatch(text))
    .replace(/(\p{L})\1{2,}/gu, '$1')
    .replace(/(\p{Script=Arabic})\1(?=\s|$)/gu, '$1');
}

/** Character trigrams of each word with its edges marked, plus the whole words: typos cost one or two grams. */
export function grams(form: string): string[] {
  const out: string[] = [];
  for (const word of form.split(' ')) {
    if (word === '') continue;
    out.push(`w:${word}`);
    const padded = `<${word}>`;
    if (padded.length <= 3) {
      out.push(padded);
      continue;
    }
    for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  }
  return out;
}

/** Dice overlap of two multisets of grams, 0..1: how much of what was typed the example accounts for. */
export function dice(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const g of b) counts.set(g, (counts.get(g) ?? 0) + 1);
  let common = 0;
  for (const g of a) {
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      common += 1;
      counts.set(g, n - 1);
    }
  }
  return (2 * common) / (a.length + b.length);
}
