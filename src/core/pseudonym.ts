// One-way stand-ins for erased identifiers: an HMAC under the server's key, so the same sender or provider message
// id is recognised after erasure while the value itself can never be read back.
import { createHmac, hkdfSync } from 'node:crypto';

export const ERASED_PREFIX = 'erased:';

export type Pseudonymizer = (kind: 'identity' | 'message', value: string) => string;

/** `key`: server key material (the signing subkey); a subkey of its own is derived so no other use shares it. */
export function createPseudonymizer(key: Buffer): Pseudonymizer {
  const subkey = Buffer.from(hkdfSync('sha256', key, 'tawasul', 'erased-identifiers', 32));
  return (kind, value) => `${ERASED_PREFIX}${createHmac('sha256', subkey).update(`${kind}\u0000${value}`).digest('base64url')}`;
}

export const isErased = (value: string | null | undefined): boolean => value?.startsWith(ERASED_PREFIX) === true;
