// What an officer typed in the inbox search box: an application reference, a national ID, a mobile, or a name.
import { parseReference } from '../core/references.ts';
import { normalizeForMatch, stripInvisible, toAsciiDigits } from '../flows/normalize.ts';
import { validateSaudiMobile } from '../flows/validators.ts';

export type SearchKey =
  | { kind: 'reference'; reference: string }
  | { kind: 'nationalId'; digits: string }
  | { kind: 'mobile'; e164: string }
  | { kind: 'name'; folded: string };

/**
 * The keys a query can mean. A string of digits can be both a national ID and a mobile (never in practice,
 * but both are tried); anything that is not a reference or a number is a name, compared in folded form.
 */
export function parseSearch(query: string): SearchKey[] {
  const text = toAsciiDigits(stripInvisible(query.normalize('NFKC'))).trim();
  if (text === '') return [];
  // Old (TW-1448-00042) and new (TW-1448-7K3M9QX) references, folded as people type them.
  const reference = parseReference(text);
  if (reference) return [{ kind: 'reference', reference }];
  const compact = text.replace(/[\s\-().]/g, '');
  if (/^\+?\d+$/.test(compact)) {
    const keys: SearchKey[] = [];
    if (/^[12]\d{9}$/.test(compact)) keys.push({ kind: 'nationalId', digits: compact });
    const mobile = validateSaudiMobile(compact);
    if (mobile.ok && typeof mobile.value === 'string') keys.push({ kind: 'mobile', e164: mobile.value });
    if (keys.length > 0) return keys;
  }
  const folded = normalizeForMatch(text);
  return folded === '' ? [] : [{ kind: 'name', folded }];
}
