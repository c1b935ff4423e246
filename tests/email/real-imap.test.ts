// The whole gateway against a real, independent IMAP server (hoodiecrow-imap) and a real SMTP peer: Arabic mail in,
// bot and officer answers out in the same thread, attachments stored, mail marked read on the server, nothing twice.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HoodiecrowImap } from '../fakes/hoodiecrow-imap.ts';
import { SmtpPeer } from '../fakes/smtp-peer.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { eml, IMAP_AUTH } from './support.ts';
import { signInInject } from '../support/officers.ts';

const ARABIC_REPLY_ID = '<CAF-arabic-reply-2@mail.gmail.com>';
const OUTLOOK_ID = '<DB9PR04MB84127D1E0A2B3C4D5E6F7A8B9C0D1E2F3@DB9PR04MB8412.eurprd04.prod.outlook.com>';
// EMAIL_POLL_SECONDS is at least 5, so a mail delivered now is read within one poll interval and some slack.
const NEXT_POLL_MS = 9000;
// Read and skipped like any automatic mail: it stores nothing and gets no answer.
const OUT_OF_OFFICE = [
  'From: =?UTF-8?B?2YXYrdmF2K8g2KfZhNit2LHYqNmK?= <M.Alharbi@example.sa>',
  'To: <info+r0123456789ab@birr.example.org>',
  'Subject: =?UTF-8?B?2LHYryDYqtmE2YLYp9im2Yo6INiu2KfYsdisINin2YTZhdmD2KrYqA==?=',
  'Date: Tue, 24 Nov 2026 10:05:00 +0000',
  'Message-ID: <ooo-7731@example.sa>',
  'Auto-Submitted: auto-replied',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=UTF-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'أنا خارج المكتب حتى ٣٠ نوفمبر.',
  '',
].join('\n');

let imap: HoodiecrowImap;
let peer: SmtpPeer;
let gw: TestGateway;
let cookie = '';
let csrf = '';

interface MessageRow {
  id: number;
  conversationId: string;
  direction: 'in' | 'out';
  senderKind: string;
  text: string;
  externalId: string | null;
}

function emailMessages(): MessageRow[] {
  return gw.db.$client
    .prepare(
      `select id, conversation_id as conversationId, direction, sender_kind as senderKind, text, external_id as externalId
       from messages where channel = 'email' order by id`,
    )
    .all() as MessageRow[];
}

function attachmentRows() {
  return gw.db.$client
    .prepare(
      `select a.original_name as name, a.mime, a.size, a.sha256, a.storage_path as storagePath, a.conversation_id as conversationId
       from attachments a join messages m on m.id = a.message_id where m.channel = 'email' order by m.id`,
    )
    .all() as { name: string; mime: string; size: number; sha256: string; storagePath: string; conversationId: string }[];
}

