// Validators that read like people write: full names, numbers with separators and units.
import { describe, expect, it } from 'vitest';
import { validateNumber, validatePersonName } from '../../src/flows/validators.ts';

describe('person names', () => {
  it('refuse a question, digits and a single word, each with its own reason', () => {
    expect(validatePersonName('هل تصرفون سلال رمضان؟', {})).toMatchObject({ ok: false, reason: 'validation.name_question' });
    expect(validatePersonName('١٠٥٨٥٢٩٩٤٠', {})).toMatchObject({ ok: false, reason: 'validation.name_digits' });
    expect(validatePersonName('محمد', {})).toMatchObject({ ok: false, reason: 'validation.name_two_words' });
    expect(validatePersonName('محمد @ علي', {})).toMatchObject({ ok: false, reason: 'validation.name_letters' });
  });

  it('accept Arabic and Latin full names', () => {
    expect(validatePersonName('  محمد   عبدالله العتيبي ', {})).toEqual({ ok: true, value: 'محمد عبدالله العتيبي' });
    expect(validatePersonName('Sara Al-Qahtani', {})).toEqual({ ok: true, value: 'Sara Al-Qahtani' });
  });
});

describe('numbers', () => {
  it('read Arabic separators and units', () => {
    expect(validateNumber('٣٬٥٠٠ ريال', { integer: false })).toEqual({ ok: true, value: 3500 });
    expect(validateNumber('3,500 ريال', { integer: false })).toEqual({ ok: true, value: 3500 });
    expect(validateNumber('6 أفراد', { min: 1, max: 30 })).toEqual({ ok: true, value: 6 });
    expect(validateNumber('٤ اشخاص', { min: 1, max: 30 })).toEqual({ ok: true, value: 4 });
    expect(validateNumber('ريال', {})).toMatchObject({ ok: false, reason: 'validation.number_invalid' });
  });

  it('read numbers in Arabic words', () => {
    expect(validateNumber('ستة', { min: 1, max: 30 })).toEqual({ ok: true, value: 6 });
    expect(validateNumber('ثلاثة آلاف وخمسمية', { integer: false })).toEqual({ ok: true, value: 3500 });
    expect(validateNumber('عشرين ألف ريال', { integer: false })).toEqual({ ok: true, value: 20000 });
    expect(validateNumber('خمسة وعشرين', {})).toEqual({ ok: true, value: 25 });
    expect(validateNumber('ستة اشخاص', {})).toEqual({ ok: true, value: 6 });
    expect(validateNumber('ما ادري', {})).toMatchObject({ ok: false, reason: 'validation.number_invalid' });
  });

  it('read numbers in English words', () => {
    expect(validateNumber('six', { min: 1, max: 30 })).toEqual({ ok: true, value: 6 });
    expect(validateNumber('Six people', { min: 1, max: 30 })).toEqual({ ok: true, value: 6 });
    expect(validateNumber('three thousand five hundred', { integer: false })).toEqual({ ok: true, value: 3500 });
    expect(validateNumber('twenty thousand SAR', { integer: false })).toEqual({ ok: true, value: 20000 });
    expect(validateNumber('twenty-one', {})).toEqual({ ok: true, value: 21 });
    expect(validateNumber('a hundred and five', {})).toEqual({ ok: true, value: 105 });
    expect(validateNumber('thirty-five', { min: 1, max: 30 })).toMatchObject({ ok: false, reason: 'validation.number_range' });
    // A list of numbers, a lone article or a word that is no number are refused, not guessed.
    expect(validateNumber('one two', {})).toMatchObject({ ok: false, reason: 'validation.number_invalid' });
    expect(validateNumber('twenty thirty', {})).toMatchObject({ ok: false, reason: 'validation.number_invalid' });
    expect(validateNumber('a', {})).toMatchObject({ ok: false, reason: 'validation.number_invalid' });
    expect(validateNumber('a few', {})).toMatchObject({ ok: false, reason: 'validation.number_invalid' });
  });
});
