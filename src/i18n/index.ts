// Loads locales/<lang>/<file>.json into one i18next instance and renders chat texts with flow params.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import i18next from 'i18next';
import type { Resource, ResourceLanguage } from 'i18next';
import { AppError } from '../core/errors.ts';
import type { Locale } from '../core/messages.ts';
import { formatDualDate, formatDualDateTime } from '../dates/hijri.ts';
import type { Json, ParamValue } from '../flows/types.ts';
import { applyDigits, type DigitStyle } from './digits.ts';

export interface Texts {
  /** The text for `key` with params rendered first ({ar,en}, {date}, {t}, lists); the key itself when missing. */
  t(locale: Locale, key: string, params?: Record<string, ParamValue>): string;
  /** The raw string (no interpolation, no plural choice), for matching labels, synonyms and word lists. */
  lookup(key: string, locale: Locale): string | undefined;
  /** True for a string key or a plural group (`x_one`, `x_other`... make `x`). */
  has(key: string, locale: Locale): boolean;
  /** Every leaf key, plural suffixes folded to the base key. */
  keys(locale: Locale): Set<string>;
  /** The language folders that were loaded. */
  readonly languages: readonly string[];
  /** The digits this language's texts are written with (Arabic: the profile's style; English: latin). */
  digits(locale: Locale): DigitStyle;
}

const PLURAL_SUFFIX = /^(.+)_(zero|one|two|few|many|other)$/;
const MAX_DEPTH = 6;

type Tree = { [key: string]: string | Tree };

function checkTree(value: unknown, path: string, problems: string[]): value is Tree {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${path}: expected an object of texts`);
    return false;
  }
  for (const [key, child] of Object.entries(value)) {
    // A dotted key would never be found: "." separates levels when texts are looked up.
    if (key.includes('.') || key.includes(':')) problems.push(`${path}.${key}: keys may not contain "." or ":"`);
    if (typeof child !== 'string') checkTree(child, `${path}.${key}`, problems);
  }
  return true;
}

function leafKeys(tree: Tree, prefix: string, out: string[]): string[] {
  for (const [key, child] of Object.entries(tree)) {
    if (typeof child === 'string') out.push(`${prefix}${key}`);
    else leafKeys(child, `${prefix}${key}.`, out);
  }
  return out;
}

/** Folds `x_one`/`x_other`... into `x` only when it really is a plural group, so a choice id `other` stays a key. */
function foldPlurals(keys: readonly string[]): Set<string> {
  const all = new Set(keys);
  const groups = new Map<string, number>();
  for (const key of keys) {
    const m = PLURAL_SUFFIX.exec(key);
    if (m?.[1] !== undefined) groups.set(m[1], (groups.get(m[1]) ?? 0) + 1);
  }
  const out = new Set<string>();
  for (const key of keys) {
    const base = PLURAL_SUFFIX.exec(key)?.[1];
    const isGroup = base !== undefined && all.has(`${base}_other`) && (groups.get(base) ?? 0) >= 2;
    out.add(isGroup ? base : key);
  }
  return out;
}

async function readLocales(localesDir: string): Promise<Resource> {
  const resources: Resource = {};
  const problems: string[] = [];
  const languages = (await readdir(localesDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  for (const lang of languages.sort()) {
    const merged: Tree = {};
    const files = (await readdir(join(localesDir, lang))).filter((f) => f.endsWith('.json')).sort();
    for (const file of files) {
      const name = `${lang}/${file}`;
      let data: unknown;
      try {
        data = JSON.parse(await readFile(join(localesDir, lang, file), 'utf8'));
      } catch (err) {
        problems.push(`${name}: ${(err as Error).message}`);
        continue;
      }
      if (checkTree(data, name, problems)) merged[file.slice(0, -'.json'.length)] = data;
    }
    resources[lang] = { translation: merged as ResourceLanguage };
  }
  if (problems.length > 0) {
    throw new AppError('ERR_CONFIG', `invalid locale files:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { details: problems });
  }
  return resources;
}

function isPlainObject(value: unknown): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface I18nOptions {
  /** The profile's digit style for Arabic texts (default arabic): applied to every Arabic text `t` renders. */
  digits?: DigitStyle;
}

