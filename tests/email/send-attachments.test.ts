// Outbound to a real SMTP peer: the Message-ID follows our reference (idempotent resends), files arrive intact.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter, SendContext } from '../../src/core/channel.ts';
import { AppError, isAppError } from '../../src/core/errors.ts';
import type { OutboundMessage } from '../../src/core/messages.ts';
import { createEmailAdapter, emailCapabilities } from '../../channels/email/index.ts';
import { messageIdFor } from '../../channels/email/send.ts';
import { SmtpPeer } from '../fakes/smtp-peer.ts';
import { emailConfig, memoryLogger } from './support.ts';

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

// Every byte value, so an encoding slip (7-bit, CRLF, charset) would show.
const FILE = Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256)), Buffer.from('\r\n%%EOF\n')]);
const NAME = 'شهادة الراتب - نوفمبر ٢٠٢٦.pdf';
const MEDIA: NonNullable<OutboundMessage['media']> = { attachmentId: 'att-1', kind: 'document', mime: 'application/pdf', name: NAME, size: FILE.length };
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function store(files: Record<string, { data: Buffer; mime: string; name?: string }>): SendContext['readMedia'] {
  return async (id) => {
    const file = files[id];
    if (!file) throw new AppError('ERR_NOT_FOUND', 'File not found.');
    return file;
  };
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => new Error('expected a failure'), (err: unknown) => err);
}

describe('email Message-ID from our reference', () => {
  it('declares that a resend with the same reference is dropped downstream', () => {
    expect(emailCapabilities.reference).toBe('idempotent');
  });

  it('sends the same Message-ID for the same reference, on the domain of EMAIL_FROM', async () => {
    const a = adapter();
    const first = await a.send('noura@example.sa', { text: 'تم استلام طلبك.' }, { reference: 'ob-42.1' });
    const again = await a.send('noura@example.sa', { text: 'تم استلام طلبك.' }, { reference: 'ob-42.1' });
    const [m1, m2] = peer.received.slice(-2).map((m) => m.parsed.messageId);
    expect([m1, m2]).toEqual(['<ob-42.1@birr.example.org>', '<ob-42.1@birr.example.org>']);
    expect([first.externalId, again.externalId]).toEqual([m1, m2]);
    // A fresh adapter (the process after a crash) derives the same id.
    await adapter().send('noura@example.sa', { text: 'تم استلام طلبك.' }, { reference: 'ob-42.1' });
    expect(peer.received.at(-1)?.parsed.messageId).toBe('<ob-42.1@birr.example.org>');
  });

  it('gives other references other ids, and leaves the id to nodemailer without one', async () => {
    await adapter().send('noura@example.sa', { text: 'أ' }, { reference: 'ob-43' });
    await adapter().send('noura@example.sa', { text: 'ب' });
    await adapter().send('noura@example.sa', { text: 'ب' });
    const [withRef, plain1, plain2] = peer.received.slice(-3).map((m) => m.parsed.messageId);
    expect(withRef).toBe('<ob-43@birr.example.org>');
    expect(plain1).toMatch(/^<.+@.+>$/);
    expect(plain1).not.toBe(plain2);
  });

  it('hashes a reference outside the contract alphabet into a valid, still stable id', () => {
    const id = messageIdFor('bad ref/with spaces', 'Info@Birr.Example.org');
    expect(id).toMatch(/^<tw-[0-9a-f]{32}@birr\.example\.org>$/);
    expect(messageIdFor('bad ref/with spaces', 'info@birr.example.org')).toBe(id);
  });
});

describe('email attachments out', () => {
  it('attaches the stored file with its Arabic name and type; the text is the body', async () => {
    const readMedia = store({ 'att-1': { data: FILE, mime: 'application/pdf', name: 'stored.pdf' } });
    await adapter().send('noura@example.sa', { text: 'مرفق شهادة الراتب.', media: MEDIA }, { readMedia, reference: 'ob-44' });
    const mail = peer.received.at(-1);
    const parsed = mail?.parsed;
    expect(parsed?.text?.trim()).toBe('مرفق شهادة الراتب.');
    expect(parsed?.html).toContain('dir="rtl"');
    expect(parsed?.attachments).toHaveLength(1);
    const file = parsed?.attachments[0];
    expect([file?.filename, file?.contentType, file?.contentDisposition]).toEqual([NAME, 'application/pdf', 'attachment']);
    expect([file?.content.length, file && sha256(file.content)]).toEqual([FILE.length, sha256(FILE)]);
    // Every line on the wire is 7-bit: the Arabic file name travels encoded (RFC 2231 / 2047), the bytes in base64.
    expect(/^[\x00-\x7f]*$/.test(mail?.raw.toString('latin1') ?? '')).toBe(true);
  });

  it('sends a file without a caption with an empty body and the file name as the subject of a new thread', async () => {
    const readMedia = store({ 'att-1': { data: FILE, mime: 'application/pdf' } });
    await adapter().send('sara@example.sa', { text: '', media: MEDIA }, { readMedia });
    const parsed = peer.received.at(-1)?.parsed;
    expect(parsed?.subject).toBe(NAME);
    expect(parsed?.text ?? '').toBe('');
    expect(parsed?.html).toBeFalsy();
    expect(parsed?.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([[NAME, sha256(FILE)]]);
  });

  it('fails for good when the file is gone or the worker cannot read files, and sends nothing', async () => {
    const before = peer.received.length;
    const gone = await failure(adapter().send('sara@example.sa', { text: 'x', media: { ...MEDIA, attachmentId: 'att-missing' } }, { readMedia: store({}) }));
    expect(isAppError(gone) && [gone.code, gone.retryable]).toEqual(['ERR_NOT_FOUND', false]);
    const noReader = await failure(adapter().send('sara@example.sa', { text: 'x', media: MEDIA }, {}));
    expect(isAppError(noReader) && [noReader.code, noReader.retryable]).toEqual(['ERR_CHANNEL_SEND', false]);
    expect(peer.received.length).toBe(before);
  });

  it('retries when reading the file failed for another reason', async () => {
    const flaky: SendContext['readMedia'] = async () => {
      throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
    };
    const err = await failure(adapter().send('sara@example.sa', { text: 'x', media: MEDIA }, { readMedia: flaky }));
    expect(isAppError(err) && [err.code, err.retryable]).toEqual(['ERR_CHANNEL_SEND', true]);
  });
});
