// The known-device cookie: after a full sign-in the browser keeps a signed note of who signed in on it, and later
// attempts for that account from it skip the per-account delay a stranger's failures may have caused.
import { sameSecret } from '../core/secrets.ts';
import { sign, type SecretKeys } from './secret-key.ts';

export const DEVICE_COOKIE = 'tawasul_device';
export const HOST_DEVICE_COOKIE = '__Host-tawasul_device';
/** How long a browser stays known after its last full sign-in. */
export const KNOWN_DEVICE_MS = 90 * 24 * 60 * 60 * 1000;

export function deviceCookieName(https: boolean): string {
  return https ? HOST_DEVICE_COOKIE : DEVICE_COOKIE;
}

const payload = (officerId: string, issuedAtS: number) => `known-device|${officerId}|${issuedAtS}`;

/** `<officer id>.<issued, unix seconds>.<HMAC-SHA256>`: nothing secret in it, only unforgeable. */
export function knownDeviceValue(keys: SecretKeys, officerId: string, at: Date): string {
  const issued = Math.floor(at.getTime() / 1000);
  return `${officerId}.${issued}.${sign(keys, payload(officerId, issued))}`;
}

/** The officer id a cookie value vouches for, when its signature is ours and it is not older than KNOWN_DEVICE_MS. */
export function knownDeviceOfficer(keys: SecretKeys, value: string, at: Date): string | undefined {
  const parts = value.split('.');
  if (parts.length !== 3) return undefined;
  const [officerId = '', issuedText = '', signature = ''] = parts;
  if (!/^[A-Za-z0-9-]{1,64}$/.test(officerId) || !/^\d{1,12}$/.test(issuedText)) return undefined;
  const issued = Number(issuedText);
  const age = at.getTime() - issued * 1000;
  if (age < -60_000 || age > KNOWN_DEVICE_MS) return undefined;
  return sameSecret(signature, sign(keys, payload(officerId, issued))) ? officerId : undefined;
}

export function knownDeviceCookie(name: string, value: string, secure: boolean): string {
  return `${name}=${value}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${Math.floor(KNOWN_DEVICE_MS / 1000)}${secure || name.startsWith('__Host-') ? '; Secure' : ''}`;
}
