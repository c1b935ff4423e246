// One digit style per Arabic message: the profile's `digits` (arabic: ٠-٩, latin: 0-9) for every number the bot
// writes, except references, phone numbers, IDs, IBANs, e-mail addresses and links, which stay Latin inside isolates.

export type DigitStyle = 'arabic' | 'latin';

const LRI = '\u2066';
const PDI = '\u2069';
// What must stay as typed: a link; a run with Latin letters, "+" or "@" and digits (TW-1448-7K3M9QX, +966551234567,
// SA44…, name@host); or 9 digits and more (a mobile, a national ID). Each already isolated run is kept as it is.
const KEPT = /\u2066[^\u2066\u2069]*\u2069|https?:\/\/\S+|(?<![\p{L}\p{N}])(?:\+?[A-Za-z0-9](?:[._%+\-@/]*[A-Za-z0-9])+)(?![\p{L}\p{N}])/gu;
const ARABIC_LETTER = /[\u0600-\u06FF]/;

const toArabicIndic = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
const toLatin = (s: string) =>
  s.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code - (code >= 0x06f0 ? 0x06f0 : 0x0660));
  });

function mustStayLatin(run: string): boolean {
  if (run.startsWith(LRI) || /^https?:/.test(run)) return true;
  if (!/[0-9]/.test(run)) return false;
  return /[A-Za-z+@]/.test(run) || run.replace(/\D/g, '').length >= 9;
}

/** Applies the style to one Arabic text; a text without Arabic letters is left alone. */
export function applyDigits(text: string, style: DigitStyle): string {
  if (!ARABIC_LETTER.test(text)) return text;
  if (style === 'latin') return toLatin(text);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(KEPT)) {
    const run = m[0];
    const at = m.index;
    out += toArabicIndic(text.slice(last, at));
    const isolated = run.startsWith(LRI) || /^https?:/.test(run);
    out += mustStayLatin(run) ? (isolated ? run : `${LRI}${run}${PDI}`) : toArabicIndic(run);
    last = at + run.length;
  }
  return out + toArabicIndic(text.slice(last));
}
