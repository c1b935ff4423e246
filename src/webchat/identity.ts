// Optional identity verification: a site that knows its signed-in user signs the user id with a shared secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The hex HMAC-SHA256 of `userId` under `secret` — what the charity's site computes on its server. */
export function userHashFor(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Constant-time check of a user hash (hex, either case); a malformed hash costs the same as a wrong one. */
export function verifyUserHash(secret: string, userId: string, userHash: string | undefined): boolean {
  const expected = createHmac('sha256', secret).update(userId, 'utf8').digest();
  const wellFormed = typeof userHash === 'string' && /^[0-9a-fA-F]{64}$/.test(userHash);
  const given = wellFormed ? Buffer.from(userHash, 'hex') : Buffer.alloc(expected.length);
  return timingSafeEqual(expected, given) && wellFormed;
}

/** The web chat address of a verified user: the same on every device, and never a random visitor's address. */
export function verifiedAddress(userId: string): string {
  return `user:${userId}`;
}

/**
 * A verified user's mobile, for joining them with the same beneficiary on WhatsApp or SMS: the site signs
 * `phone:<userId>:<E.164 mobile>` with the same secret (hex HMAC-SHA256), so a visitor cannot claim a number.
 */
export function phoneHashFor(secret: string, userId: string, phone: string): string {
  return userHashFor(secret, `phone:${userId}:${phone}`);
}

export function verifyPhoneHash(secret: string, userId: string, phone: string, phoneHash: string | undefined): boolean {
  return verifyUserHash(secret, `phone:${userId}:${phone}`, phoneHash);
}
