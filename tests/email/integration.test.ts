// The whole gateway with email enabled by env: a mail in over (fake) IMAP, the bot's Arabic reply out over real SMTP.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeImapServer } from '../fakes/imap-server.ts';
import { SmtpPeer } from '../fakes/smtp-peer.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { eml, IMAP_AUTH } from './support.ts';

let imap: FakeImapServer;
let peer: SmtpPeer;
let gw: TestGateway;
let uid: number;

beforeAll(async () => {
  imap = new FakeImapServer(IMAP_AUTH);
  peer = new SmtpPeer();
  const { url: imapUrl } = await imap.start();
  const { url: smtpUrl } = await peer.start();
  // Delivered before listen: the first poll runs as soon as the poller starts.
  uid = imap.deliver(eml('arabic-reply'));
  gw = await startGateway({ SMTP_URL: smtpUrl, IMAP_URL: imapUrl, EMAIL_FROM: '"جمعية البر الخيرية" <info@birr.example.org>', EMAIL_POLL_SECONDS: '5' });
  await gw.listen();
});
afterAll(async () => {
  await gw?.close();
  await imap.stop();
  await peer.stop();
});

describe('email through the gateway', () => {
  it('answers an Arabic email with Arabic mail from the charity, threaded under it', async () => {
    const replies = await eventually(() => {
      const sent = peer.received.filter((m) => m.to.includes('abdullah@example.sa'));
      return sent.length > 0 ? sent : undefined;
    }, 8000);
    const first = replies[0]?.parsed;
    expect(first?.from?.value[0]).toEqual({ name: 'جمعية البر الخيرية', address: 'info@birr.example.org' });
    expect(first?.text).toMatch(/[\u0600-\u06ff]/);
    expect(first?.html).toContain('dir="rtl"');
    expect(first?.inReplyTo).toBe('<CAF-arabic-reply-2@mail.gmail.com>');
    expect(first?.replyTo?.value[0]?.address).toMatch(/^info\+r[0-9a-f]{12}@birr\.example\.org$/);
    // Stored before it was marked read.
    expect(imap.seen(uid)).toBe(true);
  });

  it('does not answer the same mail twice when it is fetched again', async () => {
    // The bot's replies are paced at one mail a second: count only once the first round has stopped arriving.
    let before = -1;
    for (let i = 0; i < 20 && before !== peer.received.length; i++) {
      before = peer.received.length;
      await new Promise((r) => setTimeout(r, 1500));
    }
    const mails = imap.mails.find((m) => m.uid === uid);
    mails?.flags.delete('\\Seen');
    await eventually(() => imap.seen(uid) || undefined, 8000);
    await new Promise((r) => setTimeout(r, 300));
    expect(peer.received.length).toBe(before);
  });

  it('stores the attachments of a mail under DATA_DIR/uploads before marking it read', async () => {
    const withFiles = imap.deliver(eml('outlook-reply-attachments'));
    await eventually(() => imap.seen(withFiles) || undefined, 8000);
    // Seen comes after the files: they are all there by now.
    const rows = gw.db.$client
      .prepare(
        `select a.original_name as name, a.mime, a.size, a.sha256, a.storage_path as storagePath, a.conversation_id as conversationId from attachments a
         join messages m on m.id = a.message_id where m.channel = 'email' order by m.id`,
      )
      .all() as { name: string; mime: string; size: number; sha256: string; storagePath: string; conversationId: string }[];
    expect(rows.map((r) => [r.name, r.mime, r.size])).toEqual([
      ['شهادة الراتب - نوفمبر ٢٠٢٦.pdf', 'application/pdf', 638],
      ['صورة الهوية.jpg', 'image/jpeg', 543],
    ]);
    for (const row of rows) {
      const bytes = readFileSync(path.join(gw.dir, 'uploads', row.storagePath));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(row.sha256);
    }
    expect(rows[0]?.sha256).toBe('dc6779c582030ae4b311d2c872d61ecece9e33327f2f8d7f2db582ccfebe0650');
    // The files sit in the same conversation as the mail's text.
    const text = gw.db.$client
      .prepare(`select conversation_id as conversationId from messages where channel = 'email' and external_id = ?`)
      .get('<DB9PR04MB84127D1E0A2B3C4D5E6F7A8B9C0D1E2F3@DB9PR04MB8412.eurprd04.prod.outlook.com>') as { conversationId: string } | undefined;
    expect(new Set(rows.map((r) => r.conversationId))).toEqual(new Set([text?.conversationId]));
  });
});
