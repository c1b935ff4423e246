// Shared helpers for the email tests: fixtures, settings pointing at the fakes, waiting.
import { readFileSync } from 'node:fs';
import type { EmailConfig } from '../../channels/email/config.ts';
import type { OfficerRole } from '../../src/db/schema.ts';
import type { TestGateway } from '../support/gateway.ts';
import { signInInject } from '../support/officers.ts';

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

export interface MailSpec {
  from: string;
  messageId: string;
  subject: string;
  text: string;
  /** Trace and authentication headers, top first, written above From as a receiving server would. */
  headers?: string[];
}

/** A plain-text RFC 5322 mail (LF line ends; the IMAP fakes store CRLF). */
export function plainMail(m: MailSpec): string {
  return [
    ...(m.headers ?? []),
    `From: <${m.from}>`,
    'To: <info@birr.example.org>',
    `Subject: =?UTF-8?B?${Buffer.from(m.subject).toString('base64')}?=`,
    'Date: Tue, 24 Nov 2026 10:00:00 +0300',
    `Message-ID: ${m.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    m.text,
    '',
  ].join('\n');
}

/** An officer signed in through the real sign-in route: the headers of their requests. */
export async function officerHeaders(gw: TestGateway, role: OfficerRole = 'officer'): Promise<Record<string, string>> {
  const email = role === 'officer' ? 'noura@birr.example.org' : `${role}.noura@birr.example.org`;
  await gw.auth.createOfficer({ email, displayName: 'نورة', role, password: 'officer password 2026' });
  const res = await signInInject(gw, email, 'officer password 2026');
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return { cookie: String(res.headers['set-cookie']).split(';')[0] ?? '', 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
}
