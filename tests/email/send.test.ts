// Sending through nodemailer to a real SMTP peer: Arabic headers round-trip, RTL HTML, reply key, threading, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../src/core/channel.ts';
import { isAppError } from '../../src/core/errors.ts';
import { createEmailAdapter, emailCapabilities } from '../../channels/email/index.ts';
import { replyKey, subjectFrom } from '../../channels/email/send.ts';
import { FakeImapServer } from '../fakes/imap-server.ts';
import { SmtpPeer } from '../fakes/smtp-peer.ts';
import { emailConfig, eml, IMAP_AUTH, memoryLogger, until } from './support.ts';

let peer: SmtpPeer;
let smtpPort: number;

beforeAll(async () => {
  peer = new SmtpPeer();
  ({ port: smtpPort } = await peer.start());
});
afterAll(async () => peer.stop());

function adapter(): ChannelAdapter {
  return createEmailAdapter(emailConfig(smtpPort), { logger: memoryLogger() });
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => new Error('expected a failure'), (err: unknown) => err);
}

describe('email send', () => {
  it('declares its capabilities as data', () => {
    expect(emailCapabilities).toMatchObject({ maxTextLength: 20000, buttons: null, media: true, canInitiate: true, replyWindowHours: null });
  });

  it('sends an Arabic mail: encoded name and subject, text part, RTL HTML, plus-addressed Reply-To', async () => {
    const text = 'مرحباً نورة، تم استلام طلبك.\nرقم الطلب: TW-2026-00042\n\nسنتواصل معك <قريباً> & شكراً.';
    const result = await adapter().send('Noura@Example.SA', { text });
    const mail = peer.received.at(-1);
    expect(mail?.to).toEqual(['noura@example.sa']);
    expect(mail?.from).toBe('info@birr.example.org');
    const parsed = mail?.parsed;
    expect(parsed?.from?.value[0]).toEqual({ name: 'جمعية البر الخيرية', address: 'info@birr.example.org' });
    expect(parsed?.subject).toBe('مرحباً نورة، تم استلام طلبك.');
    expect(parsed?.text?.trim()).toBe(text);
    expect(parsed?.html).toContain('dir="rtl"');
    expect(parsed?.html).toContain('lang="ar"');
    expect(parsed?.html).toContain('&#60;قريباً&#62; &#38; شكراً.');
    expect(parsed?.html).not.toContain('<قريباً>');
    const key = replyKey('noura@example.sa', `smtp://127.0.0.1:${smtpPort}`);
    expect(parsed?.replyTo?.value[0]?.address).toBe(`info+r${key}@birr.example.org`);
    expect(parsed?.headers.get('auto-submitted')).toBe('auto-replied');
    // The raw headers are 7-bit (RFC 2047 encoded words), as old relays expect.
    const head = mail?.raw.subarray(0, mail.raw.indexOf('\r\n\r\n')).toString('latin1') ?? '';
    expect(/^[\x00-\x7f]*$/.test(head)).toBe(true);
    expect(head).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(result.externalId).toBe(parsed?.messageId);
  });

  it('writes English text left-to-right and cuts a long first line into a short subject', async () => {
    const line = 'Your volunteering interview is confirmed for Thursday evening at the main office in Riyadh';
    await adapter().send('sarah@example.com', { text: `${line}\nSee you there.` });
    const parsed = peer.received.at(-1)?.parsed;
    expect(parsed?.html).toContain('dir="ltr"');
    expect(parsed?.html).not.toContain('rtl');
    expect(parsed?.subject).toBe(subjectFrom(line));
    expect(parsed?.subject?.length).toBeLessThanOrEqual(71);
    expect(parsed?.subject?.endsWith('…')).toBe(true);
  });

  it('threads a reply under the last mail received from that address', async () => {
    const imap = new FakeImapServer(IMAP_AUTH);
    const { port } = await imap.start();
    const a = createEmailAdapter(emailConfig(smtpPort, port), { logger: memoryLogger(), pollMs: 20 });
    let got = 0;
    imap.deliver(eml('arabic-reply'));
    await a.start?.(async () => void got++);
    await until(() => got === 1);
    await a.stop?.();
    await imap.stop();
    await a.send('abdullah@example.sa', { text: 'شكراً، تم التأكيد.' });
    const parsed = peer.received.at(-1)?.parsed;
    expect(parsed?.inReplyTo).toBe('<CAF-arabic-reply-2@mail.gmail.com>');
    expect(parsed?.references).toEqual(['<first-1@mail.gmail.com>', '<sent-by-birr-1@birr.example.org>', '<CAF-arabic-reply-2@mail.gmail.com>']);
    // Gmail groups by subject too, so the reply keeps the subject the person used.
    expect(parsed?.subject).toBe('Re: طلب المساعدة');
  });

  it('maps SMTP 4xx to retryable and 5xx to permanent errors', async () => {
    peer.rejectNext(451, 'Greylisted, try again later');
    const soft = await failure(adapter().send('a@example.sa', { text: 'مرحبا' }));
    expect(isAppError(soft) && [soft.code, soft.retryable]).toEqual(['ERR_CHANNEL_SEND', true]);
    peer.rejectNext(550, 'No such user');
    const hard = await failure(adapter().send('a@example.sa', { text: 'مرحبا' }));
    expect(isAppError(hard) && [hard.code, hard.retryable]).toEqual(['ERR_CHANNEL_SEND', false]);
    expect(isAppError(hard) && hard.message).toMatch(/SMTP 550/);
  });

  it('treats a refused connection as retryable and a non-address as permanent', async () => {
    const down = createEmailAdapter({ ...emailConfig(1), smtpUrl: 'smtp://127.0.0.1:1' }, { logger: memoryLogger() });
    const err = await failure(down.send('a@example.sa', { text: 'x' }));
    expect(isAppError(err) && err.retryable).toBe(true);
    const bad = await failure(adapter().send('966550000000', { text: 'x' }));
    expect(isAppError(bad) && bad.retryable).toBe(false);
  });
});
