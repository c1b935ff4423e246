// The whole gateway with WhatsApp (fake Graph) and SMS (real twilio client → fake Twilio): what a beneficiary
// receives when WhatsApp's 24-hour window is closed, where notifications go, and who hears about a status request.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, contactIdentities, contacts, messages, outbox } from '../../src/db/schema.ts';
import { FakeTwilioApi } from '../fakes/twilio-api.ts';
import { FakeWhatsappGraph, signed, waButtonReply, waListReply, waText, type GraphCall } from '../fakes/whatsapp-graph.ts';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL } from '../sms/support.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { APP_SECRET, TOKEN, VERIFY_TOKEN } from '../whatsapp/support.ts';
import { signInInject } from '../support/officers.ts';

let graph: FakeWhatsappGraph;
let twilio: FakeTwilioApi;
let gw: TestGateway;
const officer = { id: 'officer-1', displayName: 'هدى' };

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
    SMS_RATE_PER_SECOND: '100',
    PUBLIC_URL,
  });
  await gw.listen();
});
afterAll(async () => {
  await gw?.close();
  await graph?.stop();
  await twilio?.stop();
});

const webhook = async (payload: unknown) => {
  const { body, signature } = signed(payload, APP_SECRET);
  const res = await fetch(`${gw.url()}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
  expect(res.status).toBe(200);
};
const smsTo = (to: string) => twilio.calls().filter((c) => c.form.To === to && c.sid !== undefined);
const waTo = (to: string) => graph.sentTo(to);
/** The reply buttons a WhatsApp message shows. */
const buttonsOf = (c: GraphCall) =>
  ((c.body as { interactive?: { action?: { buttons?: { reply: { id: string; title: string } }[] } } }).interactive?.action?.buttons ?? []).map((b) => b.reply);
const textOfWa = (c: { body: Record<string, unknown> } | undefined) => JSON.stringify(c?.body ?? {});

/** A beneficiary who wrote on WhatsApp (bot replies drained), then went quiet for `hoursAgo`. */
async function quietBeneficiary(waId: string, hoursAgo: number): Promise<{ contactId: string; conversationId: string }> {
  await webhook(waText({ from: waId, text: 'السلام عليكم' }));
  await eventually(() => waTo(waId).length >= 2 || undefined, 5000);
  await new Promise((r) => setTimeout(r, 300));
  const identity = gw.db.select().from(contactIdentities).where(and(eq(contactIdentities.channel, 'whatsapp'), eq(contactIdentities.address, waId))).get();
  if (!identity) throw new Error('no identity');
  const past = new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
  gw.db.update(contactIdentities).set({ lastInboundAt: past }).where(eq(contactIdentities.id, identity.id)).run();
  const conversationId = gw.db.select({ id: messages.conversationId }).from(messages).where(eq(messages.contactId, identity.contactId)).get()?.id ?? '';
  return { contactId: identity.contactId, conversationId };
}

const rowsOf = (messageId: number) =>
  gw.db.select().from(outbox).where(eq(outbox.messageId, messageId)).all().map((r) => ({ channel: r.channel, address: r.address, status: r.status, error: r.lastError }));

describe('WhatsApp 24-hour window closed', () => {
  it('an officer reply the next day goes by SMS to the beneficiary’s mobile, and the outbox tells the officer why', async () => {
    const wa = '966551110001';
    const { conversationId } = await quietBeneficiary(wa, 30);
    const before = waTo(wa).length;
    const reply = await gw.conversations.reply(conversationId, officer, 'طلبك رقم TW-1448-00042 اكتمل، نراك الأحد');
    const sms = await eventually(() => smsTo('+966551110001')[0], 5000);
    expect(sms.form.Body).toContain('طلبك');
    expect(sms.form.Body).toContain('TW-1448-00042');
    // Nothing free-form was attempted on WhatsApp outside the window.
    expect(waTo(wa).length).toBe(before);
    await eventually(() => gw.db.select().from(messages).where(eq(messages.id, reply.id)).get()?.deliveryStatus === 'sent' || undefined);
    const rows = rowsOf(reply.id);
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ['whatsapp', 'rerouted'],
      ['sms', 'sent'],
    ]);
    expect(rows[0]?.error).toMatch(/24-hour window/);
  });

  it('inside the window the reply stays on WhatsApp (no SMS)', async () => {
    const wa = '966551110002';
    const { conversationId } = await quietBeneficiary(wa, 2);
    const before = waTo(wa).length;
    await gw.conversations.reply(conversationId, officer, 'أهلًا بك');
    await eventually(() => waTo(wa).length > before || undefined, 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(smsTo('+966551110002')).toHaveLength(0);
  });
});

describe('notifications', () => {
  it('go to the preferred channel first when the beneficiary chose one', async () => {
    const wa = '966551110003';
    const { contactId } = await quietBeneficiary(wa, 1);
    gw.db.update(contacts).set({ preferredChannel: 'sms' }).where(eq(contacts.id, contactId)).run();
    const before = waTo(wa).length;
    const msg = await gw.conversations.notify(contactId, 'notify.application_status', { reference: 'TW-1448-00007', status: { t: 'status.under_study' } });
    const sms = await eventually(() => smsTo('+966551110003')[0], 5000);
    expect(sms.form.Body).toContain('TW-1448-00007');
    expect(sms.form.Body).toContain('قيد الدراسة');
    expect(waTo(wa).length).toBe(before);
    expect(msg && rowsOf(msg.id).map((r) => r.channel)).toEqual(['sms']);
  });

  it('go by SMS once an officer chose SMS in the inbox (PUT …/preferred-channel), though WhatsApp was used last', async () => {
    const wa = '966551110009';
    const { contactId } = await quietBeneficiary(wa, 1);
    await gw.auth.createOfficer({ email: 'huda@example.org', displayName: 'هدى', role: 'officer', password: 'officer password 2026' });
    const signIn = await signInInject(gw, 'huda@example.org', 'officer password 2026');
    const headers = { cookie: String(signIn.headers['set-cookie']).split(';')[0] ?? '', 'x-csrf-token': (signIn.json() as { csrfToken: string }).csrfToken };
    const res = await gw.app.inject({ method: 'PUT', url: `/api/inbox/contacts/${contactId}/preferred-channel`, headers, payload: { channel: 'sms' } });
    expect(res.json()).toEqual({ contact: { id: contactId, preferredChannel: 'sms', reachableChannels: ['whatsapp', 'sms'] } });
    const before = waTo(wa).length;
    const msg = await gw.conversations.notify(contactId, 'notify.application_status', { reference: 'TW-1448-00009', status: { t: 'status.under_study' } });
    const sms = await eventually(() => smsTo('+966551110009')[0], 5000);
    expect(sms.form.Body).toContain('TW-1448-00009');
    expect(waTo(wa).length).toBe(before);
    expect(msg && rowsOf(msg.id).map((r) => [r.channel, r.status])).toEqual([['sms', 'sent']]);
  });

  it('without a preference go where the beneficiary wrote last, in their language', async () => {
    const wa = '966551110004';
    const { contactId } = await quietBeneficiary(wa, 1);
    gw.db.update(contacts).set({ locale: 'en' }).where(eq(contacts.id, contactId)).run();
    const before = waTo(wa).length;
    await gw.conversations.notify(contactId, 'notify.application_status', { reference: 'TW-1448-00008', status: { t: 'status.under_study' } });
    const sent = await eventually(() => waTo(wa)[before], 5000);
    expect(textOfWa(sent)).toContain('TW-1448-00008');
    expect(textOfWa(sent)).toContain("An update on your request");
    expect(smsTo('+966551110004')).toHaveLength(0);
  });
});

describe('a status request by someone else', () => {
  it('sends the status to the applicant’s registered mobile by SMS, and tells the asker nothing about it', async () => {
    const applicantWa = '966551110005';
    const { contactId, conversationId } = await quietBeneficiary(applicantWa, 1);
    const now = new Date().toISOString();
    gw.db
      .insert(applications)
      .values({
        id: randomUUID(),
        reference: 'TW-1448-00321',
        contactId,
        conversationId,
        applicantName: 'نورة محمد',
        nationalId: '1055555559',
        // Typed in the application: a different number from the WhatsApp one.
        mobile: '+966559998877',
        answers: {},
        declarationVersion: '1',
        declarationAcceptedAt: now,
        status: 'under_study',
        committeeDueAt: now,
      })
      .run();
    const asker = '966551110006';
    await webhook(waText({ from: asker, text: 'مرحبا' }));
    await eventually(() => waTo(asker).length >= 2 || undefined, 5000);
    await webhook(waListReply({ from: asker, rowId: 'status', title: 'حالة طلب' }));
    // A status lookup takes personal data, so the privacy notice comes first (flows/privacy.yaml): the asker accepts it.
    const accept = await eventually(() => waTo(asker).flatMap(buttonsOf).find((b) => b.id === 'privacy_accept'), 5000);
    await webhook(waButtonReply({ from: asker, buttonId: accept.id, title: accept.title }));
    // The greeting, the menu and the notice took the number's burst of four: the question, then the answer, each wait
    // for WhatsApp's next message in six seconds to one user (channels/whatsapp rate).
    await eventually(() => waTo(asker).some((c) => textOfWa(c).includes('اكتب رقم الطلب')) || undefined, 10_000);
    const seen = waTo(asker).length;
    await webhook(waText({ from: asker, text: '١٠٥٥٥٥٥٥٥٩' }));
    const sms = await eventually(() => smsTo('+966559998877')[0], 5000);
    expect(sms.form.Body).toContain('TW-1448-00321');
    expect(sms.form.Body).toContain('قيد الدراسة');
    const answer = await eventually(() => waTo(asker).slice(seen).map(textOfWa).join('\n') || undefined, 10_000);
    expect(answer).not.toContain('قيد الدراسة');
    // The applicant's own WhatsApp was not written to outside a conversation they started.
    expect(smsTo('+966551110005')).toHaveLength(0);
  }, 40_000);
});
