import { describe, expect, it } from 'vitest';
import {
  luhnValid,
  parseDate,
  validate,
  validateChoice,
  validateDate,
  validateEmail,
  validateNationalId,
  validateNumber,
  validateSaudiMobile,
  validateText,
  validateYesNo,
} from '../../src/flows/validators.ts';
import { makeLookup } from './helpers.ts';

const lookup = makeLookup({ 'x.red': { ar: 'أحمر', en: 'Red' }, 'x.blue': { ar: 'أزرق', en: 'Blue' }, 'x.blue_syn': { ar: 'سماوي', en: 'navy' } });
const now = new Date('2024-09-14T09:00:00Z');

describe('saudi_national_id', () => {
  it.each(['1000000008', '2000000006', '1234567897', '1058529940', '١٠٥٨٥٢٩٩٤٠', '۱۲۳۴۵۶۷۸۹۷', '1058 529 940', '105-852-9940', '\u2066١٠٠٠٠٠٠٠٠٨\u2069'])(
    'accepts %s',
    (raw) => {
      const result = validateNationalId(raw);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.value).toMatch(/^[12]\d{9}$/);
    },
  );

  it('stores the folded 10-digit string', () => {
    expect(validateNationalId('١٠٥٨-٥٢٩-٩٤٠')).toEqual({ ok: true, value: '1058529940' });
  });

  it.each([
    ['1000000000', 'validation.national_id_checksum'],
    ['2000000007', 'validation.national_id_checksum'],
    ['105852994', 'validation.national_id_length'],
    ['10585299400', 'validation.national_id_length'],
    ['3000000004', 'validation.national_id_prefix'],
    ['9000000000', 'validation.national_id_prefix'],
    ['١٠٠٠٠٠٠٠٠٠', 'validation.national_id_checksum'],
    ['ID 1000000008', 'validation.national_id_digits'],
    ['', 'validation.national_id_digits'],
  ])('rejects %s with %s', (raw, reason) => {
    expect(validateNationalId(raw)).toMatchObject({ ok: false, reason });
  });

  it('tells how many digits were sent when the length is wrong', () => {
    expect(validateNationalId('١٢٣٤٥')).toEqual({ ok: false, reason: 'validation.national_id_length', params: { length: 5 } });
  });

  it('rejects every prefix from 3 to 9 even when the checksum would pass', () => {
    for (let first = 3; first <= 9; first++) {
      const body = `${first}00000000`;
      const check = [...Array(10).keys()].map(String).find((d) => luhnValid(body + d));
      expect(validateNationalId(`${body}${check}`)).toMatchObject({ reason: 'validation.national_id_prefix' });
    }
  });
});

describe('saudi_mobile', () => {
  it.each(['0551234567', '551234567', '966551234567', '00966551234567', '+966 55 123 4567', '٠٥٥١٢٣٤٥٦٧', '۰۵۵۱۲۳۴۵۶۷', '055-123-4567', '\u200E+966551234567\u200E'])(
    '%s is +966551234567',
    (raw) => {
      expect(validateSaudiMobile(raw)).toEqual({ ok: true, value: '+966551234567' });
    },
  );

  it.each([
    ['0112345678', 'validation.mobile_landline'],
    ['+966 11 234 5678', 'validation.mobile_landline'],
    ['920012345', 'validation.mobile_landline'],
    ['+201001234567', 'validation.mobile_not_saudi'],
    ['+14155552671', 'validation.mobile_not_saudi'],
    ['05512345678', 'validation.mobile_invalid'],
    ['12345', 'validation.mobile_invalid'],
    ['لا يوجد', 'validation.mobile_invalid'],
  ])('rejects %s with %s', (raw, reason) => {
    expect(validateSaudiMobile(raw)).toMatchObject({ ok: false, reason });
  });
});

describe('number', () => {
  it.each([
    ['5', 5],
    ['٥', 5],
    ['۷', 7],
    ['١٬٥٠٠', 1500],
    ['1,500', 1500],
    [' 12 ', 12],
    ['0', 0],
  ])('reads %s as %d', (raw, value) => {
    expect(validateNumber(raw, { integer: true })).toEqual({ ok: true, value });
  });

  it('reads the Arabic decimal separator when fractions are allowed', () => {
    expect(validateNumber('٢٫٥', { integer: false })).toEqual({ ok: true, value: 2.5 });
    expect(validateNumber('٢٫٥', { integer: true })).toMatchObject({ reason: 'validation.number_integer' });
  });

  it('explains the allowed range with its limits', () => {
    expect(validateNumber('٢٥', { min: 1, max: 20 })).toEqual({ ok: false, reason: 'validation.number_range', params: { min: 1, max: 20 } });
    expect(validateNumber('0', { min: 1 })).toEqual({ ok: false, reason: 'validation.number_too_small', params: { min: 1 } });
    expect(validateNumber('99', { max: 10 })).toEqual({ ok: false, reason: 'validation.number_too_large', params: { max: 10 } });
  });

  it.each(['', '1.2.3', 'ريال'])('rejects %j as not a number', (raw) => {
    expect(validateNumber(raw, { integer: false })).toMatchObject({ reason: 'validation.number_invalid' });
  });
});

