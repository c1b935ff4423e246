// Arabic-aware text folding: a loose form for matching user input, and light cleanup for storage.

const ARABIC_INDIC_ZERO = 0x0660;
const PERSIAN_ZERO = 0x06f0;

/** Arabic-Indic and Persian digits to ASCII; every other character is kept. */
export function toAsciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code - (code >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO));
  });
}

// Zero-width, bidi embedding/override/isolate marks, the Arabic letter mark, word joiners, soft hyphen and BOM:
// phones and keyboards insert them around numbers, and they make equal-looking texts compare unequal.
const INVISIBLE = /[\u00AD\u061C\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// A ZWJ between emoji glues family/profession emoji together; dropping it there would split them on display.
// biome-ignore lint/suspicious/noMisleadingCharacterClass: U+FE0F is matched on its own, as the character before a ZWJ.
const LONE_ZWJ = /(?<![\p{Extended_Pictographic}\uFE0F])\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

/** Removes invisible and bidi control characters (kept: the joiner inside emoji sequences). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '').replace(LONE_ZWJ, '');
}

// Label and word-list texts are normalized on every message; both functions are pure, so results are kept.
// The caches are bounded so typed input cannot grow them without limit.
const CACHE_LIMIT = 20_000;
const normalizedCache = new Map<string, string>();
const looseCache = new Map<string, string>();

function memo(cache: Map<string, string>, key: string, fn: (s: string) => string): string {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = fn(key);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

const TASHKEEL_AND_TATWEEL = /[\u064B-\u065F\u0670\u0640]/g;
// The lookbehind starts a match only where the run starts, so a long run is read once, not once per character.
const TRAILING_PUNCTUATION = /(?<![\s!?.,;:،؟؛…])[\s!?.,;:،؟؛…]+$/u;

/**
 * The form two texts are compared in: NFKC, ASCII digits, no diacritics or tatweel, folded alef/yaa/taa
 * marbuta, no invisible marks, lower-case, single spaces, no trailing punctuation. Never stored or shown.
 */
export function normalizeForMatch(text: string): string {
  return memo(normalizedCache, text, normalizeUncached);
}

function normalizeUncached(text: string): string {
  return toAsciiDigits(text.normalize('NFKC'))
    .replace(INVISIBLE, '')
    .replace(/\u200D/g, '')
    .replace(TASHKEEL_AND_TATWEEL, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(TRAILING_PUNCTUATION, '');
}

/** A looser form for comparing against labels: only letters, digits and single spaces (drops emoji, brackets). */
export function looseForm(normalized: string): string {
  return memo(looseCache, normalized, looseUncached);
}

function looseUncached(normalized: string): string {
  return normalized
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
