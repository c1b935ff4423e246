// stripQuoted as a table: Arabic and English replies from Gmail, Outlook, Apple Mail and phones.
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../channels/email/html-text.ts';
import { stripQuoted } from '../../channels/email/quote.ts';

const cases: [name: string, input: string, expected: string][] = [
  ['plain Arabic text is kept as is', 'السلام عليكم\nأرغب في التقديم.\n\nشكراً', 'السلام عليكم\nأرغب في التقديم.\n\nشكراً'],
  [
    'Gmail Arabic attribution with date and address',
    'نعم، موافق.\n\nفي الأحد، ٢٢ نوفمبر ٢٠٢٦ في ١٠:٠٠ ص، جمعية البر <info@birr.example.org> كتب:\n> هل توافق على الموعد؟',
    'نعم، موافق.',
  ],
  [
    'Gmail Arabic attribution wrapped inside the address, with RTL marks',
    'تم.\n\n\u200fفي الأحد، ٢٢ نوفمبر ٢٠٢٦ في ١٠:٠٠ ص، جمعية البر <\u200finfo@birr.example.org\n\u200f> كتب:\u200f\n> نص قديم',
    'تم.',
  ],
  ['Arabic attribution without a date', 'شكراً لكم\n\nجمعية البر <info@birr.example.org> كتب:\n> نص قديم', 'شكراً لكم'],
  ['Apple Mail Arabic: «في …، كتب فلان <…>:»', 'حسناً\n\nفي ٢٢‏/١١‏/٢٠٢٦، الساعة ١٠:٠٠ ص، كتب جمعية البر <info@birr.example.org>:\n> قديم', 'حسناً'],
  ['English «On … wrote:»', 'Thursday works.\n\nOn Sun, Nov 22, 2026 at 10:00 AM Birr <info@birr.example.org> wrote:\n> Which day?', 'Thursday works.'],
  ['English attribution wrapped before «wrote:»', 'OK\n\nOn Sun, Nov 22, 2026 at 10:00 AM Birr <info@birr.example.org>\nwrote:\n> old', 'OK'],
  ['Outlook original message separator', 'موافق\n\n-----Original Message-----\nFrom: Birr\nSent: Sunday\nold', 'موافق'],
  ['Outlook header block', 'Fine by me.\n\n________________________________\nFrom: Birr Charity <info@birr.example.org>\nSent: Sunday, November 22, 2026 10:00 AM\nTo: Sarah', 'Fine by me.'],
  ['Outlook Arabic header block', 'تمام\n\nمن: جمعية البر <info@birr.example.org>\nأُرسلت: الأحد، ٢٢ نوفمبر ٢٠٢٦\nإلى: نورة', 'تمام'],
  ['a "-- " signature', 'أريد موعداً\n-- \nمحمد العتيبي\n0550000000', 'أريد موعداً'],
  ['Sent from my iPhone', 'Yes please\n\nSent from my iPhone', 'Yes please'],
  ['أُرسلت من iPhone', 'نعم\n\nأُرسلت من iPhone الخاص بي', 'نعم'],
  ['interleaved > lines are dropped, new lines kept', '> السؤال الأول؟\nالجواب الأول\n> السؤال الثاني؟\nالجواب الثاني', 'الجواب الأول\nالجواب الثاني'],
  ['CRLF line ends', 'مرحبا\r\n\r\nOn Mon, Nov 23, 2026 Birr <a@b.org> wrote:\r\n> x', 'مرحبا'],
  ['a reply that is only a quote becomes empty', '> كل شيء مقتبس', ''],
  ['«في» at the start of a normal sentence is kept', 'في الرياض، حي النسيم.\nكتبت لكم سابقاً', 'في الرياض، حي النسيم.\nكتبت لكم سابقاً'],
];

describe('stripQuoted', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    expect(stripQuoted(input)).toBe(expected);
  });
});

describe('htmlToText', () => {
  it('keeps paragraphs, decodes entities and drops the quoted blockquote', () => {
    const html =
      '<html><head><style>p{}</style></head><body dir="rtl"><div>مرحبا &amp; شكراً</div><div>سطر<br>ثانٍ</div>' +
      '<div class="gmail_quote"><div>في الأحد، ٢٢ نوفمبر ٢٠٢٦ في ١٠:٠٠ ص، جمعية البر &lt;info@birr.example.org&gt; كتب:</div>' +
      '<blockquote class="gmail_quote"><div>قديم</div><blockquote>أقدم</blockquote></blockquote></div></body></html>';
    expect(stripQuoted(htmlToText(html))).toBe('مرحبا & شكراً\nسطر\nثانٍ');
  });
});
