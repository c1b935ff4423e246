// Two 2 MB mails built to hurt every text pass go through a real IMAP server into the real gateway, and the event
// loop never stalls for more than 100 ms while they are fetched, parsed and stored (issue 9: one such mail froze
// /health for 27 s). The new words are stored, marked as shortened; nothing is stored twice.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HoodiecrowThread } from '../fakes/hoodiecrow-thread.ts';
import { SmtpPeer } from '../fakes/smtp-peer.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { hostileHtml, hostileMail, hostileText } from './pathological.ts';
import { IMAP_AUTH } from './support.ts';

const TEXT_MAIL = hostileMail({ from: 'text.attack@example.net', messageId: '<hostile-text@example.net>', text: hostileText(1_500_000) });
// HTML only: mailparser gives no text, so the HTML itself is read.
const HTML_MAIL = hostileMail({ from: 'html.attack@example.net', messageId: '<hostile-html@example.net>', html: hostileHtml(1_500_000) });
// EMAIL_POLL_SECONDS is at least 5: a mail delivered now is read within one interval and some slack.
const NEXT_POLL_MS = 12_000;

let imap: HoodiecrowThread;
let peer: SmtpPeer;
let gw: TestGateway;

interface Row {
  externalId: string;
  text: string;
  payload: string | null;
}

const inbound = () => gw.db.$client.prepare(`select external_id as externalId, text, payload from messages where channel = 'email' and direction = 'in' order by id`).all() as Row[];

beforeAll(async () => {
  // The IMAP server runs on its own thread, as a real one is another program: the loop measured is the gateway's.
  imap = new HoodiecrowThread(IMAP_AUTH);
  peer = new SmtpPeer();
  const { url: imapUrl } = await imap.start();
  const { url: smtpUrl } = await peer.start();
  gw = await startGateway({ SMTP_URL: smtpUrl, IMAP_URL: imapUrl, EMAIL_FROM: '"جمعية البر الخيرية" <info@birr.example.org>', EMAIL_POLL_SECONDS: '5' });
  await gw.listen();
  // The first poll (an empty INBOX) is over before the clock starts.
  await eventually(async () => (await imap.lines()).some((l) => /\bLOGOUT\b/i.test(l)) || undefined, 5000);
}, 30_000);
afterAll(async () => {
  await gw?.close();
  await imap?.stop();
  await peer?.stop();
});

describe('hostile mail over real IMAP', () => {
  it('fetches, parses and stores two 2 MB mails without a stall over 100 ms, keeping their first words', async () => {
    expect(Buffer.byteLength(TEXT_MAIL)).toBeGreaterThan(2_000_000);
    expect(Buffer.byteLength(HTML_MAIL)).toBeGreaterThan(2_000_000);
    const uids = [await imap.deliver(TEXT_MAIL), await imap.deliver(HTML_MAIL)];
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    try {
      await eventually(async () => {
        const flags = await imap.flags();
        return uids.every((uid) => flags.get(uid)?.has('\\Seen')) || undefined;
      }, NEXT_POLL_MS);
    } finally {
      delay.disable();
    }
    expect(await imap.sourceFetches(uids[0] ?? 0)).toBe(1);
    expect(delay.max / 1e6, 'longest event-loop stall (ms)').toBeLessThan(100);

    const rows = inbound();
    expect(rows.map((r) => r.externalId)).toEqual(['<hostile-text@example.net>', '<hostile-html@example.net>']);
    expect(rows[0]?.text.startsWith('السلام عليكم، أرفقت لكم طلبي.')).toBe(true);
    expect(rows[1]?.text.startsWith('مرحبا، هذا طلبي.')).toBe(true);
    for (const row of rows) {
      expect(row.text.length).toBeLessThanOrEqual(20_000);
      expect(JSON.parse(row.payload ?? '{}')).toMatchObject({ truncated: true });
    }
  }, 30_000);
});
