// The officers' inbox's words live in locales/<lang>/inbox.json under "ui" (the server's i18next loads the same files
// for its own keys). The server serves each language's part as GET /inbox/strings/<lang>.json; main.ts loads the
// current language before the first render and the other one before switching. The `Strings` type is the Arabic
// file's, so a key the code uses and the file lacks does not compile; tests/locales-code.test.ts keeps English in step.
// To bring words over from an old i18n-*.ts file: npx tsx web/inbox/strings-to-json.mjs <file> (see that script).
import type arInbox from '../../../locales/ar/inbox.json';
import type { Locale } from './types.ts';

/** A group of texts: its keys are known (s.queue.waiting), and a value from the server can look one up (label()). */
type Table<T> = { [K in keyof T]: Text<T[K]> } & Record<string, Text<T[keyof T]>>;
type Text<T> = T extends string ? string : Table<T>;

export type Strings = { [K in keyof (typeof arInbox)['ui']]: Text<(typeof arInbox)['ui'][K]> } & { dir: 'rtl' | 'ltr' };

/** Plural forms by CLDR category: Arabic has one, two, few, many and other (zero falls back to other); English one and other. */
export type Plural = { one: string; other: string } & Partial<Record<'zero' | 'two' | 'few' | 'many', string>>;

/** [masculine, feminine] forms of a sentence, by the actor's grammatical gender. */
export type Forms = { m: string; f: string };

export const stringsUrl = (locale: Locale): string => `/inbox/strings/${locale}.json`;

const loaded: Partial<Record<Locale, Strings>> = {};

/** Uses `ui` (the "ui" part of locales/<locale>/inbox.json) as this language's words. */
export function useStrings(locale: Locale, ui: unknown): Strings {
  if (ui === null || typeof ui !== 'object' || typeof (ui as { dir?: unknown }).dir !== 'string') throw new Error(`not the inbox's strings for ${locale}`);
  loaded[locale] = ui as Strings;
  return loaded[locale];
}

/** The words of a language already loaded (main.ts loads before rendering in it). */
export function strings(locale: Locale): Strings {
  const s = loaded[locale];
  if (!s) throw new Error(`the inbox's ${locale} strings are not loaded`);
  return s;
}

export const hasStrings = (locale: Locale): boolean => loaded[locale] !== undefined;

/** Fetches a language's words once (the server answers with an ETag, so a reload revalidates cheaply). */
export async function loadStrings(locale: Locale, fetcher: typeof fetch = fetch): Promise<Strings> {
  const have = loaded[locale];
  if (have) return have;
  const res = await fetcher(stringsUrl(locale), { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET ${stringsUrl(locale)}: ${res.status}`);
  return useStrings(locale, await res.json());
}

/** Replaces {{name}} placeholders; the caller formats values (digits per locale). */
export function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
}

/** A label from one of the tables above, or the raw value when the server sends something new. */
export function label(table: Record<string, string>, key: string): string {
  return table[key] ?? key;
}
