// TOTP (RFC 6238, 30 s, 6 digits, SHA-1 as every authenticator app expects) and single-use recovery codes.
import { createHash, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

export const TOTP_ISSUER = 'Tawasul';
export const TOTP_PERIOD_S = 30;
export const RECOVERY_CODE_COUNT = 10;
// One step either side: a phone clock a little off still works.
const TOLERANCE_S = TOTP_PERIOD_S;

export function newTotpSecret(): string {
  return generateSecret();
}

/** otpauth://totp/Tawasul:<email>?secret=…&issuer=Tawasul, and the same as an SVG QR code. */
export async function totpEnrolment(secret: string, email: string): Promise<{ otpauthUri: string; qrSvg: string }> {
  const otpauthUri = generateURI({ issuer: TOTP_ISSUER, label: email, secret });
  const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { otpauthUri, qrSvg };
}

const ARABIC_INDIC = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** Arabic-Indic and Persian digits to ASCII; spaces, dashes and dots (as people type codes) removed. */
export function normalizeCode(input: string): string {
  return input
    .replace(ARABIC_INDIC, (d) => String((d.codePointAt(0) ?? 0) & 0xf))
    .replace(/[\s\u200c-\u200f\-_.]/g, '')
    .toLowerCase();
}

export const isTotpShape = (normalized: string) => /^\d{6}$/.test(normalized);

/** The time step the code belongs to, or undefined when it is wrong or not newer than `afterStep` (a replay). */
export async function checkTotp(secret: string, normalized: string, at: Date, afterStep: number | null): Promise<number | undefined> {
  if (!isTotpShape(normalized)) return undefined;
  const result = await verify({
    secret,
    token: normalized,
    epoch: Math.floor(at.getTime() / 1000),
    epochTolerance: TOLERANCE_S,
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  }).catch(() => ({ valid: false as const }));
  return result.valid && 'timeStep' in result ? (result as { timeStep: number }).timeStep : undefined;
}

// Lower case without 0/o, 1/l/i: read off paper and typed by hand.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** `xxxxx-xxxxx`: 10 characters from 31, about 49 bits each; stored only as a SHA-256 hash. */
export function newRecoveryCodes(): string[] {
  const one = () => Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = one();
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalizeCode(code)).digest('hex');
}
