// SMS segment arithmetic: GSM-7 vs UCS-2 detection, part counts, and cutting a text to a part budget.

// GSM 03.38 basic character set (ESC 0x1B excluded: it only prefixes extension characters).
const GSM_BASIC = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ),
);
// Extension table: each costs two septets (ESC + char).
const GSM_EXTENSION = new Set(Array.from('^{}\\[~]|€\f'));

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegments {
  encoding: SmsEncoding;
  /** Number of parts the text is sent as (0 for an empty text). */
  segments: number;
  /** Capacity of each part in this encoding: 160/70 for a single part, 153/67 per part when split. */
  perSegment: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
}

const LIMITS = { 'GSM-7': { single: 160, multi: 153 }, 'UCS-2': { single: 70, multi: 67 } } as const;

function gsmUnits(text: string): number | null {
  let units = 0;
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) units += 1;
    else if (GSM_EXTENSION.has(ch)) units += 2;
    else return null;
  }
  return units;
}

/** How a text is carried: encoding, number of parts and per-part capacity. */
export function smsSegments(text: string): SmsSegments {
  const gsm = gsmUnits(text);
  const encoding: SmsEncoding = gsm === null ? 'UCS-2' : 'GSM-7';
  // UCS-2 counts UTF-16 code units, so an emoji (a surrogate pair) takes two.
  const units = gsm ?? text.length;
  const { single, multi } = LIMITS[encoding];
  if (units <= single) return { encoding, segments: units === 0 ? 0 : 1, perSegment: single, units };
  return { encoding, segments: Math.ceil(units / multi), perSegment: multi, units };
}

function fits(text: string, maxSegments: number): boolean {
  return smsSegments(text).segments <= maxSegments;
}

/**
 * Cuts `text` so it fits in `maxSegments` parts, at a word boundary when one is near, and marks the cut
 * with an ellipsis. A GSM-7 text gets '...' because '…' is not in GSM-7 and would force UCS-2, halving the
 * budget; anything else gets '…'.
 */
export function fitToSegments(text: string, maxSegments: number): string {
  if (fits(text, maxSegments)) return text;
  const ellipsis = smsSegments(text).encoding === 'GSM-7' ? '...' : '…';
  // Code points, so a surrogate pair is never split.
  const chars = Array.from(text);
  // Segment count only grows with the prefix length (units grow; the encoding can only turn UCS-2), so bisect.
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(chars.slice(0, mid).join('').trimEnd() + ellipsis, maxSegments)) lo = mid;
    else hi = mid - 1;
  }
  const prefix = chars.slice(0, lo).join('');
  // Prefer the last whitespace if it keeps at least half of what fits; otherwise a hard cut.
  const space = Math.max(prefix.lastIndexOf(' '), prefix.lastIndexOf('\n'));
  const cut = space >= prefix.length / 2 && chars[lo] !== undefined && !/\s/.test(chars[lo] ?? '') ? prefix.slice(0, space) : prefix;
  return cut.trimEnd() + ellipsis;
}
