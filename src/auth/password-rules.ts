// The rules a new officer password must meet: length, not common or breached (zxcvbn's dictionaries and
// pattern scoring), and not built from the officer's email or the charity's name.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

export const PASSWORD_MIN_LENGTH = 12;
// Long enough for any passphrase, short enough that nobody makes us hash a megabyte.
export const PASSWORD_MAX_LENGTH = 512;
/** zxcvbn's scale 0-4: 3 is "safely unguessable" against an offline attack with a slow hash. */
export const PASSWORD_MIN_SCORE = 3;

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'contains_email' | 'contains_charity_name';

export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, string> = {
  too_short: `it is too short (at least ${PASSWORD_MIN_LENGTH} characters)`,
  too_long: `it is too long (at most ${PASSWORD_MAX_LENGTH} characters)`,
  too_common: 'it is too common or too easy to guess (a known or breached password, a simple pattern)',
  contains_email: 'it contains your email address',
  contains_charity_name: "it contains the charity's name",
};

export interface PasswordContext {
  email: string;
  /** The charity's names from the profile (Arabic and English, full and short). */
  charityNames?: readonly string[];
}

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  // Scoring work grows with length; longer passwords are long enough on their own.
  maxLength: 128,
});

// Words every charity's name has: refusing them would refuse "association" in any passphrase.
const GENERIC_WORDS = new Set(['جمعية', 'الجمعية', 'الخيرية', 'خيرية', 'الخيري', 'خيري', 'مؤسسة', 'charity', 'charitable', 'association', 'society', 'foundation', 'the', 'and']);

/** Lower case, Arabic letter variants folded (أإآ→ا, ة→ه, ى→ي), diacritics, spaces and punctuation removed. */
function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u064B-\u0652\u0640]/g, '')
    .replace(/[أإآ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** The distinctive parts of the charity's names: each whole name, and each word of 4+ letters that is not generic. */
function namePieces(names: readonly string[]): string[] {
  const pieces = new Set<string>();
  for (const name of names) {
    const whole = fold(name);
    if (whole.length >= 4) pieces.add(whole);
    for (const word of name.split(/[^\p{L}\p{N}]+/u)) {
      const folded = fold(word);
      if (folded.length >= 4 && !GENERIC_WORDS.has(word.toLowerCase()) && !GENERIC_WORDS.has(folded)) pieces.add(folded);
    }
  }
  return [...pieces];
}

/** Why a new password is refused, most basic reason first (empty when it is acceptable). */
export function passwordProblems(password: string, context: PasswordContext): PasswordProblem[] {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return ['too_short'];
  if (length > PASSWORD_MAX_LENGTH) return ['too_long'];
  const problems: PasswordProblem[] = [];
  const folded = fold(password);
  const email = context.email.trim().toLowerCase();
  const local = fold(email.split('@')[0] ?? '');
  if (folded.includes(fold(email)) || (local.length >= 4 && folded.includes(local))) problems.push('contains_email');
  if (namePieces(context.charityNames ?? []).some((piece) => folded.includes(piece))) problems.push('contains_charity_name');
  const userInputs = [email, email.split('@')[0] ?? '', ...(context.charityNames ?? [])];
  if (zxcvbn.check(password, userInputs).score < PASSWORD_MIN_SCORE) problems.push('too_common');
  return problems;
}
