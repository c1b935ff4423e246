// Shared helpers for the email tests: fixtures, settings pointing at the fakes, waiting.
import { readFileSync } from 'node:fs';
import type { EmailConfig } from '../../channels/email/config.ts';

export { memoryLogger } from '../telegram/support.ts';

export const IMAP_AUTH = { user: 'info@birr.example.org', pass: 'imap-Secret-never-logged' };
export const SMTP_URL_SECRET = 'smtp://info%40birr.example.org:smtp-Secret-never-logged@127.0.0.1';

export function eml(name: string): string {
  return readFileSync(new URL(`../fixtures/email/${name}.eml`, import.meta.url), 'utf8');
}

export function emailConfig(smtpPort: number, imapPort?: number): EmailConfig {
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    imap: imapPort === undefined ? null : { host: '127.0.0.1', port: imapPort, secure: false, user: IMAP_AUTH.user, pass: IMAP_AUTH.pass },
    from: { name: 'جمعية البر الخيرية', address: 'info@birr.example.org' },
    pollSeconds: 60,
    maxBytes: 10 * 1024 * 1024,
    authservId: 'mx.birr.example.org',
  };
}

export async function until(check: () => boolean, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
