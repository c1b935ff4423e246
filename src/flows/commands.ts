// Recognises the global commands (menu, cancel, back, officer, language) from locale word lists.
import { containsAnyPhrase, equalsAnyPhrase, phraseList } from './matching.ts';
import type { Lookup } from './matching.ts';
import { normalizeForMatch } from './normalize.ts';

export type Command = 'menu' | 'cancel' | 'back' | 'officer' | 'english' | 'arabic' | 'greeting';

/** Checked in this order; the first whole-message match wins. */
const EXACT: ReadonlyArray<readonly [Command, string]> = [
  ['cancel', 'commands.cancel'],
  ['menu', 'commands.menu'],
  ['back', 'commands.back'],
  ['officer', 'commands.officer'],
  ['english', 'commands.english'],
  ['arabic', 'commands.arabic'],
  // «السلام عليكم» deserves «وعليكم السلام», not "we did not understand your choice".
  ['greeting', 'commands.greeting'],
];

export interface CommandContext {
  /** While a number is asked, a bare number ("0") is an answer, not a command. */
  numberExpected?: boolean;
  /** While free text is asked, only whole-message phrases count (a name may contain "human"). */
  freeText?: boolean;
}

export function detectCommand(text: string, lookup: Lookup, context: CommandContext = {}): Command | undefined {
  const normalized = normalizeForMatch(text);
  if (normalized === '') return undefined;
  if (context.numberExpected && /^[-+]?[\d.,٫٬ ]+$/.test(normalized)) return undefined;
  for (const [command, key] of EXACT) {
    if (equalsAnyPhrase(normalized, phraseList(lookup, key))) return command;
  }
  if (!context.freeText && containsAnyPhrase(normalized, phraseList(lookup, 'commands.officer_contains'))) {
    return 'officer';
  }
  return undefined;
}

/** Every i18n key this module reads; the locale files must define them in both languages. */
export const COMMAND_KEYS = [...EXACT.map(([, key]) => key), 'commands.officer_contains'] as const;
