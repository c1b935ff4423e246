// Sending a letter from the conversation: the PDF reaches the beneficiary's channel (the local WhatsApp Graph fake
// as a document, the SMTP peer as an attachment) through the outbox; SMS cannot carry it; the committee may not send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWhatsappGraph } from '../fakes/whatsapp-graph.ts';
import { FakeImapServer } from '../fakes/imap-server.ts';
import { SmtpPeer } from '../fakes/smtp-peer.ts';
import { FakeTwilioApi } from '../fakes/twilio-api.ts';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL } from '../sms/support.ts';
import { IMAP_AUTH } from '../email/support.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { outbox } from '../../src/db/schema.ts';
import type { applications } from '../../src/db/schema.ts';
import { APP_SECRET, TOKEN, VERIFY_TOKEN } from '../whatsapp/support.ts';
import { applyOn, compact, officerSession, pdfText, type Headers } from './support.ts';

let graph: FakeWhatsappGraph;
let imap: FakeImapServer;
let peer: SmtpPeer;
let twilio: FakeTwilioApi;
let gw: TestGateway;
let officer: Headers;
let committee: Headers;
type Application = typeof applications.$inferSelect;
let onWhatsapp: Application;
let onEmail: Application;
let onSms: Application;
let other: Application;

beforeAll(async () => {
  graph = new FakeWhatsappGraph({ token: TOKEN });
  await graph.start();
  imap = new FakeImapServer(IMAP_AUTH);
  peer = new SmtpPeer();
  const { url: imapUrl } = await imap.start();
  const { url: smtpUrl } = await peer.start();
  twilio = new FakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const { apiUrl } = await twilio.start();
  gw = await startGateway({
    WHATSAPP_ACCESS_TOKEN: TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_GRAPH_URL: graph.url,
    SMTP_URL: smtpUrl,
    IMAP_URL: imapUrl,
    EMAIL_FROM: '"جمعية البر الخيرية" <info@birr.example.org>',
    EMAIL_POLL_SECONDS: '60',
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: apiUrl,
    PUBLIC_URL,
  });
  // The intakes run before the worker starts; their ~15 bot replies each count as delivered, because WhatsApp's
  // pacing (one message per 6 s per recipient) would otherwise hold the letter behind them for a minute and more.
  onWhatsapp = await applyOn(gw, 'whatsapp', '966551110001', { name: 'نورة سعد العتيبي', city: 'الرياض' });
  onEmail = await applyOn(gw, 'email', 'sara.letters@example.sa', { name: 'سارة علي', city: 'جدة' });
  onSms = await applyOn(gw, 'sms', '+966551110003', { name: 'خالد فهد', city: 'الخبر' });
  other = await applyOn(gw, 'whatsapp', '966551110004', { name: 'منى سالم الحربي', city: 'الرياض' });
  gw.db.update(outbox).set({ status: 'sent' }).run();
  await gw.listen();
  officer = await officerSession(gw, 'officer');
  committee = await officerSession(gw, 'committee');
});
afterAll(async () => {
  await gw?.close();
  await graph?.stop();
  await imap?.stop();
  await peer?.stop();
  await twilio?.stop();
});

const send = (id: string, kind: string, headers: Headers, payload: object = {}) => gw.app.inject({ method: 'POST', url: `/api/applications/${id}/letters/${kind}/send`, headers, payload });

describe('sending a letter', () => {
  it('reaches WhatsApp as a PDF document with the letter in it, and is audited', async () => {
    const to = '966551110001';
    const app = onWhatsapp;
    const before = graph.uploads().length;
    const res = await send(app.id, 'receipt', officer);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ letter: { kind: 'receipt', number: `${app.reference}/REC` }, message: { channel: 'whatsapp' } });
    const upload = await eventually(() => graph.uploads().slice(before).find((u) => u.mime === 'application/pdf'), 8000);
    expect(upload.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(upload.filename).toBe(`خطاب ${app.reference}-REC.pdf`);
    expect(compact(pdfText(upload.bytes))).toContain(compact(`${app.reference}/REC`));
    expect(compact(pdfText(upload.bytes))).toContain(compact('إشعار باستلام طلب دعم'));
    const doc = await eventually(() => graph.sentTo(to).find((c) => (c.body as { type?: string }).type === 'document'));
    expect((doc.body as { document: { id: string } }).document.id).toBe(upload.id);
    // The caption follows as its own message, in the beneficiary's language, naming the letter and the reference.
    const caption = await eventually(() => graph.sentTo(to).map((c) => (c.body as { text?: { body?: string } }).text?.body ?? '').find((t) => t.includes('إشعار باستلام طلب دعم')));
    expect(caption).toContain(app.reference);
    // The letter went from us: it is not among the documents the applicant provided.
    const detail = await gw.app.inject({ method: 'GET', url: `/api/applications/${app.id}`, headers: officer });
    expect((detail.json() as { documents: unknown[] }).documents).toEqual([]);
    const audit = gw.db.$client.prepare(`select details from audit_log where target_id = ? and action = 'application.letter_send'`).pluck().all(app.id) as string[];
    expect(audit.map((d) => JSON.parse(d) as Record<string, unknown>)).toEqual([expect.objectContaining({ kind: 'receipt', channel: 'whatsapp', number: `${app.reference}/REC` })]);
  });

  it('reaches email as a PDF attachment', async () => {
    const address = 'sara.letters@example.sa';
    const app = onEmail;
    const res = await send(app.id, 'documents', officer);
    expect(res.statusCode, res.body).toBe(201);
    const mail = await eventually(() => peer.received.find((m) => m.to.includes(address) && m.parsed.attachments.length > 0), 8000);
    const file = mail.parsed.attachments[0];
    expect([file?.contentType, file?.filename]).toEqual(['application/pdf', `خطاب ${app.reference}-DOC.pdf`]);
    expect(compact(pdfText(file?.content ?? Buffer.alloc(0)))).toContain(compact('طلب استكمال مستندات'));
  });

  it('refuses a conversation on SMS (409), the committee (403), no session (401), and another beneficiary\'s conversation (404)', async () => {
    const queued = gw.db.select().from(outbox).all().length;
    const refused = await send(onSms.id, 'receipt', officer);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/sms, which cannot carry a document/);
    expect(gw.db.select().from(outbox).all().length).toBe(queued);
    const byCommittee = await send(other.id, 'receipt', committee);
    expect([byCommittee.statusCode, byCommittee.json().error.code]).toEqual([403, 'ERR_FORBIDDEN']);
    expect((await gw.app.inject({ method: 'POST', url: `/api/applications/${other.id}/letters/receipt/send`, payload: {} })).statusCode).toBe(401);
    const elsewhere = await send(other.id, 'receipt', officer, { conversationId: onSms.conversationId });
    expect([elsewhere.statusCode, elsewhere.json().error.code]).toEqual([404, 'ERR_NOT_FOUND']);
    // An undecided application has no decision letter to send either.
    const undecided = await send(other.id, 'decision', officer);
    expect(undecided.statusCode).toBe(409);
  });
});
