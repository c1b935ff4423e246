// End to end on the real gateway (SMS through the real twilio client to the local Twilio fake, WhatsApp through the
// fake Graph API): an officer registers a caller, the caller hears back by SMS at every step, then writes on WhatsApp
// from that number and is the same beneficiary with one history. Also: a branch representative set up by an admin.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDualDate } from '../../src/dates/hijri.ts';
import { applications, contactIdentities, contacts, outbox } from '../../src/db/schema.ts';
import { addOfficer, signIn, type AuthTestApp, type Signed } from '../auth/support.ts';
import { FakeTwilioApi } from '../fakes/twilio-api.ts';
import { FakeWhatsappGraph, signed, waButtonReply, waText, type GraphCall } from '../fakes/whatsapp-graph.ts';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL } from '../sms/support.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { APP_SECRET, TOKEN, VERIFY_TOKEN } from '../whatsapp/support.ts';
import { nationalId, waiveChecklist } from './helpers.ts';

let graph: FakeWhatsappGraph;
let twilio: FakeTwilioApi;
let gw: TestGateway;
let t: AuthTestApp;
const as: Record<'officer' | 'committee' | 'admin', Signed> = {} as never;

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
  // The shared sign-in helpers, pointed at the real gateway's app and auth service.
  t = { app: gw.app, db: gw.db, dir: gw.dir, auth: gw.auth, audit: gw.audit, advance: () => undefined, close: () => gw.close() };
  for (const role of ['officer', 'committee', 'admin'] as const) {
    await addOfficer(t, `${role}@birr.example.org`, role);
    as[role] = await signIn(t, `${role}@birr.example.org`);
  }
}, 60_000);
afterAll(async () => {
  await gw?.close();
  await graph?.stop();
  await twilio?.stop();
});

const call = (who: Signed, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) =>
  gw.app.inject({ method, url, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf }, ...(payload ? { payload } : {}) });
