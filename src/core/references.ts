// Application references (TW-1448-7K3M9QX): Hijri year, six random Crockford base-32 symbols, a mod-37 check symbol.
/** Crockford's base 32: no I, L, O or U, so nothing read aloud or off a phone screen is ambiguous. */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Check symbols for values 32–36; references are drawn so that they never need one (see `encodeCode`). */
const CHECK_EXTRA = '*~$=U';
export const CODE_SYMBOLS = 6;
/** 32^6: the random part is a number below this. */
export const CODE_SPACE = 32 ** CODE_SYMBOLS;

/** The check value of a code: the number its symbols spell, mod 37 (catches any one wrong symbol and swapped neighbours). */
function checkValue(code: string): number {
  let v = 0;
  for (const ch of code) v = (v * 32 + CROCKFORD.indexOf(ch)) % 37;
  return v;
}

function checkSymbol(value: number): string {
  return value < 32 ? (CROCKFORD[value] ?? '') : (CHECK_EXTRA[value - 32] ?? '');
}

/** Whether a random value gives a check symbol people can type on any phone keyboard (a letter or digit). */
export function hasPlainCheck(value: number): boolean {
  return value % 37 < 32;
}

/** Six symbols and the check symbol for a value below CODE_SPACE. */
export function encodeCode(value: number): string {
  let code = '';
  for (let i = 0, v = value; i < CODE_SYMBOLS; i++, v = Math.floor(v / 32)) code = (CROCKFORD[v % 32] ?? '') + code;
  return code + checkSymbol(checkValue(code));
}

/** `TW-1448-` and the code. */
export function formatReference(prefix: string, hijriYear: string, value: number): string {
  return `${prefix}-${hijriYear}-${encodeCode(value)}`;
}

// Arabic-Indic and Persian digits, as people type them on Arabic keyboards.
const toAscii = (s: string) => s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.codePointAt(0) ?? 0) & 0xf));
// Spaces, and the invisible and bidi marks a copy from a chat app carries along.
const INVISIBLE = /[\s\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const SHAPE = /^([A-Z]{2})[-_]?(\d{4})[-_]?([0-9A-Z*~$=-]+)$/;

/**
 * What a person typed, as the stored reference, or null when it cannot be one. Both forms are read: the old
 * sequential TW-1448-00042 (any number of leading zeros left out) and the new code, in any case, with Crockford's
 * O→0 and I/L→1, hyphens anywhere, spaces and Arabic-Indic digits. A code whose check symbol is wrong is null.
 */
export function parseReference(input: string): string | null {
  const m = SHAPE.exec(toAscii(input.normalize('NFKC')).replace(INVISIBLE, '').toUpperCase());
  if (!m) return null;
  const [, prefix, year, rest = ''] = m;
  const tail = rest.replace(/-/g, '');
  if (/^\d{1,5}$/.test(tail)) return `${prefix}-${year}-${tail.padStart(5, '0')}`;
  const folded = tail.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (folded.length !== CODE_SYMBOLS + 1) return null;
  const code = folded.slice(0, CODE_SYMBOLS);
  if ([...code].some((ch) => !CROCKFORD.includes(ch))) return null;
  const check = folded.slice(CODE_SYMBOLS);
  return check === checkSymbol(checkValue(code)) ? `${prefix}-${year}-${folded}` : null;
}