describe('text', () => {
  it('counts length after trimming and keeps the answer as written', () => {
    expect(validateText('  محمّد  ', { min: 2, max: 10 })).toEqual({ ok: true, value: 'محمّد' });
    expect(validateText('   ', { min: 1 })).toEqual({ ok: false, reason: 'validation.text_too_short', params: { min: 1 } });
    expect(validateText('م', { min: 2 })).toMatchObject({ reason: 'validation.text_too_short', params: { min: 2 } });
    expect(validateText('abcdef', { min: 1, max: 5 })).toEqual({ ok: false, reason: 'validation.text_too_long', params: { max: 5 } });
  });
});

describe('email', () => {
  it('accepts addresses and lower-cases the domain only', () => {
    expect(validateEmail(' Sara.A@Example.COM ')).toEqual({ ok: true, value: 'Sara.A@example.com' });
  });
  it.each(['sara', 'sara@', 'sara@example', '@example.com', 'sa ra@example.com', 'sara@example..com'])('rejects %s', (raw) => {
    expect(validateEmail(raw)).toMatchObject({ reason: 'validation.email_invalid' });
  });
});

describe('date', () => {
  it.each([
    ['2024-09-14', '2024-09-14'],
    ['14/9/2024', '2024-09-14'],
    ['14-09-2024', '2024-09-14'],
    ['١٤/٩/٢٠٢٤', '2024-09-14'],
    ['1446/3/11', '2024-09-14'],
    ['١١/٣/١٤٤٦هـ', '2024-09-14'],
    ['11/3/1446 هـ', '2024-09-14'],
    ['1446-03-11', '2024-09-14'],
    ['1/1/1400', '1979-11-20'],
    ['14/9/2024م', '2024-09-14'],
  ])('%s is %s', (raw, iso) => {
    expect(parseDate(raw)).toBe(iso);
  });

  it.each(['31/2/2024', '2024-13-01', '30/9/1446', '14/9/24', 'أمس', '1/1/1200', '1/1/1800'])('cannot read %s', (raw) => {
    expect(validateDate(raw, {}, now)).toMatchObject({ ok: false, reason: 'validation.date_invalid' });
  });

  it('checks past and future against the Riyadh calendar day of ctx.now', () => {
    expect(validateDate('15/9/2024', { past: true }, now)).toMatchObject({ reason: 'validation.date_not_past' });
    expect(validateDate('14/9/2024', { past: true }, now)).toEqual({ ok: true, value: '2024-09-14' });
    expect(validateDate('1/1/1400', { future: true }, now)).toMatchObject({ reason: 'validation.date_not_future' });
    // 22:30 UTC on the 14th is already the 15th in Riyadh.
    const lateNight = new Date('2024-09-14T22:30:00Z');
    expect(validateDate('15/9/2024', { past: true }, lateNight)).toEqual({ ok: true, value: '2024-09-15' });
  });
});

describe('yes_no', () => {
  it.each(['نعم', 'ايوه', 'أيوه', 'اي', 'ايه', 'صح', 'yes', 'Y', 'ok', '1', '١', 'yes', 'نعم ✅'])('%s is yes', (raw) => {
    expect(validateYesNo(raw, lookup)).toEqual({ ok: true, value: true });
  });
  it.each(['لا', 'لأ', 'no', 'N', '2', '٢', 'No.'])('%s is no', (raw) => {
    expect(validateYesNo(raw, lookup)).toEqual({ ok: true, value: false });
  });
  it('takes button presses by id and rejects anything else', () => {
    expect(validateYesNo({ type: 'choice', id: 'no' }, lookup)).toEqual({ ok: true, value: false });
    expect(validateYesNo('ربما', lookup)).toEqual({ ok: false, reason: 'validation.yes_no_invalid' });
  });
});

describe('choice', () => {
  const choices = [
    { id: 'red', label: 'x.red' },
    { id: 'blue', label: 'x.blue', synonyms: 'x.blue_syn' },
  ];
  it.each([
    ['2', 'blue'],
    ['٢', 'blue'],
    ['أزرق', 'blue'],
    ['ازرق', 'blue'],
    ['Blue', 'blue'],
    ['سماوي', 'blue'],
    ['NAVY', 'blue'],
    ['red', 'red'],
  ])('%s picks %s', (raw, id) => {
    expect(validateChoice(raw, choices, lookup)).toEqual({ ok: true, value: id });
  });
  it('says how many options there are when nothing matches', () => {
    expect(validateChoice('3', choices, lookup)).toEqual({ ok: false, reason: 'validation.choice_invalid', params: { max: 2 } });
    expect(validateChoice({ type: 'choice', id: 'green' }, choices, lookup)).toMatchObject({ reason: 'validation.choice_invalid' });
  });
});

describe('validate (dispatch)', () => {
  it('routes to the validator of the step', () => {
    expect(validate({ type: 'saudi_mobile' }, '٠٥٥١٢٣٤٥٦٧', { now, lookup })).toEqual({ ok: true, value: '+966551234567' });
    expect(validate({ type: 'date' }, '١١/٣/١٤٤٦هـ', { now, lookup })).toEqual({ ok: true, value: '2024-09-14' });
  });
  it('refuses a stale button press where typed text is expected', () => {
    expect(validate({ type: 'email' }, { type: 'choice', id: 'x' }, { now, lookup })).toMatchObject({ reason: 'validation.choice_unknown' });
  });
});
