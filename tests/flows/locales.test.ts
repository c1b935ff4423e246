import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/core/messages.ts';
import { ENGINE_I18N_KEYS } from '../../src/flows/engine.ts';
import { phraseList } from '../../src/flows/matching.ts';
import { localeTable, makeLookup } from './helpers.ts';

const tables = { ar: localeTable('ar'), en: localeTable('en') };
const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1] ?? '').sort();

describe('engine locale files', () => {
  it('define exactly the keys the engine uses, in both languages', () => {
    for (const locale of LOCALES) {
      expect(Object.keys(tables[locale]).sort()).toEqual([...ENGINE_I18N_KEYS].sort());
    }
  });

  it('use the same placeholders in Arabic and English', () => {
    for (const key of ENGINE_I18N_KEYS) {
      expect(placeholders(tables.ar[key] ?? ''), key).toEqual(placeholders(tables.en[key] ?? ''));
    }
  });

  it('show the numbers a reason is about', () => {
    const expected: Record<string, string[]> = {
      'validation.number_range': ['max', 'min'],
      'validation.number_too_small': ['min'],
      'validation.number_too_large': ['max'],
      'validation.text_too_short': ['min'],
      'validation.text_too_long': ['max'],
      'validation.national_id_length': ['length'],
      'validation.choice_invalid': ['max'],
      'engine.use_offered': ['value'],
    };
    for (const [key, names] of Object.entries(expected)) expect(placeholders(tables.ar[key] ?? ''), key).toEqual(names);
  });

  it('write the Arabic texts in Arabic', () => {
    for (const key of ENGINE_I18N_KEYS) {
      if (key.startsWith('commands.')) continue;
      expect(tables.ar[key], key).toMatch(/[\u0600-\u06FF]/);
    }
  });

  it('never list one phrase under two commands, or a command word as a yes/no answer', () => {
    const lookup = makeLookup({});
    const lists = ['menu', 'cancel', 'back', 'officer', 'english', 'arabic', 'yes_words', 'no_words'].map((name) => {
      const key = name.endsWith('_words') ? `engine.${name}` : `commands.${name}`;
      return [key, phraseList(lookup, key)] as const;
    });
    const owner = new Map<string, string>();
    for (const [key, phrases] of lists) {
      for (const phrase of phrases) {
        expect(owner.get(phrase), `"${phrase}" in ${key}`).toBeUndefined();
        owner.set(phrase, key);
      }
    }
  });
});
