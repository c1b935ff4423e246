// A mail over EMAIL_MAX_BYTES, through a real IMAP server into the real gateway: it is never downloaded, yet nothing
// is silently lost: officers see that a mail from that address was too large, the sender is told politely in their
// language, the mail is marked read, and reading it again stores and answers nothing twice. A server that
// under-reports a size still cannot make the channel download more than the limit.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAdapter } from '../../channels/email/index.ts';
import type { ChannelAdapter } from '../../src/core/channel.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import { HoodiecrowImap } from '../fakes/hoodiecrow-imap.ts';
import { FakeImapServer } from '../fakes/imap-server.ts';
import { SmtpPeer } from '../fakes/smtp-peer.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { emailConfig, IMAP_AUTH, memoryLogger, officerHeaders, plainMail, until } from './support.ts';

const LIMIT = 1_048_576;
const big = (from: string, id: string) => plainMail({ from, messageId: id, subject: 'المستندات', text: `مرفق صور المستندات.\n${'A'.repeat(76)}\n`.repeat(15_000) });
const MAILS = [
  // A new sender writes in Arabic; an English-speaking one switched the conversation to English first.
  big('khalid@example.sa', '<big-ar@example.sa>'),
  plainMail({ from: 'john@example.com', messageId: '<en-1@example.com>', subject: 'Help', text: 'English' }),
  big('john@example.com', '<big-en@example.com>'),
];

let imap: HoodiecrowImap;
let peer: SmtpPeer;
let gw: TestGateway;

interface Row {
  externalId: string;
  text: string;
  payload: string | null;
  conversationId: string;
}
const inbound = () => gw.db.$client.prepare(`select external_id as externalId, text, payload, conversation_id as conversationId from messages where channel = 'email' and direction = 'in' order by id`).all() as Row[];
const allSeen = async (uids: number[]) => {
  const flags = await imap.flags();
  return uids.every((uid) => flags.get(uid)?.has('\\Seen')) || undefined;
};
const mailsTo = (address: string) => peer.received.filter((m) => m.to.includes(address));

beforeAll(async () => {
  expect(Buffer.byteLength(MAILS[0] ?? '')).toBeGreaterThan(LIMIT);
  imap = new HoodiecrowImap(IMAP_AUTH, MAILS);
  peer = new SmtpPeer();
  const { url: imapUrl } = await imap.start();
  const { url: smtpUrl } = await peer.start();
  gw = await startGateway({
    SMTP_URL: smtpUrl,
    IMAP_URL: imapUrl,
    EMAIL_FROM: '"جمعية البر الخيرية" <info@birr.example.org>',
    EMAIL_POLL_SECONDS: '5',
    EMAIL_MAX_BYTES: String(LIMIT),
  });
  await gw.listen();
  await eventually(() => allSeen([1, 2, 3]), 10_000);
}, 40_000);
afterAll(async () => {
  await gw?.close();
  await imap?.stop();
  await peer?.stop();
});

describe('a mail over EMAIL_MAX_BYTES', () => {
  it('is never downloaded, is stored for officers with its size, and is marked read', async () => {
    expect([imap.sourceFetches(1), imap.sourceFetches(3)]).toEqual([0, 0]);
    const rows = inbound().filter((r) => r.externalId.startsWith('<big-'));
    expect(rows.map((r) => [r.externalId, r.text])).toEqual([
      ['<big-ar@example.sa>', ''],
      ['<big-en@example.com>', ''],
    ]);
    const size = Buffer.byteLength(MAILS[0]?.replace(/\n/g, '\r\n') ?? '');
    expect(JSON.parse(rows[0]?.payload ?? '{}')).toEqual({ unverifiedSender: true, tooLarge: { size, maxBytes: LIMIT } });
    const officer = await officerHeaders(gw);
    const detail = await gw.app.inject({ method: 'GET', url: `/api/inbox/conversations/${rows[0]?.conversationId}`, headers: officer });
    const history = (detail.json() as { history: { direction: string; tooLarge?: unknown }[] }).history;
    expect(history.find((m) => m.direction === 'in')?.tooLarge).toEqual({ size, maxBytes: LIMIT });
  });

  it('tells the sender politely, in their language, that it was too large', async () => {
    const arabic = await eventually(() => mailsTo('khalid@example.sa').find((m) => m.parsed.text?.includes('أكبر من الحد')), 10_000);
    expect(arabic.parsed.text).toContain('(١ ميغابايت)');
    expect(arabic.parsed.inReplyTo).toBe('<big-ar@example.sa>');
    const english = await eventually(() => mailsTo('john@example.com').find((m) => m.parsed.text?.includes('larger than we can accept')), 15_000);
    expect(english.parsed.text).toContain('(1 MB)');
  }, 30_000);

  it('stores and answers nothing twice when the same mail is read again', async () => {
    await eventually(() => (gw.db.$client.prepare(`select count(*) from outbox where status = 'pending'`).pluck().get() === 0 ? true : undefined), 15_000);
    const before = { messages: inbound().length, sent: peer.received.length };
    await imap.markUnseen(1);
    await eventually(() => allSeen([1]), 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect({ messages: inbound().length, sent: peer.received.length }).toEqual(before);
    expect(imap.sourceFetches(1)).toBe(0);
  }, 30_000);
});

describe('a server that under-reports a mail’s size', () => {
  let fake: FakeImapServer | undefined;
  let adapter: ChannelAdapter | undefined;
  afterEach(async () => {
    await adapter?.stop?.();
    await fake?.stop();
  });

  it('still gets no more than the limit downloaded: the mail becomes a too-large event', async () => {
    fake = new FakeImapServer(IMAP_AUTH);
    const { port } = await fake.start();
    const uid = fake.deliver(big('khalid@example.sa', '<liar@example.sa>'), { reportedSize: 2_000 });
    adapter = createEmailAdapter({ ...emailConfig(1, port), maxBytes: LIMIT }, { logger: memoryLogger(), pollMs: 30, backoff: { minMs: 20, maxMs: 100 } });
    const seen: NormalizedInbound[] = [];
    await adapter.start?.(async (event) => void seen.push(event));
    await until(() => seen.length === 1 && fake?.seen(uid) === true);
    expect(seen[0]?.content).toEqual({ type: 'too_large', size: LIMIT + 1, maxBytes: LIMIT });
    expect(seen[0]?.externalId).toBe('<liar@example.sa>');
    expect(fake.served).toEqual([{ uid, bytes: LIMIT + 1 }]);
  });
});
