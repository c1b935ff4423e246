// Pure: cut quoted replies, attribution lines and signatures out of an email body, keeping the new text. Lines are
// trimmed before they are recognised, and no pattern here can backtrack between two runs of the same characters.

// Bidi marks that Arabic mail clients sprinkle around dates and names; ignored when recognising lines.
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]/g;
const ADDRESS = /<[^<>\s@]+@[^<>\s]+>/;

// Attribution lines that start a quoted reply; everything from them on is the old mail.
const ATTRIBUTION: readonly RegExp[] = [
  /^On\s.+\swrote:\s*$/i,
  /^Le\s.+\sa écrit\s*:\s*$/i,
  // Gmail/Outlook Arabic: «في الأحد، ٢٢ نوفمبر ٢٠٢٦ في ١٠:٠٠ ص، جمعية … <…> كتب:»; Apple Mail: «في …، كتب فلان <…>:».
  /^في\s.+\s(?:كتب|كتبت)\s*:\s*$/,
  /^في\s.+،\s*كتبت?\s[^:،]*:$/,
];
const SEPARATOR: readonly RegExp[] = [
  /^-{2,}\s*(?:Original Message|Forwarded message|الرسالة الأصلية|رسالة معاد توجيهها)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
];
// Outlook puts a header block instead of one line: «From: …» then «Sent: …» / «Date: …» within a few lines.
const HEADER_FROM = /^\*?(?:From|من)\s*:[\s*]*[^\s*]/i;
const HEADER_NEXT = /^\*?(?:Sent|Date|To|Subject|أُ?رسلت|أرسل|التاريخ|تاريخ|بتاريخ|إلى|الموضوع)\s*:/i;
const SIGNATURE = /^--\s?$/;
const SENT_FROM: readonly RegExp[] = [
  /^Sent from my\s.+$/i,
  /^Get Outlook for\s.+$/i,
  /^(?:أُ?رسلت|أرسلت|مرسلة?|تم الإرسال)\s+من\s.*$/,
];

const clean = (line: string) => line.replace(BIDI, '').trim();

function isAttribution(line: string, next: string | undefined): boolean {
  if (ATTRIBUTION.some((re) => re.test(line))) return true;
  // A bare «Name <address> كتب:» (no date) is an attribution only when it names an address.
  if (ADDRESS.test(line) && /(?:كتب|كتبت|wrote)\s*:$/i.test(line)) return true;
  // Gmail wraps long attributions onto a second line (usually right inside the <address>).
  if (next !== undefined && /^(?:On|في)\s/i.test(line)) {
    const joined = `${line} ${next}`;
    return ATTRIBUTION.some((re) => re.test(joined));
  }
  return false;
}

function isHeaderBlock(lines: readonly string[], at: number): boolean {
  if (!HEADER_FROM.test(lines[at] ?? '')) return false;
  return lines.slice(at + 1, at + 5).some((l) => HEADER_NEXT.test(l));
}

/**
 * The new text of a reply: without `>` lines, «On … wrote:» / «في … كتب:» and everything after, signatures.
 * `ended`: the text stopped at such a line, so what followed it was old mail or a signature.
 */
export function newText(text: string): { text: string; ended: boolean } {
  const original = text.replace(/\r\n?/g, '\n').split('\n');
  const cleaned = original.map(clean);
  const kept: string[] = [];
  let ended = false;
  for (let i = 0; i < original.length && !ended; i++) {
    const line = cleaned[i] ?? '';
    if (line === '') {
      // Nothing to recognise on an empty line (most of a mail that is blank lines).
      kept.push('');
      continue;
    }
    const next = cleaned[i + 1];
    ended =
      isAttribution(line, next) ||
      SEPARATOR.some((re) => re.test(line)) ||
      isHeaderBlock(cleaned, i) ||
      SIGNATURE.test((original[i] ?? '').replace(BIDI, '')) ||
      SENT_FROM.some((re) => re.test(line));
    if (!ended && !line.startsWith('>')) kept.push((original[i] ?? '').trimEnd());
  }
  const out = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\s*\n/, '')
    .trim();
  return { text: out, ended };
}

export function stripQuoted(text: string): string {
  return newText(text).text;
}
