// Inbound attachments over the real imapflow client: media events after the text, bytes through fetchMedia, replays.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, FetchedMedia } from '../../src/core/channel.ts';
import { isAppError } from '../../src/core/errors.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import { createEmailAdapter, type EmailDeps } from '../../channels/email/index.ts';
import { FakeImapServer } from '../fakes/imap-server.ts';
import { deferred, emailConfig, eml, IMAP_AUTH, memoryLogger, until } from './support.ts';

// The bytes inside the fixtures, fixed independently of the parser.
const PDF = { size: 638, sha256: 'dc6779c582030ae4b311d2c872d61ecece9e33327f2f8d7f2db582ccfebe0650' };
const JPEG = { size: 543, sha256: '0171178ae901e108f56305aff7e36268a690bc49933a24b1aaa587fda00f4d3b' };
const OUTLOOK_ID = '<DB9PR04MB84127D1E0A2B3C4D5E6F7A8B9C0D1E2F3@DB9PR04MB8412.eurprd04.prod.outlook.com>';
const MB = 1024 * 1024;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let imap: FakeImapServer;
let port: number;
let running: ChannelAdapter | undefined;

interface Gateway {
  events: NormalizedInbound[];
  /** What fetchMedia gave (or threw) per media event, by externalId, in the order asked. */
  files: Map<string, FetchedMedia | unknown>;
  adapter: ChannelAdapter;
}

/**
 * Starts the poller with an emit that behaves like the gateway's: it resolves only after the event is "stored" and,
 * for a media event, after fetchMedia(ref) answered (a failed fetch is recorded and the message kept).
 */
async function start(opts: { maxBytes?: number; before?: (event: NormalizedInbound) => Promise<void>; deps?: Partial<EmailDeps> } = {}): Promise<Gateway> {
  const adapter = createEmailAdapter(emailConfig(1, port), { logger: memoryLogger(), pollMs: 30, backoff: { minMs: 20, maxMs: 100 }, ...opts.deps });
  running = adapter;
  const gw: Gateway = { events: [], files: new Map(), adapter };
  await adapter.start?.(async (event) => {
    await opts.before?.(event);
    gw.events.push(event);
    if (event.content.type !== 'media' || !event.content.ref) return;
    try {
      gw.files.set(event.externalId, await adapter.fetchMedia?.(event.content.ref, { maxBytes: opts.maxBytes ?? 10 * MB }));
    } catch (err) {
      gw.files.set(event.externalId, err);
    }
  });
  return gw;
}

function fetched(gw: Gateway, externalId: string): FetchedMedia {
  const got = gw.files.get(externalId);
  if (!got || !(typeof got === 'object' && 'data' in got)) throw new Error(`no bytes for ${externalId}: ${String(got)}`);
  return got as FetchedMedia;
}

beforeEach(async () => {
  imap = new FakeImapServer(IMAP_AUTH);
  ({ port } = await imap.start());
});

afterEach(async () => {
  await running?.stop?.();
  running = undefined;
  await imap.stop();
});

