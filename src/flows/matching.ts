// Matches what a user typed against offered choices and "|"-separated word lists, in both languages.
import { LOCALES } from '../core/messages.ts';
import type { Locale } from '../core/messages.ts';
import { looseForm, normalizeForMatch } from './normalize.ts';
import type { Json, OutputChoice } from './types.ts';

export type Lookup = (key: string, locale: Locale) => string | undefined;

/** A choice as offered at this moment: evaluated params, plus the synonyms key used only for matching. */
export interface MatchableChoice extends OutputChoice {
  synonyms?: string;
}

export type ChoiceInput = { type: 'text'; text: string } | { type: 'choice'; id: string };

/** The normalized entries of a "|"-separated list, merged from every language. */
export function phraseList(lookup: Lookup, key: string): string[] {
  // Texts do not change while a lookup function lives, so each list is built once per lookup.
  let lists = phraseCache.get(lookup);
  if (!lists) {
    lists = new Map();
    phraseCache.set(lookup, lists);
  }
  const cached = lists.get(key);
  if (cached) return cached;
  const built = buildPhraseList(lookup, key);
  lists.set(key, built);
  return built;
}

const phraseCache = new WeakMap<Lookup, Map<string, string[]>>();

function buildPhraseList(lookup: Lookup, key: string): string[] {
  const phrases = new Set<string>();
  for (const locale of LOCALES) {
    for (const entry of (lookup(key, locale) ?? '').split('|')) {
      const phrase = normalizeForMatch(entry);
      if (phrase !== '') phrases.add(phrase);
    }
  }
  return [...phrases];
}

/** Whole-message equality, also after dropping emoji and brackets ("القائمة 🏠" is "القائمة"). */
export function equalsAnyPhrase(normalized: string, phrases: readonly string[]): boolean {
  const loose = looseForm(normalized);
  return phrases.some((p) => p === normalized || (loose !== '' && looseForm(p) === loose));
}

// Arabic attaches the article and some prepositions to the word: "الموظف", "بموظف", "للموظف".
const PROCLITICS = ['', 'ال', 'و', 'ب', 'ل', 'لل', 'بال', 'وال', 'فال', 'ف'];

/** True when the phrase appears as whole words inside the message (never inside a longer word such as a name). */
export function containsAnyPhrase(normalized: string, phrases: readonly string[]): boolean {
  const words = looseForm(normalized).split(' ');
  return phrases.some((phrase) => {
    const parts = looseForm(phrase).split(' ');
    if (parts[0] === '') return false;
    for (let i = 0; i + parts.length <= words.length; i++) {
      const first = words[i] ?? '';
      const firstOk = PROCLITICS.some((p) => first === p + parts[0]);
      if (firstOk && parts.slice(1).every((part, j) => words[i + 1 + j] === part)) return true;
    }
    return false;
  });
}

function paramText(value: Json | undefined, locale: Locale): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const localized = value[locale];
    if (typeof localized === 'string') return localized;
  }
  return '';
}

/** i18next-style `{{name}}` / `{{name, format}}` filled with plain param values (no i18n library here). */
export function interpolate(template: string, params: Record<string, Json> | undefined, locale: Locale): string {
  // The placeholder is read by hand after one unambiguous match (`\s*([\w.]+)\s*(?:,…)?` backtracks).
  return template.replace(/\{\{([^{}]*)\}\}/g, (whole, inner: string) => {
    const name = (inner.split(',')[0] ?? '').trim();
    return /^[\w.]+$/.test(name) ? paramText(params?.[name], locale) : whole;
  });
}

function labelForms(choice: MatchableChoice, lookup: Lookup): string[] {
  const forms: string[] = [];
  for (const locale of LOCALES) {
    const template = lookup(choice.label, locale);
    if (template === undefined) continue;
    forms.push(normalizeForMatch(interpolate(template, choice.params, locale)));
    // Users often type just the fixed words of a label that shows a value ("تعديل الاسم (محمد)").
    if (template.includes('{{')) forms.push(normalizeForMatch(template.replace(/\{\{[^{}]*\}\}/g, ' ')));
  }
  return forms.filter((f) => f !== '');
}

/** "2", "٢", "2.", "2)", "(2)", "2-" pick the second offered choice. */
function choiceNumber(normalized: string): number | undefined {
  const m = /^\(?\s*(\d{1,3})(?:\s*[.)\-:])?\s*\)?$/.exec(normalized);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

export interface MatchOptions {
  /** Accept a bare number as the choice's position (off where a number is itself a valid answer). */
  byNumber?: boolean;
  /** Also accept a label or synonym found inside a longer message (off for yes/no and command checks). */
  contains?: boolean;
}

/** The offered choice the input picks: by id, 1-based number, label in either language, or a synonym. */
export function matchChoice(
  input: ChoiceInput,
  choices: readonly MatchableChoice[],
  lookup: Lookup,
  options: MatchOptions = {},
): MatchableChoice | undefined {
  if (input.type === 'choice') return choices.find((c) => c.id === input.id);
  const text = normalizeForMatch(input.text);
  if (text === '') return undefined;
  const byId = choices.find((c) => c.id === text);
  if (byId) return byId;
  const number = options.byNumber === false ? undefined : choiceNumber(text);
  if (number !== undefined) return choices[number - 1];
  const byLabel = choices.find((c) => equalsAnyPhrase(text, labelForms(c, lookup)));
  if (byLabel) return byLabel;
  const bySynonym = choices.find((c) => c.synonyms !== undefined && equalsAnyPhrase(text, phraseList(lookup, c.synonyms)));
  if (bySynonym || options.contains === false) return bySynonym;
  return containedChoice(text, choices, lookup);
}

/**
 * People write sentences ("ابي اقدم طلب مساعدة لو سمحت"): pick the choice whose label or synonym appears
 * in the message as whole words. The longest phrase wins; a tie between two choices picks nothing.
 */
function containedChoice(text: string, choices: readonly MatchableChoice[], lookup: Lookup): MatchableChoice | undefined {
  let best: MatchableChoice | undefined;
  let bestScore = 0;
  let tie = false;
  for (const choice of choices) {
    const phrases = [...labelForms(choice, lookup), ...(choice.synonyms ? phraseList(lookup, choice.synonyms) : [])];
    let score = 0;
    for (const phrase of phrases) {
      const loose = looseForm(phrase);
      // Short words and bare numbers hit by accident inside sentences.
      if (loose.length < 3 || /^\d+$/.test(loose)) continue;
      if (loose.length > score && containsAnyPhrase(text, [phrase])) score = loose.length;
    }
    if (score === 0) continue;
    if (score > bestScore) {
      best = choice;
      bestScore = score;
      tie = false;
    } else if (score === bestScore && best?.id !== choice.id) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

/** Strips the matching-only field so the choice can go out in an engine output. */
export function toOutputChoice(choice: MatchableChoice): OutputChoice {
  return choice.params === undefined
    ? { id: choice.id, label: choice.label }
    : { id: choice.id, label: choice.label, params: choice.params };
}
