// The one constant-time comparison of secrets (webhook tokens, HMAC signatures, CSRF tokens).
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (v: string | Uint8Array) => createHash('sha256').update(v).digest();

/**
 * True when `given` equals `expected`, in time that depends on neither their content nor their lengths: both are
 * hashed to 32 bytes first, so `timingSafeEqual` never throws on unequal lengths and the length leaks nothing.
 */
export function sameSecret(given: string | Uint8Array, expected: string | Uint8Array): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