describe('email attachments in', () => {
  it('emits the text, then one media event per attachment, whose bytes, name and type come back from fetchMedia', async () => {
    const uid = imap.deliver(eml('outlook-reply-attachments'));
    const gw = await start();
    await until(() => imap.seen(uid));
    expect(gw.events.map((e) => [e.externalId, e.content.type])).toEqual([
      [OUTLOOK_ID, 'text'],
      [`${OUTLOOK_ID}#1`, 'media'],
      [`${OUTLOOK_ID}#2`, 'media'],
    ]);
    expect(gw.events[0]?.content).toEqual({ type: 'text', text: 'وعليكم السلام،\n\nمرفق شهادة الراتب وصورة الهوية كما طلبتم.\n\nمحمد الحربي' });
    // RFC 2231 names (the PDF's split into continuations in the middle of a UTF-8 sequence) decode to Arabic.
    expect(gw.events[1]?.content).toEqual({ type: 'media', kind: 'document', ref: `${OUTLOOK_ID}#1`, mime: 'application/pdf', name: 'شهادة الراتب - نوفمبر ٢٠٢٦.pdf' });
    expect(gw.events[2]?.content).toEqual({ type: 'media', kind: 'image', ref: `${OUTLOOK_ID}#2`, mime: 'image/jpeg', name: 'صورة الهوية.jpg' });
    // Same address and sender on every event of the mail, so they land in one conversation (unverified: the
    // fixture carries no Authentication-Results from the charity's server).
    for (const e of gw.events) expect([e.channel, e.address, e.sender]).toEqual(['email', 'm.alharbi@example.sa', { displayName: 'محمد الحربي', unverified: true }]);
    expect(gw.events[1]?.raw).toMatchObject({ messageId: OUTLOOK_ID, attachment: 1, size: PDF.size });

    const pdf = fetched(gw, `${OUTLOOK_ID}#1`);
    expect([pdf.data.length, sha256(pdf.data), pdf.mime, pdf.name]).toEqual([PDF.size, PDF.sha256, 'application/pdf', 'شهادة الراتب - نوفمبر ٢٠٢٦.pdf']);
    expect(pdf.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const jpeg = fetched(gw, `${OUTLOOK_ID}#2`);
    expect([jpeg.data.length, sha256(jpeg.data), jpeg.mime, jpeg.name]).toEqual([JPEG.size, JPEG.sha256, 'image/jpeg', 'صورة الهوية.jpg']);
    expect([...gw.files.keys()]).toEqual([`${OUTLOOK_ID}#1`, `${OUTLOOK_ID}#2`]);
  });

  it('hands the bytes out once: a second fetch of the same ref, or an unknown ref, is a permanent ERR_NOT_FOUND', async () => {
    const uid = imap.deliver(eml('outlook-reply-attachments'));
    const gw = await start();
    await until(() => imap.seen(uid));
    for (const ref of [`${OUTLOOK_ID}#1`, '<nothing@example.sa>#1']) {
      const err = await gw.adapter.fetchMedia?.(ref, { maxBytes: MB }).then(() => undefined, (e: unknown) => e);
      expect(isAppError(err) && [err.code, err.retryable]).toEqual(['ERR_NOT_FOUND', false]);
    }
  });

  it('does not emit a signature logo shown inline by cid, keeps the real attachment, and drops Outlook\'s [cid:] placeholder', async () => {
    const uid = imap.deliver(eml('outlook-signature-logo'));
    const gw = await start();
    await until(() => imap.seen(uid));
    const id = '<AM0PR06MB6226F1E2D3C4B5A6@AM0PR06MB6226.eurprd06.prod.outlook.com>';
    expect(gw.events.map((e) => e.externalId)).toEqual([id, `${id}#1`]);
    expect(gw.events[0]?.content).toEqual({ type: 'text', text: 'السلام عليكم ورحمة الله\n\nأرفقت لكم صورة صك الإيجار.\n\nمع التحية،\nخالد الشهري\nمؤسسة النور للتجارة' });
    // An RFC 2047 encoded-word file name (Gmail's way) decodes too.
    expect(gw.events[1]?.content).toMatchObject({ kind: 'image', mime: 'image/jpeg', name: 'صورة صك الإيجار.jpg' });
    expect(sha256(fetched(gw, `${id}#1`).data)).toBe(JPEG.sha256);
    expect(gw.events.some((e) => e.content.type === 'media' && e.content.name === 'image001.png')).toBe(false);
  });

  it('emits only the media event for a mail whose only text was "sent from my iPhone"', async () => {
    const uid = imap.deliver(eml('iphone-attachment-only'));
    const gw = await start();
    await until(() => imap.seen(uid));
    const id = '<5C1D2E3F-4A5B-4C6D-8E7F-0A1B2C3D4E5F@example.sa>';
    expect(gw.events.map((e) => [e.externalId, e.address, e.content.type])).toEqual([[`${id}#1`, 'sara.q@example.sa', 'media']]);
    expect(gw.events[0]?.content).toMatchObject({ kind: 'document', mime: 'application/pdf', name: 'تقرير طبي.pdf' });
    expect(sha256(fetched(gw, `${id}#1`).data)).toBe(PDF.sha256);
  });

  it('gives a replayed mail the same ids and refs, so the gateway drops the duplicates', async () => {
    const uid = imap.deliver(eml('outlook-reply-attachments'));
    const gw = await start();
    await until(() => imap.seen(uid));
    imap.mails.find((m) => m.uid === uid)?.flags.delete('\\Seen');
    await until(() => gw.events.length === 6 && imap.seen(uid));
    const ids = gw.events.map((e) => e.externalId);
    expect(ids.slice(3)).toEqual(ids.slice(0, 3));
    expect(gw.events.slice(3).map((e) => e.content)).toEqual(gw.events.slice(0, 3).map((e) => e.content));
    // The replay cached the bytes again under the same ref, so a file missed the first time can still be fetched.
    expect(sha256(fetched(gw, `${OUTLOOK_ID}#2`).data)).toBe(JPEG.sha256);
  });

  it('refuses an attachment over maxBytes with ERR_PAYLOAD_TOO_LARGE and still delivers the others', async () => {
    const uid = imap.deliver(eml('outlook-reply-attachments'));
    const gw = await start({ maxBytes: 600 });
    await until(() => imap.seen(uid));
    const err = gw.files.get(`${OUTLOOK_ID}#1`);
    expect(isAppError(err) && [err.code, err.retryable]).toEqual(['ERR_PAYLOAD_TOO_LARGE', false]);
    expect(sha256(fetched(gw, `${OUTLOOK_ID}#2`).data)).toBe(JPEG.sha256);
  });

  it('marks a mail \\Seen only after the emits of its text and of every attachment resolved', async () => {
    const gate = deferred();
    const uid = imap.deliver(eml('outlook-reply-attachments'));
    const gw = await start({ before: async (event) => (event.externalId === `${OUTLOOK_ID}#2` ? gate.promise : undefined) });
    await until(() => gw.events.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(imap.seen(uid)).toBe(false);
    expect(imap.calls('UID STORE')).toHaveLength(0);
    gate.resolve();
    await until(() => imap.seen(uid));
    expect(gw.events).toHaveLength(3);
  });

  it('leaves a mail unseen when an attachment is not stored, and emits it again with the same ids', async () => {
    let failures = 1;
    const uid = imap.deliver(eml('outlook-reply-attachments'));
    const gw = await start({
      before: async (event) => {
        if (event.externalId === `${OUTLOOK_ID}#1` && failures-- > 0) throw new Error('SQLITE_BUSY: database is locked');
      },
    });
    await until(() => imap.seen(uid));
    expect(gw.events.map((e) => e.externalId)).toEqual([OUTLOOK_ID, OUTLOOK_ID, `${OUTLOOK_ID}#1`, `${OUTLOOK_ID}#2`]);
    expect(sha256(fetched(gw, `${OUTLOOK_ID}#1`).data)).toBe(PDF.sha256);
  });

  it('forgets bytes nobody fetched after the time limit', async () => {
    const uid = imap.deliver(eml('iphone-attachment-only'));
    const adapter = createEmailAdapter(emailConfig(1, port), { logger: memoryLogger(), pollMs: 30, mediaCache: { maxBytes: MB, ttlMs: 50 } });
    running = adapter;
    const refs: string[] = [];
    await adapter.start?.(async (event) => void (event.content.type === 'media' && event.content.ref && refs.push(event.content.ref)));
    await until(() => imap.seen(uid));
    await new Promise((r) => setTimeout(r, 120));
    const err = await adapter.fetchMedia?.(refs[0] ?? '', { maxBytes: MB }).then(() => undefined, (e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('ERR_NOT_FOUND');
  });
});
