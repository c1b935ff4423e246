// A file sent over WhatsApp or email while the application is «ناقص» (incomplete) is accepted for it, tagged with a
// missing checklist document, and thanked naming that document; two files in a row go to two different documents.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, attachments } from '../../src/db/schema.ts';
import { IMAP_AUTH } from '../email/support.ts';
import { FakeImapServer } from '../fakes/imap-server.ts';
import { SmtpPeer } from '../fakes/smtp-peer.ts';
import { FakeWhatsappGraph, signed, waImage, waText } from '../fakes/whatsapp-graph.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { APP_SECRET, TOKEN, VERIFY_TOKEN } from '../whatsapp/support.ts';
import { nationalId, officerApp, type OfficerApp } from './helpers.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(64, 1)]);
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n', 'latin1');
const HOUSING = 'عقد الإيجار أو صك الملكية';
const INCOME = 'ما يثبت الدخل (تعريف بالراتب أو إشعار الضمان الاجتماعي)';

let fake: FakeWhatsappGraph;
let imap: FakeImapServer;
let peer: SmtpPeer;
let gw: TestGateway;
let oa: OfficerApp;

beforeAll(async () => {
  fake = new FakeWhatsappGraph({ token: TOKEN });
  await fake.start();
  imap = new FakeImapServer(IMAP_AUTH);
  peer = new SmtpPeer();
  const { url: imapUrl } = await imap.start();
  const { url: smtpUrl } = await peer.start();
  gw = await startGateway({
    WHATSAPP_ACCESS_TOKEN: TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_GRAPH_URL: fake.url,
    SMTP_URL: smtpUrl,
    IMAP_URL: imapUrl,
    EMAIL_FROM: '"جمعية البر الخيرية" <info@birr.example.org>',
    EMAIL_POLL_SECONDS: '5',
  });
  await gw.listen();
  oa = await officerApp(gw);
}, 30_000);
afterAll(async () => {
  await oa?.app.close();
  await gw?.close();
  await fake.stop();
  await imap.stop();
  await peer.stop();
});