function uploadedFiles(): string[] {
  const root = path.join(gw.dir, 'uploads');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

const mailsTo = (address: string) => peer.received.filter((m) => m.to.includes(address));

beforeAll(async () => {
  // The Arabic reply waits in INBOX before the gateway starts; the Outlook mail is delivered during the test.
  imap = new HoodiecrowImap(IMAP_AUTH, [eml('arabic-reply')]);
  peer = new SmtpPeer();
  const { url: imapUrl } = await imap.start();
  const { url: smtpUrl } = await peer.start();
  gw = await startGateway({ SMTP_URL: smtpUrl, IMAP_URL: imapUrl, EMAIL_FROM: '"جمعية البر الخيرية" <info@birr.example.org>', EMAIL_POLL_SECONDS: '5' });
  await gw.listen();
  await gw.auth.createOfficer({ email: 'noura@birr.example.org', displayName: 'نورة', role: 'officer', password: 'officer password 2026' });
  const res = await signInInject(gw, 'noura@birr.example.org', 'officer password 2026');
  cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  csrf = (res.json() as { csrfToken: string }).csrfToken;
}, 30_000);
afterAll(async () => {
  await gw?.close();
  await imap?.stop();
  await peer?.stop();
});

describe('email against a real IMAP server', () => {
  it('stores the Arabic reply once without its quote, answers it in the same thread and marks it read', async () => {
    const replies = await eventually(() => {
      const sent = mailsTo('abdullah@example.sa');
      return sent.length > 0 ? sent : undefined;
    }, 8000);
    const inbound = emailMessages().filter((m) => m.direction === 'in');
    expect(inbound.map((m) => m.externalId)).toEqual([ARABIC_REPLY_ID]);
    expect(inbound[0]?.senderKind).toBe('beneficiary');
    expect(inbound[0]?.text).toBe('نعم، رقم الطلب صحيح وشكراً لكم.');

    const first = replies[0]?.parsed;
    expect(first?.from?.value[0]).toEqual({ name: 'جمعية البر الخيرية', address: 'info@birr.example.org' });
    expect(first?.text).toMatch(/[\u0600-\u06ff]/);
    expect(first?.inReplyTo).toBe(ARABIC_REPLY_ID);
    expect(first?.references).toEqual(['<first-1@mail.gmail.com>', '<sent-by-birr-1@birr.example.org>', ARABIC_REPLY_ID]);
    expect(first?.subject).toBe('Re: طلب المساعدة');

    // Read back through another IMAP client: the server itself now has the mail as read.
    await eventually(() => imap.seen(1).then((seen) => seen || undefined), 5000);
  });

  it('sends an officer’s Arabic answer over SMTP under the same mail', async () => {
    const conversationId = emailMessages()[0]?.conversationId ?? '';
    const headers = { cookie, 'x-csrf-token': csrf };
    const take = await gw.app.inject({ method: 'POST', url: `/api/inbox/conversations/${conversationId}/take`, headers });
    expect(take.statusCode).toBe(200);
    const before = mailsTo('abdullah@example.sa').length;
    const text = 'أهلاً عبدالله، استلمنا تأكيدك وسيتواصل معك الباحث الاجتماعي خلال يومين.';
    const reply = await gw.app.inject({ method: 'POST', url: `/api/inbox/conversations/${conversationId}/reply`, headers, payload: { text } });
    expect(reply.statusCode).toBe(201);
    const mail = await eventually(() => mailsTo('abdullah@example.sa').find((m, i) => i >= before && m.parsed.text?.includes('الباحث الاجتماعي')), 8000);
    expect(mail.parsed.inReplyTo).toBe(ARABIC_REPLY_ID);
    expect(mail.parsed.references).toContain(ARABIC_REPLY_ID);
    expect(mail.parsed.html).toContain('dir="rtl"');
    const stored = emailMessages().filter((m) => m.senderKind === 'officer');
    expect(stored.map((m) => [m.conversationId, m.text])).toEqual([[conversationId, text]]);
  });

  it('stores the Arabic-named attachments of a mail delivered while it runs, then marks that mail read', async () => {
    const uid = await imap.deliver(eml('outlook-reply-attachments'));
    expect(uid).toBe(2);
    await eventually(() => imap.seen(uid).then((seen) => seen || undefined), NEXT_POLL_MS);
    // Seen comes after the files: they are all there by now.
    const rows = attachmentRows();
    expect(rows.map((r) => [r.name, r.mime, r.size])).toEqual([
      ['شهادة الراتب - نوفمبر ٢٠٢٦.pdf', 'application/pdf', 638],
      ['صورة الهوية.jpg', 'image/jpeg', 543],
    ]);
    for (const row of rows) {
      const bytes = readFileSync(path.join(gw.dir, 'uploads', row.storagePath));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(row.sha256);
    }
    expect(rows[0]?.sha256).toBe('dc6779c582030ae4b311d2c872d61ecece9e33327f2f8d7f2db582ccfebe0650');
    const text = emailMessages().find((m) => m.externalId === OUTLOOK_ID);
    expect(text?.direction).toBe('in');
    // Outlook's «من: … أُرسلت: …» block and everything under it is the old mail.
    expect(text?.text).toContain('مرفق شهادة الراتب');
    expect(text?.text).not.toMatch(/من:|أُرسلت:/);
    expect(new Set(rows.map((r) => r.conversationId))).toEqual(new Set([text?.conversationId]));
  });

  it('stores nothing twice when the same mails are read again on a later poll', async () => {
    // The bot answers are paced at one mail a second; let those in flight go before counting.
    await eventually(() => (gw.db.$client.prepare(`select count(*) from outbox where status = 'pending'`).pluck().get() === 0 ? true : undefined), 8000);
    const fetched = [imap.sourceFetches(1), imap.sourceFetches(2)];
    expect(fetched).toEqual([1, 1]);
    const before = { messages: emailMessages().length, attachments: attachmentRows().length, files: uploadedFiles().length, sent: peer.received.length };
    expect(before.attachments).toBe(2);
    // Someone marks both mails unread in another mail program, then an out-of-office answer arrives. A poll takes
    // unseen mail in uid order, so once that answer is read, both older mails were fetched and emitted again.
    await imap.markUnseen(1);
    await imap.markUnseen(2);
    const autoReply = await imap.deliver(OUT_OF_OFFICE);
    await eventually(async () => {
      const flags = await imap.flags();
      return [1, 2, autoReply].every((uid) => flags.get(uid)?.has('\\Seen')) || undefined;
    }, NEXT_POLL_MS);
    expect([imap.sourceFetches(1), imap.sourceFetches(2)]).toEqual([2, 2]);
    await new Promise((r) => setTimeout(r, 300));
    expect({ messages: emailMessages().length, attachments: attachmentRows().length, files: uploadedFiles().length, sent: peer.received.length }).toEqual(before);
    expect(emailMessages().filter((m) => m.externalId === ARABIC_REPLY_ID)).toHaveLength(1);
  });
});