export async function createI18n(localesDir: string, options: I18nOptions = {}): Promise<Texts> {
  const digits = options.digits ?? 'arabic';
  const resources = await readLocales(localesDir);
  const languages = Object.keys(resources);
  const i18n = i18next.createInstance();
  await i18n.init({
    resources,
    lng: languages.includes('ar') ? 'ar' : languages[0],
    // No fallback language: a missing Arabic text should show up as its key in tests, not as English.
    fallbackLng: false,
    ns: ['translation'],
    defaultNS: 'translation',
    keySeparator: '.',
    nsSeparator: false,
    initAsync: false,
    // Chat texts, not HTML. skipOnVariables (default true) keeps user-typed "{{" or "$t(" in a value inert.
    interpolation: { escapeValue: false, skipOnVariables: true },
  });

  const keyCache = new Map<string, Set<string>>();
  const keysOf = (locale: string): Set<string> => {
    let set = keyCache.get(locale);
    if (!set) {
      const tree = resources[locale]?.translation as Tree | undefined;
      set = foldPlurals(tree ? leafKeys(tree, '', []) : []);
      keyCache.set(locale, set);
    }
    return set;
  };

  const lookup = (key: string, locale: Locale): string | undefined => {
    const value: unknown = i18n.getResource(locale, 'translation', key);
    return typeof value === 'string' ? value : undefined;
  };
  const has = (key: string, locale: Locale): boolean => lookup(key, locale) !== undefined || keysOf(locale).has(key);

  const render = (value: Json | undefined, locale: Locale, depth: number): Json => {
    if (value === undefined || value === null) return '';
    // A typed "$t(" would switch off i18next nesting for the whole text (skipOnVariables), breaking
    // e.g. the summary's labels; a zero-width space keeps it visible but inert.
    if (typeof value === 'string') return value.replaceAll('$t(', '$\u200bt(');
    if (typeof value !== 'object') return value;
    if (depth > MAX_DEPTH) return '';
    if (Array.isArray(value)) {
      return value.map((item) => `• ${String(render(item, locale, depth + 1))}`).join('\n');
    }
    const keys = Object.keys(value);
    if (keys.length > 0 && keys.every((k) => k === 'ar' || k === 'en')) {
      const text = value[locale] ?? value.ar ?? value.en;
      return typeof text === 'string' ? text : '';
    }
    if (keys.length === 1 && typeof value.date === 'string') {
      const date = new Date(value.date);
      return Number.isNaN(date.getTime()) ? value.date : formatDualDate(date, locale);
    }
    if (keys.length === 1 && typeof value.datetime === 'string') {
      const date = new Date(value.datetime);
      return Number.isNaN(date.getTime()) ? value.datetime : formatDualDateTime(date, locale);
    }
    if (typeof value.t === 'string' && keys.every((k) => k === 't' || k === 'params')) {
      return translate(locale, value.t, isPlainObject(value.params) ? value.params : undefined, depth + 1);
    }
    const out: { [key: string]: Json } = {};
    for (const k of keys) out[k] = render(value[k], locale, depth + 1);
    return out;
  };

  const translate = (locale: Locale, key: string, params: Record<string, ParamValue> | undefined, depth: number): string => {
    if (!has(key, locale)) return key;
    const rendered: Record<string, Json> = {};
    for (const [name, value] of Object.entries(params ?? {})) rendered[name] = render(value, locale, depth);
    // Params go in `replace` so names like "context" or "ns" stay params; `lng` is repeated inside
    // because nested $t(...) texts receive only `replace` as their options.
    const count = rendered.count;
    const result = i18n.t(key, {
      lng: locale,
      replace: { ...rendered, lng: locale },
      ...(typeof count === 'number' ? { count } : {}),
    });
    return typeof result === 'string' ? result : key;
  };

  return {
    // The one place every bot text passes: one digit style per Arabic message.
    t: (locale, key, params) => {
      const text = translate(locale, key, params, 0);
      return locale === 'ar' ? applyDigits(text, digits) : text;
    },
    lookup,
    has,
    keys: (locale) => new Set(keysOf(locale)),
    languages,
    digits: (locale) => (locale === 'ar' ? digits : 'latin'),
  };
}
