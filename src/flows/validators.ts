// Answer validators for ask steps: one function per validator type, each returning a value or an i18n reason.
import { hijriToGregorian } from '@tabby_ai/hijri-converter';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { matchChoice } from './matching.ts';
import type { ChoiceInput, Lookup, MatchableChoice } from './matching.ts';
import { stripInvisible, toAsciiDigits } from './normalize.ts';
import { parseNumberWords } from './number-words.ts';
import type { Validator } from './schema.ts';
import type { Json } from './types.ts';

export type ValidationResult =
  | { ok: true; value: Json }
  | { ok: false; /** i18n key */ reason: string; params?: Record<string, Json> };

export interface ValidatorContext {
  now: Date;
  lookup: Lookup;
  /** The choices offered at this moment (choice validator only; `when` already applied). */
  choices?: readonly MatchableChoice[];
}

const fail = (reason: string, params?: Record<string, Json>): ValidationResult =>
  params === undefined ? { ok: false, reason } : { ok: false, reason, params };

/** NFKC (full-width digits and @), ASCII digits, no invisible marks: the common clean-up before parsing. */
function clean(raw: string): string {
  return toAsciiDigits(stripInvisible(raw.normalize('NFKC')).replace(/\u200D/g, '')).trim();
}

export function validateText(raw: string, rule: { min?: number; max?: number }): ValidationResult {
  const value = stripInvisible(raw).trim();
  const length = [...value].length;
  if (length < (rule.min ?? 1)) return fail('validation.text_too_short', { min: rule.min ?? 1 });
  if (rule.max !== undefined && length > rule.max) return fail('validation.text_too_long', { max: rule.max });
  return { ok: true, value };
}

// Units people add to a number («٣٬٥٠٠ ريال», «6 أفراد», "5 people"), dropped before reading it.
const NUMBER_UNITS = /(ريال|ر\.س|رس|sar|riyals?|sr|افراد|أفراد|فرد|اشخاص|أشخاص|شخص|نفر|انفار|people|persons?|members?)\.?\s*$/iu;

export function validateNumber(raw: string, rule: { min?: number; max?: number; integer?: boolean }): ValidationResult {
  const bare = clean(raw).replace(NUMBER_UNITS, '');
  const digits = bare.replace(/[\s,٬،]/g, '').replace(/٫/g, '.');
  const value = /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(digits) ? Number(digits) : parseNumberWords(bare);
  if (value === undefined) return fail('validation.number_invalid');
  if ((rule.integer ?? true) && !Number.isInteger(value)) return fail('validation.number_integer');
  const { min, max } = rule;
  const outOfRange = (min !== undefined && value < min) || (max !== undefined && value > max);
  if (outOfRange) {
    if (min !== undefined && max !== undefined) return fail('validation.number_range', { min, max });
    if (min !== undefined) return fail('validation.number_too_small', { min });
    if (max !== undefined) return fail('validation.number_too_large', { max });
  }
  return { ok: true, value };
}

