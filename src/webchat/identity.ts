// Optional identity verification: a site that knows its signed-in user signs the user id with a shared secret.
import { createHmac } from 'node:crypto';
import { sameSecret } from '../core/secrets.ts';

/** The hex HMAC-SHA256 of `userId` under `secret` — what the charity's site computes on its server. */
export function userHashFor(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Constant-time check of a user hash (hex, either case); a malformed hash costs the same as a wrong one. */
export function verifyUserHash(secret: string, userId: string, userHash: string | undefined): boolean {
  const expected = createHmac('sha256', secret).update(userId, 'utf8').digest();
  const wellFormed = typeof userHash === 'string' && /^[0-9a-fA-F]{64}$/.test(userHash);
  const given = wellFormed ? Buffer.from(userHash, 'hex') : Buffer.alloc(expected.length);
  return sameSecret(given, expected) && wellFormed;
}

/**
 * What the site signs. With an expiry (`exp`, Unix seconds) it is `<signed>\n<exp>`: a user id cannot contain a
 * line break, so a signature without expiry can never pass for one with an expiry, or the other way round.
 */
export function signedText(text: string, exp: number | undefined): string {
  return exp === undefined ? text : `${text}\n${exp}`;
}

/** Clocks of the site's server and ours may differ a little. */
export const EXP_LEEWAY_S = 60;

/** True when the signature's expiry has passed (a signature without one never expires, for existing sites). */
export function signatureExpired(exp: number | undefined, now: Date): boolean {
  return exp !== undefined && now.getTime() / 1000 > exp + EXP_LEEWAY_S;
}

/** The web chat address of a verified user: the same on every device, and never a random visitor's address. */
export function verifiedAddress(userId: string): string {
  return `user:${userId}`;
}

/**
 * A verified user's mobile, for joining them with the same beneficiary on WhatsApp or SMS: the site signs
 * `phone:<userId>:<E.164 mobile>` with the same secret (hex HMAC-SHA256), so a visitor cannot claim a number.
 */
export function phoneHashFor(secret: string, userId: string, phone: string, exp?: number): string {
  return userHashFor(secret, signedText(`phone:${userId}:${phone}`, exp));
}

export function verifyPhoneHash(secret: string, userId: string, phone: string, phoneHash: string | undefined, exp?: number): boolean {
  return verifyUserHash(secret, signedText(`phone:${userId}:${phone}`, exp), phoneHash);
}
