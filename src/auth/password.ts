// Officer passwords: scrypt hashes in a self-describing format, and one-time passwords (the rules: password-rules.ts).
import { randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** OWASP's scrypt parameters (N=2^17, r=8, p=1): ~128 MiB and ~0.3 s per hash. */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
// scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is below that.
const maxmemFor = (N: number, r: number, p: number) => 128 * N * r * p + 32 * 1024 * 1024;

// Each hash holds ~128 MiB and a libuv thread: two at a time keep memory bounded and leave threads for file I/O.
const MAX_CONCURRENT = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

function scrypt(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: maxmemFor(N, r, p) };
  return withSlot(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
      }),
  );
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = SCRYPT_PARAMS;
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, N, r, p);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^\d{1,8}$/.test(s) ? Number(s) : NaN));
  if (N === undefined || r === undefined || p === undefined) return undefined;
  // Bounds keep a tampered row from turning one sign-in into gigabytes of work.
  if (!(N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 4)) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || key.length < 16) return undefined;
  return { N, r, p, salt, key };
}

export interface VerifyResult {
  ok: boolean;
  /** The hash uses weaker parameters than today's: store a new one after a successful sign-in. */
  needsRehash: boolean;
}

/** Constant-time comparison of the derived key; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<VerifyResult> {
  const parsed = parseHash(stored);
  if (!parsed) return { ok: false, needsRehash: false };
  const key = await scrypt(password, parsed.salt, parsed.N, parsed.r, parsed.p);
  const ok = key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  const { N, r, p } = SCRYPT_PARAMS;
  return { ok, needsRehash: ok && (parsed.N < N || parsed.r < r || parsed.p < p || parsed.key.length < KEY_LENGTH) };
}

// No 0/O, 1/l/I: one-time passwords are read off a screen and typed by hand.
const OTP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** 16 characters from a 57-letter alphabet: about 93 bits, uniformly chosen. */
export function generateOneTimePassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
  return out;
}
