import { describe, expect, it } from 'vitest';
import { looseForm, normalizeForMatch, stripInvisible, toAsciiDigits } from '../../src/flows/normalize.ts';

describe('normalizeForMatch', () => {
  it.each([
    ['Arabic-Indic digits', '٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['Persian digits', '۰۱۲۳۴۵۶۷۸۹', '0123456789'],
    ['tashkeel removed', 'مُحَمَّدٌ', 'محمد'],
    ['superscript alef removed', 'هٰذا', 'هذا'],
    ['tatweel removed', 'القـــائمة', 'القائمه'],
    ['alef with hamza above', 'أحمد', 'احمد'],
    ['alef with hamza below', 'إلغاء', 'الغاء'],
    ['alef madda', 'آمنة', 'امنه'],
    ['alef wasla', 'ٱلله', 'الله'],
    ['alef maqsura to yaa', 'مصطفى', 'مصطفي'],
    ['taa marbuta to haa', 'القائمة الرئيسية', 'القائمه الرئيسيه'],
    ['RLM/LRM and zero-width marks', '\u200Fنعم\u200E\u200B', 'نعم'],
    ['bidi isolates around a number', '\u2066055\u2069', '055'],
    ['Arabic letter mark and BOM', '\uFEFFلا\u061C', 'لا'],
    ['bidi embeddings', '\u202Bموظف\u202C', 'موظف'],
    ['Latin lower-cased', 'Main MENU', 'main menu'],
    ['whitespace collapsed and trimmed', '  طلب \t  مساعدة \n', 'طلب مساعده'],
    ['trailing Arabic question mark and comma', 'موظف؟ ، ', 'موظف'],
    ['trailing Latin punctuation', 'yes!!!', 'yes'],
    ['trailing period after a number', '2.', '2'],
    ['inner punctuation kept', 'a.b', 'a.b'],
    ['presentation forms (NFKC)', '\uFEFB', 'لا'],
    ['full-width Latin digits (NFKC)', '１２', '12'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeForMatch(input)).toBe(expected);
  });

  it('makes differently typed Arabic compare equal', () => {
    const typed = ['إلغاء', 'الغاء', 'إلْغَاء', 'الـغـاء', '\u200Fإلغاء؟'];
    expect(new Set(typed.map(normalizeForMatch))).toEqual(new Set(['الغاء']));
  });
});

describe('toAsciiDigits', () => {
  it('changes only the digits', () => {
    expect(toAsciiDigits('رقمي ٠٥٥١٢٣٤٥٦٧ و ۱۲۳ and 45')).toBe('رقمي 0551234567 و 123 and 45');
  });
});

describe('stripInvisible', () => {
  it('removes invisible and bidi controls but keeps the text as written', () => {
    expect(stripInvisible('\u200Fأحمدُ\u200E \u2066+966\u2069\uFEFF')).toBe('أحمدُ +966');
  });

  it('keeps the joiner inside emoji sequences so they display whole', () => {
    const family = '👨\u200D👩\u200D👧';
    expect(stripInvisible(`عائلتي ${family}\u200D`)).toBe(`عائلتي ${family}`);
  });
});

describe('looseForm', () => {
  it('drops emoji, brackets and symbols for label comparison', () => {
    expect(looseForm(normalizeForMatch('📝 تقديم طلب (جديد)'))).toBe('تقديم طلب جديد');
  });
});
