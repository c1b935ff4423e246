// The server's secret key: encrypts TOTP secrets at rest (AES-256-GCM) and signs the known-device cookie.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SERVER_KEY_FILE = 'server.key';

/** Subkeys derived from one secret, so encrypting and signing never share a key. */
export interface SecretKeys {
  /** 32 bytes for AES-256-GCM. */
  encryption: Buffer;
  /** 32 bytes for HMAC-SHA256. */
  signing: Buffer;
}

export function deriveKeys(material: string | Buffer): SecretKeys {
  const ikm = typeof material === 'string' ? Buffer.from(material, 'utf8') : material;
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', ikm, 'tawasul', info, 32));
  return { encryption: derive('totp-secret-encryption'), signing: derive('known-device-cookie') };
}

/** A key for one process (tests and tools that never store a TOTP secret): nothing it encrypts outlives it. */
export function ephemeralKeys(): SecretKeys {
  return deriveKeys(randomBytes(32));
}

/**
 * SECRET_KEY when set; else DATA_DIR/server.key, created (0600, 32 random bytes in hex) when absent. Losing the key
 * means every officer sets up their authenticator app again; keep it with the database backups, apart from them.
 */
export function loadSecretKeys(dataDir: string, secretKey: string | undefined): SecretKeys {
  if (secretKey !== undefined) return deriveKeys(secretKey);
  const file = path.join(dataDir, SERVER_KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    // `wx`: never overwrite a key another process wrote a moment ago.
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const material = fs.readFileSync(file, 'utf8').trim();
  if (material.length < 32) throw new Error(`${file} holds less than 32 characters; delete it to have a new key made, or set SECRET_KEY`);
  return deriveKeys(material);
}

/** `v1.<iv>.<tag>.<ciphertext>` in base64url; `context` (the officer id) is bound as associated data. */
export function encryptSecret(keys: SecretKeys, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

/** The plaintext, or undefined when the value was not made with this key and context (or was tampered with). */
export function decryptSecret(keys: SecretKeys, stored: string, context: string): string | undefined {
  const [version, iv, tag, data] = stored.split('.');
  if (version !== 'v1' || iv === undefined || tag === undefined || data === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.encryption, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export function sign(keys: SecretKeys, value: string): string {
  return createHmac('sha256', keys.signing).update(value).digest('base64url');
}
