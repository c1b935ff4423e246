// From the attacker's side, through a real IMAP server into the real gateway: mail that claims an existing
// beneficiary's address, with Authentication-Results written by the attacker, is stored apart and shown to officers
// as «sender not verified»; mail that the charity's own server (EMAIL_AUTHSERV_ID) passed joins the beneficiary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HoodiecrowImap } from '../fakes/hoodiecrow-imap.ts';
import { SmtpPeer } from '../fakes/smtp-peer.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { IMAP_AUTH, officerHeaders, plainMail } from './support.ts';

const OURS = 'mx.birr.example.org';
const VICTIM = 'abdullah@example.sa';
// What the charity's server writes on top of a mail it received (and its Received line under it).
const received = (results: string) => [`Authentication-Results: ${OURS}; ${results}`, `Received: from mail.example.sa by ${OURS} with ESMTPS; Tue, 24 Nov 2026 10:00:01 +0300`];

const MAILS = [
  // The beneficiary's own mails: DMARC passed, then an aligned DKIM signature.
  plainMail({ from: VICTIM, messageId: '<v1@example.sa>', subject: 'طلب مساعدة', text: 'السلام عليكم، أرغب في التقديم.', headers: received('dmarc=pass (p=reject) header.from=example.sa; spf=pass') }),
  plainMail({ from: VICTIM, messageId: '<v2@example.sa>', subject: 'طلب مساعدة', text: 'هل وصلكم طلبي؟', headers: received('dkim=pass header.d=example.sa header.s=s1; dmarc=none') }),
  // Forged: a passing verdict signed by the attacker's own authserv-id, which the charity's server did not write.
  plainMail({
    from: VICTIM,
    messageId: '<f1@attacker.net>',
    subject: 'عاجل: تحديث رقم الحساب',
    text: 'غيّروا رقم الآيبان إلى SA0380000000608010167519 وأرسلوا لي حالة طلبي.',
    headers: [...received('dmarc=fail header.from=example.sa; spf=fail'), 'Authentication-Results: mx.attacker.net; dmarc=pass header.from=example.sa; dkim=pass header.d=example.sa'],
  }),
  // Forged: our own id, but under the verdict our server wrote on top (RFC 8601: only that one counts).
  plainMail({
    from: VICTIM,
    messageId: '<f2@attacker.net>',
    subject: 'عاجل: تحديث رقم الحساب',
    text: 'هذه رسالتي الثانية، أنا عبدالله.',
    headers: [...received('dmarc=fail header.from=example.sa'), `Authentication-Results: ${OURS}; dmarc=pass header.from=example.sa`],
  }),
  // A new address: first a mail nobody vouched for, then one our server passed.
  plainMail({ from: 'sara@example.org', messageId: '<n1@example.org>', subject: 'استفسار', text: 'مرحبا', headers: [] }),
  plainMail({ from: 'sara@example.org', messageId: '<n2@example.org>', subject: 'استفسار', text: 'مرحبا مرة أخرى', headers: received('dmarc=pass header.from=example.org') }),
];

let imap: HoodiecrowImap;
let peer: SmtpPeer;
let gw: TestGateway;
let officer: Record<string, string>;

interface Row {
  externalId: string;
  contactId: string;
  conversationId: string;
  payload: string | null;
}

const byMail = () =>
  new Map(
    (
      gw.db.$client
        .prepare(`select external_id as externalId, contact_id as contactId, conversation_id as conversationId, payload from messages where channel = 'email' and direction = 'in'`)
        .all() as Row[]
    ).map((r) => [r.externalId, r]),
  );

beforeAll(async () => {
  imap = new HoodiecrowImap(IMAP_AUTH, MAILS);
  peer = new SmtpPeer();
  const { url: imapUrl } = await imap.start();
  const { url: smtpUrl } = await peer.start();
  gw = await startGateway({ SMTP_URL: smtpUrl, IMAP_URL: imapUrl, EMAIL_FROM: '"جمعية البر الخيرية" <info@birr.example.org>', EMAIL_POLL_SECONDS: '5', EMAIL_AUTHSERV_ID: OURS });
  await gw.listen();
  officer = await officerHeaders(gw);
  await eventually(async () => {
    const flags = await imap.flags();
    return MAILS.every((_, i) => flags.get(i + 1)?.has('\\Seen')) || undefined;
  }, 10_000);
}, 40_000);
afterAll(async () => {
  await gw?.close();
  await imap?.stop();
  await peer?.stop();
});

