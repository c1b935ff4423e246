// POST /api/contacts/:id/export/send on the real gateway: the access copy reaches the beneficiary as a PDF document
// through the outbox (the local WhatsApp Graph fake receives it; a signed-in web chat can download it), never over SMS
// or an anonymous web chat; audited without personal values; admins and the data protection officer only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.ts';
import { userHashFor } from '../../src/webchat/identity.ts';
import { applyViaWebchat, type Applicant } from '../applications/helpers.ts';
import { FakeTwilioApi } from '../fakes/twilio-api.ts';
import { FakeWhatsappGraph } from '../fakes/whatsapp-graph.ts';
import { applyOn, compact, officerSession, pdfText, type Headers } from '../letters/support.ts';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL } from '../sms/support.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { APP_SECRET, TOKEN, VERIFY_TOKEN } from '../whatsapp/support.ts';

const SECRET = 'send-copy-identity-secret-0123456789';
const WA_NUMBER = '966551120001';
const WA_NAME = 'نورة سعد العتيبي';
const SMS_NAME = 'خالد فهد الدوسري';

let graph: FakeWhatsappGraph;
let twilio: FakeTwilioApi;
let gw: TestGateway;
let admin: Headers;
let dpo: Headers;
let officer: Headers;
let onWhatsapp: { contactId: string };
let onSms: { contactId: string };
let anonymous: Applicant;
let verified: { token: string; contactId: string };

type Sent = { fileName: string; size: number; message: { id: number; conversationId: string; channel: string } };
type Refusal = { error: { code: string; message: string } };