const webhook = async (payload: unknown) => {
  const { body, signature } = signed(payload, APP_SECRET);
  const res = await fetch(`${gw.url()}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
  expect(res.status).toBe(200);
};

/** Registers an application for this mobile (as staff do for a caller) and marks it «ناقص» for two documents. */
async function incompleteFor(mobile: string): Promise<{ id: string; reference: string; contactId: string }> {
  const body = { source: 'phone', locale: 'ar', fullName: 'فاطمة علي الزهراني', nationalId: nationalId(), mobile, city: 'الرياض', familySize: 5, monthlyIncome: 3000, housingType: 'rented', needType: 'food', declaration: { method: 'verbal_recorded' } };
  const res = await oa.as(oa.staff.officer, 'POST', '/api/applications', body);
  expect(res.statusCode, res.body).toBe(201);
  const a = (res.json() as { application: { id: string; reference: string; contactId: string } }).application;
  const st = await oa.as(oa.staff.researcher, 'POST', `/api/applications/${a.id}/status`, { status: 'incomplete', missingItems: ['income_proof', 'housing_contract'] });
  expect(st.statusCode, st.body).toBe(200);
  return a;
}

const filesOf = (applicationId: string) => gw.db.select().from(attachments).where(eq(attachments.applicationId, applicationId)).all();
const outTexts = (contactId: string) => (gw.db.$client.prepare(`select text from messages where contact_id = ? and direction = 'out' order by id`).pluck().all(contactId) as (string | null)[]).map((t) => t ?? '');
const checklistOf = async (id: string) => ((await oa.as(oa.staff.officer, 'GET', `/api/applications/${id}`)).json() as { checklist: { id: string; state: string; by?: string }[] }).checklist;

describe('uploads over WhatsApp and email while the application is «ناقص»', () => {
  it('WhatsApp: two photos in a row are taken for the two missing documents, each thanked by name', async () => {
    // The beneficiary writes first, so WhatsApp proves the number staff then register.
    await webhook(waText({ from: '966550000301', text: 'السلام عليكم' }));
    await eventually(() => fake.sentTo('966550000301').length > 0 || undefined, 4000);
    const a = await incompleteFor('0550000301');
    const sentBefore = outTexts(a.contactId).length;

    await webhook(waImage({ from: '966550000301', mediaId: fake.addMedia({ data: PNG, mime: 'image/jpeg' }), caption: 'العقد' }));
    await webhook(waImage({ from: '966550000301', mediaId: fake.addMedia({ data: PNG, mime: 'image/jpeg' }), caption: 'الراتب' }));

    const files = await eventually(() => (filesOf(a.id).length === 2 ? filesOf(a.id) : undefined), 6000);
    const tags = files.map((f) => f.checklistItemId).sort();
    expect(tags).toEqual(['housing_contract', 'income_proof']);
    const thanks = outTexts(a.contactId).slice(sentBefore);
    expect(thanks).toHaveLength(2);
    // The first photo for the first document asked for (the profile's order), the second for the next one.
    expect(thanks[0]).toContain(`شكرًا لك، استلمنا «${HOUSING}»`);
    expect(thanks[1]).toContain(`شكرًا لك، استلمنا «${INCOME}»`);
    for (const t of thanks) {
      expect(t).toContain(a.reference);
      expect(t).not.toMatch(/لا تحتاج إلى ملف|does not need a file/);
    }
    // The file named in each thanks is the one tagged with that document (the first photo is the contract).
    const byCaption = (caption: string) => gw.db.$client.prepare(`select a.checklist_item_id from attachments a join messages m on m.id = a.message_id where m.text = ?`).pluck().get(caption);
    expect(byCaption('العقد')).toBe('housing_contract');
    expect(byCaption('الراتب')).toBe('income_proof');
    const items = await checklistOf(a.id);
    expect(items.find((i) => i.id === 'housing_contract')).toMatchObject({ state: 'received', by: 'beneficiary' });
    expect(items.find((i) => i.id === 'income_proof')).toMatchObject({ state: 'received', by: 'beneficiary' });
  });

  it('WhatsApp: a photo the provider no longer has gives its document back to the missing ones', async () => {
    await webhook(waText({ from: '966550000303', text: 'مرحبا' }));
    await eventually(() => fake.sentTo('966550000303').length > 0 || undefined, 4000);
    const a = await incompleteFor('0550000303');
    // A media id the Graph API does not know: the download is refused for good.
    await webhook(waImage({ from: '966550000303', mediaId: 'media-that-expired', caption: 'صورة ضاعت' }));
    await eventually(() => {
      const p = gw.db.$client.prepare(`select payload from messages where text = 'صورة ضاعت'`).pluck().get() as string | undefined;
      return p && (JSON.parse(p) as { mediaError?: string }).mediaError ? true : undefined;
    }, 6000);
    expect(filesOf(a.id)).toHaveLength(0);
    const items = await checklistOf(a.id);
    expect(items.find((i) => i.id === 'housing_contract')?.state).toBe('pending');
    expect(items.find((i) => i.id === 'income_proof')?.state).toBe('pending');
    // The next photo is taken for that document again.
    await webhook(waImage({ from: '966550000303', mediaId: fake.addMedia({ data: PNG, mime: 'image/png' }) }));
    const [file] = await eventually(() => (filesOf(a.id).length === 1 ? filesOf(a.id) : undefined), 6000);
    expect(file?.checklistItemId).toBe('housing_contract');
  });

  it('email: a mail with two attachments gives one to each missing document, and thanks name them', async () => {
    imap.deliver(mail('نورة <noura@example.sa>', 'السلام عليكم', []));
    const contactId = await eventually(() => gw.db.$client.prepare(`select contact_id from contact_identities where channel = 'email' and address = 'noura@example.sa'`).pluck().get() as string | undefined, 10_000);
    const a = await incompleteFor('0550000302');
    // Staff registered the caller by mobile; this test's beneficiary is the one who writes by email.
    gw.db.update(applications).set({ contactId }).where(eq(applications.id, a.id)).run();
    const sentBefore = outTexts(contactId).length;

    imap.deliver(mail('نورة <noura@example.sa>', '', [{ name: 'عقد.pdf', type: 'application/pdf', data: PDF }, { name: 'راتب.png', type: 'image/png', data: PNG }]));
    const files = await eventually(() => (filesOf(a.id).length === 2 ? filesOf(a.id) : undefined), 10_000);
    expect(Object.fromEntries(files.map((f) => [f.originalName, f.checklistItemId]))).toEqual({ 'عقد.pdf': 'housing_contract', 'راتب.png': 'income_proof' });
    const thanks = await eventually(() => {
      const t = outTexts(contactId).slice(sentBefore);
      return t.length >= 2 ? t : undefined;
    }, 4000);
    expect(thanks[0]).toContain(`شكرًا لك، استلمنا «${HOUSING}»`);
    expect(thanks[1]).toContain(`شكرًا لك، استلمنا «${INCOME}»`);
    for (const t of thanks) expect(t).not.toMatch(/لا تحتاج إلى ملف|does not need a file/);
    expect((await checklistOf(a.id)).filter((i) => i.state === 'received').map((i) => i.id).sort()).toEqual(['housing_contract', 'income_proof']);
  });
});

let mailSeq = 0;
function mail(from: string, text: string, files: { name: string; type: string; data: Buffer }[]): string {
  mailSeq += 1;
  const boundary = 'tawasul-incomplete-upload';
  const parts = files.map(
    (f) =>
      `--${boundary}\r\nContent-Type: ${f.type}; name*=utf-8''${encodeURIComponent(f.name)}\r\nContent-Disposition: attachment; filename*=utf-8''${encodeURIComponent(f.name)}\r\nContent-Transfer-Encoding: base64\r\n\r\n${f.data.toString('base64')}\r\n`,
  );
  const head = [`From: ${from}`, 'To: info@birr.example.org', 'Subject: المستندات', 'Date: Thu, 26 Nov 2026 21:14:03 +0300', `Message-Id: <incomplete-${Date.now()}-${mailSeq}@example.sa>`, 'Mime-Version: 1.0'];
  if (!files.length) return [...head, 'Content-Type: text/plain; charset=utf-8', '', text].join('\r\n');
  return [...head, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', `${text ? `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n` : ''}${parts.join('')}--${boundary}--\r\n`].join('\r\n');
}