describe('a forged From address', () => {
  it('does not join the beneficiary it claims, and is marked unverified; their own proven mails join', () => {
    const rows = byMail();
    const v1 = rows.get('<v1@example.sa>');
    const v2 = rows.get('<v2@example.sa>');
    const f1 = rows.get('<f1@attacker.net>');
    const f2 = rows.get('<f2@attacker.net>');
    expect(v1 && v2 && f1 && f2).toBeTruthy();
    expect(v2?.contactId).toBe(v1?.contactId);
    expect(v2?.conversationId).toBe(v1?.conversationId);
    expect(f1?.contactId).not.toBe(v1?.contactId);
    expect(f2?.contactId).toBe(f1?.contactId);
    expect(JSON.parse(f1?.payload ?? '{}')).toMatchObject({ unverifiedSender: true });
    expect(JSON.parse(f2?.payload ?? '{}')).toMatchObject({ unverifiedSender: true });
    expect(v1?.payload).toBeNull();
    const identities = gw.db.$client.prepare(`select contact_id as contactId, unverified from contact_identities where channel = 'email' and address = ? order by unverified`).all(VICTIM);
    expect(identities).toEqual([
      { contactId: v1?.contactId, unverified: 0 },
      { contactId: f1?.contactId, unverified: 1 },
    ]);
  });

  it('shows officers «sender not verified» on the forged conversation, and nothing of it in the beneficiary’s', async () => {
    const rows = byMail();
    const forged = await gw.app.inject({ method: 'GET', url: `/api/inbox/conversations/${rows.get('<f1@attacker.net>')?.conversationId}`, headers: officer });
    expect(forged.statusCode).toBe(200);
    const f = forged.json() as { conversation: { unverifiedSender?: boolean }; contact: { identities: { unverified?: boolean }[] }; history: { direction: string; text: string; unverifiedSender?: boolean }[] };
    expect(f.conversation.unverifiedSender).toBe(true);
    expect(f.contact.identities.map((i) => i.unverified)).toEqual([true]);
    const inbound = f.history.filter((m) => m.direction === 'in');
    expect(inbound.map((m) => [m.text, m.unverifiedSender])).toEqual([
      ['غيّروا رقم الآيبان إلى SA0380000000608010167519 وأرسلوا لي حالة طلبي.', true],
      // The first mail asked for a status, so the bot answered with the privacy notice (flows/privacy.yaml); the
      // second came while it waited for an answer and is not kept, but it is still shown as unverified.
      ['[لم تُحفظ: كُتبت قبل الموافقة على إشعار الخصوصية]', true],
    ]);
    expect(JSON.stringify(f.history)).not.toContain('أنا عبدالله');

    const own = await gw.app.inject({ method: 'GET', url: `/api/inbox/conversations/${rows.get('<v1@example.sa>')?.conversationId}`, headers: officer });
    const o = own.json() as { conversation: { unverifiedSender?: boolean }; history: { text: string; unverifiedSender?: boolean }[] };
    expect(o.conversation.unverifiedSender).toBeUndefined();
    expect(o.history.some((m) => m.text.includes('الآيبان') || m.unverifiedSender)).toBe(false);
  });

  it('answers the beneficiary under their own proven mail, never under the forged subject', async () => {
    // The bot's answers to all six mails are paced at one a second; let them go first.
    await eventually(() => (gw.db.$client.prepare(`select count(*) from outbox where status = 'pending'`).pluck().get() === 0 ? true : undefined), 20_000);
    const conversationId = byMail().get('<v1@example.sa>')?.conversationId ?? '';
    expect((await gw.app.inject({ method: 'POST', url: `/api/inbox/conversations/${conversationId}/take`, headers: officer })).statusCode).toBe(200);
    const reply = await gw.app.inject({ method: 'POST', url: `/api/inbox/conversations/${conversationId}/reply`, headers: officer, payload: { text: 'وصلنا طلبك يا عبدالله.' } });
    expect(reply.statusCode).toBe(201);
    const mail = await eventually(() => peer.received.find((m) => m.to.includes(VICTIM) && m.parsed.text?.includes('وصلنا طلبك')), 8000);
    expect(mail.parsed.inReplyTo).toBe('<v2@example.sa>');
    expect(mail.parsed.subject).toBe('Re: طلب مساعدة');
  }, 40_000);

  it('keeps an address’s proven mail apart from the unproven mail that came before it', () => {
    const rows = byMail();
    expect(rows.get('<n2@example.org>')?.contactId).not.toBe(rows.get('<n1@example.org>')?.contactId);
    expect(JSON.parse(rows.get('<n1@example.org>')?.payload ?? '{}')).toMatchObject({ unverifiedSender: true });
    expect(rows.get('<n2@example.org>')?.payload).toBeNull();
  });
});
