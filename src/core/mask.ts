// How personal data looks when it leaves the server in a list or goes into the audit log: masked, one way everywhere.
import { parseReference } from './references.ts';

/**
 * National IDs, mobiles and channel addresses: every character but the last four hidden (at most eight stars, so a
 * long address does not become a wall of them); four characters or fewer are hidden whole.
 */
export function maskIdentifier(value: string): string {
  const chars = [...value];
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return '*'.repeat(Math.min(chars.length - 4, 8)) + chars.slice(-4).join('');
}

const toAscii = (s: string) => s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.codePointAt(0) ?? 0) & 0xf));

/**
 * An officer's search, fit for the audit log: a reference stays as it is (it names a record, not a person), a number
 * (ID, mobile, part of either) is masked like the lists mask it, and a name keeps only each word's first letter.
 */
export function maskSearchQuery(query: string): string {
  const text = query.normalize('NFKC').trim();
  const reference = parseReference(text);
  if (reference) return reference;
  const compact = toAscii(text).replace(/[\s\-().+]/g, '');
  if (/^\d+$/.test(compact)) return maskIdentifier(compact);
  return maskName(text);
}

/** A person's name where the audit log shows it: each word keeps only its first letter («ر** ا*****»). */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((word) => {
      const [first = '', ...rest] = [...word];
      return first + '*'.repeat(rest.length);
    })
    .join(' ');
}
