// An application's answers as the officer reads them: each field's name and value in the page's language, never a key.
import { bdi, h } from './dom.ts';
import { formatNumber } from './format.ts';
import { fill, label, type Strings } from './i18n.ts';
import type { ApplicationDetail, Locale } from './types.ts';

type Answer = ApplicationDetail['answers'][number];

function localized(v: unknown, locale: Locale): string | undefined {
  const l = v && typeof v === 'object' ? (v as { label?: unknown }).label : undefined;
  if (!l || typeof l !== 'object') return undefined;
  const t = (l as Record<string, unknown>)[locale] ?? (l as Record<string, unknown>).ar;
  return typeof t === 'string' ? t : undefined;
}

/** The value in words: choices in this language, digits per locale, the channel's name, yes/no. */
function valueOf(s: Strings, locale: Locale, a: Answer): string | HTMLElement {
  const v = a.raw;
  const choice = localized(v, locale);
  if (choice) return choice;
  if (a.key === 'documents_later' && typeof v === 'boolean') return v ? s.documentsLater : s.documentsNow;
  if (typeof v === 'boolean') return v ? s.yes : s.no;
  if (a.key === 'channel' && typeof v === 'string') return label(s.channelName, v);
  if (typeof v === 'number') {
    if (a.key === 'monthly_income') return fill(s.riyals, { n: formatNumber(v, locale) });
    return formatNumber(v, locale);
  }
  return a.value ? h('span', { dir: 'auto' }, a.value) : s.none;
}

/** A field's name: the server's label when it sent one, else this page's words for the key. */
function nameOf(s: Strings, a: Answer): string {
  if (a.label && a.label !== a.key) return a.label;
  return s.answerField[a.key] ?? s.answerOther;
}

export function answerFacts(s: Strings, locale: Locale, answers: Answer[]): [string, string | HTMLElement][] {
  return answers.map((a) => [nameOf(s, a), a.key === 'city' && typeof a.raw === 'string' ? bdi(a.raw) : valueOf(s, locale, a)]);
}
