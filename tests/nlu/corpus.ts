// The NLU corpus (tests/nlu/corpus.*.json) and the shipped intent examples, for the eval script and its test.
import { readFileSync } from 'node:fs';
import type { Locale } from '../../src/core/messages.ts';
import { createI18n } from '../../src/i18n/index.ts';
import { examplesFromTexts, type IntentExample } from '../../src/nlu/intents.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;

export interface Utterance {
  text: string;
  intent: string;
  locale: Locale;
}

type CorpusFile = { [L in Locale]: Record<string, string[]> };

export function readCorpus(part: 'train' | 'heldout'): Utterance[] {
  const data = JSON.parse(readFileSync(`${ROOT}tests/nlu/corpus.${part}.json`, 'utf8')) as CorpusFile;
  const out: Utterance[] = [];
  for (const locale of ['ar', 'en'] as const) {
    for (const [intent, texts] of Object.entries(data[locale])) for (const text of texts) out.push({ text, intent, locale });
  }
  return out;
}

/** The intent ids the shipped texts label (intents.label.*), and every example of them. */
export async function shippedExamples(): Promise<{ ids: string[]; examples: IntentExample[] }> {
  const texts = await createI18n(`${ROOT}locales`);
  const ids = [...texts.keys('ar')].filter((k) => k.startsWith('intents.label.')).map((k) => k.slice('intents.label.'.length));
  return { ids, examples: examplesFromTexts(texts.lookup, ids) };
}