beforeAll(async () => {
  graph = new FakeWhatsappGraph({ token: TOKEN });
  await graph.start();
  twilio = new FakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const { apiUrl } = await twilio.start();
  gw = await startGateway({
    WHATSAPP_ACCESS_TOKEN: TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_GRAPH_URL: graph.url,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: apiUrl,
    PUBLIC_URL,
    WEBCHAT_IDENTITY_SECRET: SECRET,
  });
  onWhatsapp = await applyOn(gw, 'whatsapp', WA_NUMBER, { name: WA_NAME, city: 'الرياض' });
  onSms = await applyOn(gw, 'sms', '+966551120002', { name: SMS_NAME, city: 'الخبر' });
  anonymous = await applyViaWebchat(gw, 'ar', { name: 'منى سالم الحربي' });
  // A member signed in on the charity's site: the site signed their user id.
  const session = await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: { userId: 'member-9001', userHash: userHashFor(SECRET, 'member-9001'), locale: 'en', displayName: 'Sarah Al-Qahtani' } });
  expect(session.statusCode, session.body).toBe(201);
  const token = (session.json() as { token: string }).token;
  expect((await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${token}` }, payload: { text: 'Hello' } })).statusCode).toBe(202);
  const contactId = gw.db.$client.prepare(`select contact_id from contact_identities where address = 'user:member-9001'`).pluck().get() as string;
  verified = { token, contactId };
  // The intakes' bot replies count as delivered, so WhatsApp's per-recipient pacing does not hold the copy behind them.
  gw.db.update(outbox).set({ status: 'sent' }).run();
  await gw.listen();
  admin = await officerSession(gw, 'admin');
  dpo = await officerSession(gw, 'privacy');
  officer = await officerSession(gw, 'officer');
}, 120_000);
afterAll(async () => {
  await gw?.close();
  await graph?.stop();
  await twilio?.stop();
});

const send = (contactId: string, headers: Headers, payload?: object) =>
  gw.app.inject({ method: 'POST', url: `/api/contacts/${contactId}/export/send`, headers, ...(payload ? { payload } : {}) });

describe('POST /api/contacts/:id/export/send', () => {
  it('reaches WhatsApp as a PDF of everything held, with the caption, and is audited without personal values', async () => {
    const before = graph.uploads().length;
    const res = await send(onWhatsapp.contactId, admin);
    expect(res.statusCode, res.body).toBe(201);
    const sent = res.json() as Sent;
    expect(sent.message.channel).toBe('whatsapp');
    expect(sent.fileName).toMatch(/^نسخة من بياناتي .+\.pdf$/);
    const upload = await eventually(() => graph.uploads().slice(before).find((u) => u.mime === 'application/pdf'), 10_000);
    expect(upload.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(upload.bytes.length).toBe(sent.size);
    expect(upload.filename).toBe(sent.fileName);
    const text = compact(pdfText(upload.bytes));
    expect(text).toContain(compact(WA_NAME));
    expect(text).toContain(compact('ملخص البيانات الشخصية المحفوظة'));
    const doc = await eventually(() => graph.sentTo(WA_NUMBER).find((c) => (c.body as { type?: string }).type === 'document'), 10_000);
    expect((doc.body as { document: { id: string } }).document.id).toBe(upload.id);
    const caption = await eventually(
      () => graph.sentTo(WA_NUMBER).map((c) => (c.body as { text?: { body?: string } }).text?.body ?? '').find((t) => t.includes('نسخة من بياناتك الشخصية')),
      15_000,
    );
    expect(caption).toContain('لا تشاركه مع أحد');
    const audit = gw.db.$client.prepare(`select details from audit_log where action = 'contact.export_sent' and target_id = ?`).pluck().all(onWhatsapp.contactId) as string[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0] ?? '{}')).toMatchObject({ channel: 'whatsapp', conversationId: sent.message.conversationId, messageId: sent.message.id });
    for (const personal of [WA_NAME, WA_NUMBER, sent.fileName]) expect(audit[0]).not.toContain(personal);
  }, 40_000);

  it('reaches a signed-in web chat, sent by the data protection officer, and the member can download it', async () => {
    const res = await send(verified.contactId, dpo);
    expect(res.statusCode, res.body).toBe(201);
    const sent = res.json() as Sent;
    expect(sent.message.channel).toBe('webchat');
    expect(sent.fileName).toMatch(/^Copy of my data .+\.pdf$/);
    const auth = { authorization: `Bearer ${verified.token}` };
    const history = (await gw.app.inject({ method: 'GET', url: '/api/webchat/messages', headers: auth })).json() as { messages: { text: string; attachment?: { id: string; name: string | null } }[] };
    const shown = history.messages.find((m) => m.attachment?.name === sent.fileName);
    expect(shown?.text).toContain('copy of the personal data we hold about you');
    const file = await gw.app.inject({ method: 'GET', url: `/api/webchat/uploads/${shown?.attachment?.id ?? ''}`, headers: auth });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(compact(pdfText(file.rawPayload))).toContain(compact('Sarah Al-Qahtani'));
  }, 40_000);

  it('is refused over SMS and an anonymous web chat, naming why, and sends nothing', async () => {
    const messagesBefore = gw.db.$client.prepare(`select count(*) from messages`).pluck().get() as number;
    const sms = await send(onSms.contactId, admin);
    expect(sms.statusCode).toBe(409);
    const smsError = (sms.json() as Refusal).error;
    expect(smsError.code).toBe('ERR_PRECONDITION');
    expect(smsError.message).toContain('proves their identity');
    const smsConversation = gw.db.$client.prepare(`select id from conversations where contact_id = ?`).pluck().get(onSms.contactId) as string;
    const named = await send(onSms.contactId, admin, { conversationId: smsConversation });
    expect(named.statusCode).toBe(409);
    expect((named.json() as Refusal).error.message).toMatch(/^sms does not prove who reads it/);
    const web = await send(anonymous.contactId, admin);
    expect(web.statusCode).toBe(409);
    expect((web.json() as Refusal).error.code).toBe('ERR_PRECONDITION');
    const webConversation = gw.db.$client.prepare(`select id from conversations where contact_id = ?`).pluck().get(anonymous.contactId) as string;
    const anonymousNamed = await send(anonymous.contactId, admin, { conversationId: webConversation });
    expect((anonymousNamed.json() as Refusal).error.message).toContain('web chat is anonymous');
    // Another beneficiary's conversation is not one of theirs.
    expect((await send(onWhatsapp.contactId, admin, { conversationId: smsConversation })).statusCode).toBe(404);
    expect((await send(onWhatsapp.contactId, admin, { conversationId: 'not-a-conversation' })).statusCode).toBe(400);
    expect(gw.db.$client.prepare(`select count(*) from messages`).pluck().get()).toBe(messagesBefore);
    expect(gw.db.$client.prepare(`select count(*) from audit_log where action = 'contact.export_sent' and target_id in (?, ?)`).pluck().get(onSms.contactId, anonymous.contactId)).toBe(0);
  });

  it('answers 404 for an unknown contact, 401 without a session and 403 for an officer without the role', async () => {
    expect((await send('00000000-0000-4000-8000-000000000000', admin)).statusCode).toBe(404);
    expect((await gw.app.inject({ method: 'POST', url: `/api/contacts/${onWhatsapp.contactId}/export/send` })).statusCode).toBe(401);
    const refused = await send(onWhatsapp.contactId, officer);
    expect(refused.statusCode).toBe(403);
    expect((refused.json() as Refusal).error.code).toBe('ERR_FORBIDDEN');
  });
});
