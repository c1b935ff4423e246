// Intent examples as data: locales/<lang>/intents.json "examples.<intent>" lists, "|"-separated, both languages merged.
import { LOCALES } from '../core/messages.ts';
import type { Locale } from '../core/messages.ts';

export interface IntentExample {
  intent: string;
  text: string;
  locale: Locale;
}

/** Reads every intent's examples from the texts; `ids` are the intents the flows know. */
export function examplesFromTexts(lookup: (key: string, locale: Locale) => string | undefined, ids: readonly string[]): IntentExample[] {
  const out: IntentExample[] = [];
  for (const intent of ids) {
    for (const locale of LOCALES) {
      for (const text of (lookup(`intents.examples.${intent}`, locale) ?? '').split('|')) {
        if (text.trim() !== '') out.push({ intent, text: text.trim(), locale });
      }
    }
  }
  return out;
}