/** A person's name: letters only (Arabic or Latin), at least two words, never a question or digits. */
export function validatePersonName(raw: string, rule: { max?: number }): ValidationResult {
  const value = stripInvisible(raw).replace(/\s+/g, ' ').trim();
  if (/[\d\u0660-\u0669\u06F0-\u06F9]/.test(value)) return fail('validation.name_digits');
  if (/[?؟]/.test(value)) return fail('validation.name_question');
  if (!/^[\p{Script=Arabic}\p{Script=Latin}\s'\-.]+$/u.test(value)) return fail('validation.name_letters');
  if (value.split(' ').filter((w) => w.length > 1).length < 2) return fail('validation.name_two_words');
  if (rule.max !== undefined && [...value].length > rule.max) return fail('validation.text_too_long', { max: rule.max });
  return { ok: true, value };
}

/** Luhn mod 10 over the whole number, as the Saudi national ID and iqama use it. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function validateNationalId(raw: string): ValidationResult {
  const digits = clean(raw).replace(/[\s\-\u2010-\u2015_.]/g, '');
  if (!/^\d+$/.test(digits)) return fail('validation.national_id_digits');
  if (digits.length !== 10) return fail('validation.national_id_length', { length: digits.length });
  if (digits[0] !== '1' && digits[0] !== '2') return fail('validation.national_id_prefix');
  if (!luhnValid(digits)) return fail('validation.national_id_checksum');
  return { ok: true, value: digits };
}

/** A Saudi mobile as E.164 (+9665XXXXXXXX); landlines, toll-free and foreign numbers get their own reasons. */
export function validateSaudiMobile(raw: string): ValidationResult {
  const text = clean(raw);
  if (!/\d/.test(text)) return fail('validation.mobile_invalid');
  const phone = parsePhoneNumberFromString(text, 'SA');
  if (!phone || !phone.isValid()) return fail('validation.mobile_invalid');
  if (phone.country !== 'SA') return fail('validation.mobile_not_saudi');
  if (phone.getType() !== 'MOBILE') return fail('validation.mobile_landline');
  return { ok: true, value: phone.number };
}

export function validateEmail(raw: string): ValidationResult {
  const text = clean(raw);
  const m = /^([^\s@]+)@([^\s@]+\.[^\s@.]{2,})$/.exec(text);
  if (!m?.[1] || !m[2] || m[2].includes('..') || m[2].startsWith('.')) return fail('validation.email_invalid');
  return { ok: true, value: `${m[1]}@${m[2].toLowerCase()}` };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function gregorianIso(year: number, month: number, day: number): string | undefined {
  const d = new Date(Date.UTC(year, month - 1, day));
  const real = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
  return real ? `${pad(year, 4)}-${pad(month)}-${pad(day)}` : undefined;
}

/** Today's calendar date in Riyadh (UTC+3 all year, no daylight saving). */
export function riyadhToday(now: Date): string {
  const d = new Date(now.getTime() + 3 * 60 * 60 * 1000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Reads Y-M-D or D/M/Y in either calendar; a year below 1600 is Hijri (Umm al-Qura). Returns ISO Gregorian. */
export function parseDate(raw: string): string | undefined {
  const text = clean(raw)
    .replace(/\u0640/g, '')
    .replace(/(?<!\s)\s*(ه|هجري|هجريه|هجرية|h|ah|م|ميلادي|ميلاديه|ميلادية|ad|g)\.?$/i, '')
    .trim();
  const ymd = /^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$/.exec(text);
  const dmy = /^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$/.exec(text);
  const parts = ymd ? [ymd[1], ymd[2], ymd[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : undefined;
  if (!parts) return undefined;
  const [year, month, day] = parts.map(Number) as [number, number, number];
  if (year < 1600) {
    if (month < 1 || month > 12 || day < 1 || day > 30) return undefined;
    try {
      const g = hijriToGregorian({ year, month, day });
      return gregorianIso(g.year, g.month, g.day);
    } catch {
      return undefined; // outside the Umm al-Qura table (1343–1500 AH) or a 30th of a 29-day month
    }
  }
  if (year < 1900 || year > 2100) return undefined;
  return gregorianIso(year, month, day);
}

export function validateDate(raw: string, rule: { past?: boolean; future?: boolean }, now: Date): ValidationResult {
  const iso = parseDate(raw);
  if (iso === undefined) return fail('validation.date_invalid');
  const today = riyadhToday(now);
  // Today counts as both past and future: "date of birth" and "appointment date" both accept it.
  if (rule.past && iso > today) return fail('validation.date_not_past');
  if (rule.future && iso < today) return fail('validation.date_not_future');
  return { ok: true, value: iso };
}

/** The two choices a yes/no question offers; the word lists live in the locales. */
export const YES_NO_CHOICES: readonly MatchableChoice[] = [
  { id: 'yes', label: 'engine.yes', synonyms: 'engine.yes_words' },
  { id: 'no', label: 'engine.no', synonyms: 'engine.no_words' },
];

/** Yes is stored as true and no as false, so conditions read `equals: true`. */
export function validateYesNo(input: ChoiceInput | string, lookup: Lookup): ValidationResult {
  const asInput: ChoiceInput = typeof input === 'string' ? { type: 'text', text: input } : input;
  const hit = matchChoice(asInput, YES_NO_CHOICES, lookup, { contains: false });
  return hit ? { ok: true, value: hit.id === 'yes' } : fail('validation.yes_no_invalid');
}

/** The chosen choice's id. */
export function validateChoice(
  input: ChoiceInput | string,
  choices: readonly MatchableChoice[],
  lookup: Lookup,
): ValidationResult {
  const asInput: ChoiceInput = typeof input === 'string' ? { type: 'text', text: input } : input;
  const hit = matchChoice(asInput, choices, lookup);
  return hit ? { ok: true, value: hit.id } : fail('validation.choice_invalid', { max: choices.length });
}

/** Runs the step's validator on one answer. */
export function validate(validator: Validator, input: ChoiceInput | string, ctx: ValidatorContext): ValidationResult {
  if (validator.type === 'yes_no') return validateYesNo(input, ctx.lookup);
  if (validator.type === 'choice') return validateChoice(input, ctx.choices ?? [], ctx.lookup);
  // Typed text never answers a document question; the engine takes uploads (and the "later" choice) itself.
  if (validator.type === 'document') return fail('validation.document_expected');
  // A button press is never a typed answer for the other validators.
  if (typeof input !== 'string' && input.type === 'choice') return fail('validation.choice_unknown');
  const raw = typeof input === 'string' ? input : input.text;
  switch (validator.type) {
    case 'text':
      return validateText(raw, validator);
    case 'person_name':
      return validatePersonName(raw, validator);
    case 'number':
      return validateNumber(raw, validator);
    case 'saudi_national_id':
      return validateNationalId(raw);
    case 'saudi_mobile':
      return validateSaudiMobile(raw);
    case 'email':
      return validateEmail(raw);
    case 'date':
      return validateDate(raw, validator, ctx.now);
  }
}

/** Every reason key the validators return; the locale files must define them in both languages. */
export const VALIDATION_KEYS = [
  'validation.text_too_short',
  'validation.text_too_long',
  'validation.name_digits',
  'validation.name_question',
  'validation.name_letters',
  'validation.name_two_words',
  'validation.number_invalid',
  'validation.number_integer',
  'validation.number_range',
  'validation.number_too_small',
  'validation.number_too_large',
  'validation.national_id_digits',
  'validation.national_id_length',
  'validation.national_id_prefix',
  'validation.national_id_checksum',
  'validation.mobile_invalid',
  'validation.mobile_not_saudi',
  'validation.mobile_landline',
  'validation.email_invalid',
  'validation.date_invalid',
  'validation.date_not_past',
  'validation.date_not_future',
  'validation.yes_no_invalid',
  'validation.choice_invalid',
  'validation.choice_unknown',
  'validation.document_expected',
  'validation.file_unexpected',
] as const;