// What the phone shows: the parts joined, without the bidi marks SMS texts carry around numbers.
const plain = (s: string) => s.replace(/[\u200e\u200f\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
const smsTo = (to: string) => twilio.calls().filter((c) => c.form.To === to && c.sid !== undefined);
const smsText = (to: string, from = 0) => plain(smsTo(to).slice(from).map((c) => c.form.Body ?? '').join(' '));
const webhook = async (payload: unknown) => {
  const { body, signature } = signed(payload, APP_SECRET);
  const res = await fetch(`${gw.url()}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
  expect(res.status).toBe(200);
};

/** The reply buttons a WhatsApp message shows. */
const buttonsOf = (c: GraphCall) =>
  ((c.body as { interactive?: { action?: { buttons?: { reply: { id: string; title: string } }[] } } }).interactive?.action?.buttons ?? []).map((b) => b.reply);
/**
 * Presses «أوافق» on the privacy notice (flows/privacy.yaml) once it has reached this WhatsApp number after its
 * first `after` messages, as the beneficiary does before the flow's first personal question.
 */
async function acceptNotice(from: string, after: number): Promise<void> {
  const accept = await eventually(() => graph.sentTo(from).slice(after).flatMap(buttonsOf).find((b) => b.id === 'privacy_accept'), 5000);
  await webhook(waButtonReply({ from, buttonId: accept.id, title: accept.title }));
}

/** The i18n keys of the bot's messages in this identity's conversations, oldest first. */
const botKeys = (identityId: string) =>
  gw.db.$client
    .prepare(`select json_extract(m.payload, '$.key') from messages m join conversations c on c.id = m.conversation_id where c.identity_id = ? and m.direction = 'out' order by m.id`)
    .pluck()
    .all(identityId) as string[];

/** Waits until the caller's phone has received more texts than `before`, and the outbox has settled. */
async function nextSms(to: string, before: number): Promise<string> {
  await eventually(() => smsTo(to).length > before || undefined, 5000);
  await new Promise((r) => setTimeout(r, 150));
  return smsText(to, before);
}

describe('a caller registered by an officer', () => {
  const mobile = '+966551239876';
  const id = nationalId();
  let application: { id: string; reference: string; contactId: string; committeeDueAt: string };

  it('gets an SMS with the reference, the two-week notice with the Hijri and Gregorian due date, and how to follow up', async () => {
    const res = await call(as.officer, 'POST', '/api/applications', {
      source: 'phone',
      locale: 'ar',
      fullName: 'مريم صالح الحربي',
      nationalId: id,
      mobile: '٠٥٥١٢٣٩٨٧٦',
      city: 'الرياض',
      familySize: 4,
      monthlyIncome: 2000,
      housingType: 'rented',
      needType: 'housing_rent',
      declaration: { method: 'verbal_recorded' },
    });
    expect(res.statusCode, res.body).toBe(201);
    application = (res.json() as { application: typeof application & { reachableChannels: string[] } }).application;
    expect((res.json() as { application: { reachableChannels: string[] } }).application.reachableChannels).toEqual(['sms']);
    const text = await nextSms(mobile, 0);
    expect(text).toContain(application.reference);
    expect(text).toContain('لا تقل عن أسبوعين');
    expect(text).toContain(plain(formatDualDate(new Date(application.committeeDueAt), 'ar')));
    expect(text).toMatch(/هـ/);
    expect(text).toContain('واتساب');
    // The due date is at least two weeks away.
    expect(Date.parse(application.committeeDueAt) - Date.now()).toBeGreaterThanOrEqual(14 * 86_400_000 - 60_000);
  });

  it('gets another SMS at each status change, up to the decision', async () => {
    let before = smsTo(mobile).length;
    expect((await call(as.officer, 'POST', `/api/applications/${application.id}/status`, { status: 'under_study' })).statusCode).toBe(200);
    let text = await nextSms(mobile, before);
    expect(text).toContain(application.reference);
    expect(text).toContain('قيد الدراسة');

    before = smsTo(mobile).length;
    expect((await call(as.officer, 'POST', `/api/applications/${application.id}/status`, { status: 'incomplete', documents: ['صورة عقد الإيجار'] })).statusCode).toBe(200);
    text = await nextSms(mobile, before);
    expect(text).toContain('صورة عقد الإيجار');

    expect((await call(as.officer, 'POST', `/api/applications/${application.id}/status`, { status: 'under_study' })).statusCode).toBe(200);
    await waiveChecklist((method, url, payload) => call(as.officer, method, url, payload as object | undefined), application.id);
    expect((await call(as.officer, 'POST', `/api/applications/${application.id}/status`, { status: 'committee' })).statusCode).toBe(200);
    // Every notice so far has gone out (consecutive texts to one SMS recipient may share one message).
    await eventually(() => gw.db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.address, mobile), eq(outbox.status, 'pending'))).all().length === 0 || undefined, 10_000);
    before = smsTo(mobile).length;
    const decided = await call(as.committee, 'POST', `/api/applications/${application.id}/decision`, { decision: 'approved', reasons: 'الأسرة مستحقة للدعم' });
    expect(decided.statusCode, decided.body).toBe(200);
    text = await nextSms(mobile, before);
    expect(text).toContain('وافقت');
    expect(text).toContain(application.reference);
  });

  it('joins the same beneficiary when writing on WhatsApp from that number, and sees their own request', { timeout: 30_000 }, async () => {
    await webhook(waText({ from: '966551239876', text: 'السلام عليكم' }));
    const identity = await eventually(() => gw.db.select().from(contactIdentities).where(and(eq(contactIdentities.channel, 'whatsapp'), eq(contactIdentities.address, '966551239876'))).get());
    expect(identity.contactId).toBe(application.contactId);
    // The channel proved the number now.
    expect(gw.db.select().from(contacts).where(eq(contacts.id, application.contactId)).get()).toMatchObject({ phone: mobile, phoneVerified: true });
    const shown = graph.sentTo('966551239876').length;
    await webhook(waText({ from: '966551239876', text: 'متابعة طلب' }));
    await acceptNotice('966551239876', shown);
    await eventually(() => botKeys(identity.id).includes('status.ask_query') || undefined, 5000);
    await webhook(waText({ from: '966551239876', text: id }));
    await eventually(() => botKeys(identity.id).includes('status.show_decided') || undefined, 5000);
    // It reaches their phone (WhatsApp paces a burst to one recipient, so this can take a few seconds).
    const sent = await eventually(() => graph.sentTo('966551239876').find((c) => JSON.stringify(c.body).includes(application.reference)), 20_000);
    expect(JSON.stringify(sent.body)).toContain('تمت الموافقة');
  });

  it('hears the next change where they now write (WhatsApp), and the inbox shows one history with calls beside messages', { timeout: 30_000 }, async () => {
    const smsBefore = smsTo(mobile).length;
    expect((await call(as.officer, 'POST', `/api/applications/${application.id}/status`, { status: 'service_delivered' })).statusCode).toBe(200);
    await eventually(() => graph.sentTo('966551239876').find((c) => JSON.stringify(c.body).includes('تم تقديم الخدمة')), 20_000);
    expect(smsTo(mobile)).toHaveLength(smsBefore);

    const logged = await call(as.officer, 'POST', `/api/contacts/${application.contactId}/interactions`, { kind: 'phone_call', summary: 'اتصلت تسأل عن موعد الاستلام' });
    expect(logged.statusCode, logged.body).toBe(201);
    const conv = gw.db.$client.prepare('select id from conversations where contact_id = ? and channel = ?').pluck().get(application.contactId, 'whatsapp') as string;
    const detail = (await call(as.officer, 'GET', `/api/inbox/conversations/${conv}`)).json() as { history: { text: string; channel: string }[]; interactions: { kind: string; summary: string; recordedBy: { displayName: string } }[] };
    expect(detail.interactions).toEqual([expect.objectContaining({ kind: 'phone_call', summary: 'اتصلت تسأل عن موعد الاستلام', recordedBy: expect.objectContaining({ displayName: 'Officer officer@birr.example.org' }) })]);
    // The SMS notices and the WhatsApp messages are one history.
    expect(new Set(detail.history.map((m) => m.channel))).toEqual(new Set(['sms', 'whatsapp']));
  });

  it('keeps the status flow promise: someone else asking gets it, and the applicant is texted', async () => {
    const before = smsTo(mobile).length;
    const stranger = '966559000111';
    await webhook(waText({ from: stranger, text: 'متابعة طلب' }));
    await acceptNotice(stranger, 0);
    // Then the status flow's question reaches them.
    await eventually(() => graph.sentTo(stranger).some((c) => JSON.stringify(c.body).includes('اكتب رقم الطلب')) || undefined, 5000);
    const n = graph.sentTo(stranger).length;
    await webhook(waText({ from: stranger, text: application.reference }));
    await eventually(() => graph.sentTo(stranger).length > n || undefined, 5000);
    expect(JSON.stringify(graph.sentTo(stranger).slice(n).map((c) => c.body))).toContain('فسنرسل حالته إلى رقم الجوال المسجّل فيه');
    const text = await nextSms(mobile, before);
    expect(text).toContain(application.reference);
  });
});

describe('a branch representative', () => {
  it('is created by an admin with a branch, registers a case for it, and sees only that branch', async () => {
    const bad = await call(as.admin, 'POST', '/api/admin/officers', { email: 'rep2@birr.example.org', displayName: 'مندوب', role: 'representative', branchId: 'mars', password: 'quiet lantern orbit 2026' });
    expect(bad.statusCode).toBe(400);
    expect((await call(as.admin, 'POST', '/api/admin/officers', { email: 'rep3@birr.example.org', displayName: 'مندوب', role: 'representative', password: 'quiet lantern orbit 2026' })).statusCode).toBe(400);
    const created = await call(as.admin, 'POST', '/api/admin/officers', { email: 'rep@birr.example.org', displayName: 'مندوب الروضة', role: 'representative', branchId: 'rawdah', password: 'quiet lantern orbit 2026' });
    expect(created.statusCode, created.body).toBe(201);
    const repId = (created.json() as { officer: { id: string; branchId: string } }).officer.id;
    expect((created.json() as { officer: { branchId: string } }).officer.branchId).toBe('rawdah');
    const moved = await call(as.admin, 'PATCH', `/api/admin/officers/${repId}`, { branchId: 'kharj' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((moved.json() as { officer: { branchId: string } }).officer.branchId).toBe('kharj');
    const rep = await signIn(t, 'rep@birr.example.org', 'quiet lantern orbit 2026');

    const before = smsTo('+966551230777').length;
    const res = await call(rep, 'POST', '/api/applications', {
      source: 'representative',
      locale: 'en',
      fullName: 'Ahmad Saleh Alotaibi',
      nationalId: nationalId(),
      mobile: '0551230777',
      city: 'Al-Kharj',
      familySize: 7,
      monthlyIncome: 1500,
      housingType: 'family_home',
      needType: 'financial',
      declaration: { method: 'signed_form' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const app = (res.json() as { application: { id: string; branchId: string; reference: string } }).application;
    expect(app.branchId).toBe('kharj');
    // In their language.
    expect(await nextSms('+966551230777', before)).toContain('We have registered your request');
    const mine = (await call(rep, 'GET', '/api/applications?limit=200')).json() as { items: { id: string }[] };
    expect(mine.items.map((i) => i.id)).toEqual([app.id]);
    const others = gw.db.select({ id: applications.id }).from(applications).all().filter((a) => a.id !== app.id);
    expect(others.length).toBeGreaterThan(0);
    for (const other of others) {
      expect((await call(rep, 'GET', `/api/applications/${other.id}`)).statusCode).toBe(404);
      expect((await call(rep, 'GET', `/api/applications/${other.id}/letters/receipt`)).statusCode).toBe(404);
    }
    // Not another branch's beneficiary either, nor the conversations inbox.
    const otherContact = gw.db.select({ contactId: applications.contactId }).from(applications).where(eq(applications.id, others[0]?.id ?? '')).get()?.contactId;
    expect((await call(rep, 'GET', `/api/contacts/${otherContact}/interactions`)).statusCode).toBe(404);
    expect((await call(rep, 'GET', '/api/inbox/conversations')).statusCode).toBe(403);
    const own = gw.db.select({ contactId: applications.contactId }).from(applications).where(eq(applications.id, app.id)).get()?.contactId;
    expect((await call(rep, 'POST', `/api/contacts/${own}/interactions`, { kind: 'visit', summary: 'Home visit, family of seven' })).statusCode).toBe(201);
  });
});
