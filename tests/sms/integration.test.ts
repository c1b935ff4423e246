// The whole gateway with SMS enabled (real twilio client → fake Twilio): signed inbound in, numbered-list replies out, status callbacks.
// Needs the 'sms' wiring in src/config.ts and src/channels.ts.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, outbox } from '../../src/db/schema.ts';
import { FakeTwilioApi, inboundSms, postSigned, sign, statusCallback, type TwilioCall } from '../fakes/twilio-api.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL } from './support.ts';

let fake: FakeTwilioApi;
let gw: TestGateway;

beforeAll(async () => {
  fake = new FakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const { apiUrl } = await fake.start();
  // PUBLIC_URL is a fixed name, not the test port: the gateway checks signatures against `${PUBLIC_URL}${req.url}`.
  gw = await startGateway({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: '+15005550006', TWILIO_API_URL: apiUrl, PUBLIC_URL });
  await gw.listen();
});
afterAll(async () => {
  await gw?.close();
  await fake.stop();
});

const inbound = (params: Record<string, string>, signature?: string | null) => postSigned(`${gw.url()}/webhooks/twilio`, `${PUBLIC_URL}/webhooks/twilio`, params, AUTH_TOKEN, signature);
const status = (params: Record<string, string>) => postSigned(`${gw.url()}/webhooks/twilio/status`, `${PUBLIC_URL}/webhooks/twilio/status`, params, AUTH_TOKEN);
const sentTo = (to: string): TwilioCall[] => fake.calls().filter((c) => c.form.To === to && c.sid !== undefined);
const messageCount = () => gw.db.select({ n: count() }).from(messages).get()?.n ?? 0;

async function say(from: string, body: string, n = 1): Promise<TwilioCall[]> {
  const before = sentTo(from).length;
  const res = await inbound(inboundSms({ from, body }));
  expect(res.status).toBe(200);
  await eventually(() => sentTo(from).length >= before + n || undefined, 4000);
  return sentTo(from).slice(before);
}

describe('SMS through the gateway', () => {
  it('answers a signed inbound SMS; the menu goes out through Twilio as a numbered list', async () => {
    // A greeting is returned, then the welcome and the menu: three messages, the first two in one SMS (they fit).
    const sent = await say('+966551110001', 'السلام عليكم', 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(sentTo('+966551110001')).toHaveLength(2);
    const all = sent.map((c) => c.form.Body).join('\n');
    // Numbered in the digits of the Arabic text around it (the bot reads «١» as well as "1").
    expect(all).toMatch(/^١\. /m);
    expect(all).toMatch(/^٢\. /m);
    expect(all).not.toMatch(/^1\. /m);
    for (const c of sent) {
      expect(c.form.From).toBe('+15005550006');
      // Our reference rides in the callback URL, so a report can find a send whose commit a crash lost.
      expect(c.form.StatusCallback).toMatch(new RegExp(`^${PUBLIC_URL}/webhooks/twilio/status\\?ref=tw\\d+-[0-9a-z]+$`));
      expect((c.form.Body ?? '').length).toBeLessThanOrEqual(201);
    }
  });

  it('sends consecutive bot messages as one SMS when they fit, in order, each recorded once, and a report updates them all', async () => {
    const to = '+966551110006';
    const [combined, menu] = await say(to, 'السلام عليكم', 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(sentTo(to)).toHaveLength(2);
    const rows = gw.db.select().from(outbox).where(eq(outbox.address, to)).orderBy(outbox.id).all();
    const bot = rows.map((r) => gw.db.select().from(messages).where(eq(messages.id, r.messageId)).get());
    expect(bot).toHaveLength(3);
    const [salam, welcome, question] = bot;
    // Order kept and nothing lost or repeated: the first SMS is the reply to the greeting, a blank line, the welcome.
    const body = (c: TwilioCall | undefined) => (c?.form.Body ?? '').replace(/\u200e/g, '');
    const plain = (t: string | undefined) => (t ?? '').replace(/[\u2066\u2069]/g, '');
    expect(body(combined)).toBe(`${plain(salam?.text)}\n\n${plain(welcome?.text)}`);
    expect(body(menu)).toContain(plain(question?.text));
    expect(body(combined).length).toBeLessThanOrEqual(201);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect(rows[0]?.externalId).toBe(combined?.sid);
    expect(rows[1]?.externalId).toBe(combined?.sid);
    expect(rows[2]?.externalId).toBe(menu?.sid);
    expect((await status(statusCallback({ messageSid: combined?.sid ?? '', status: 'delivered' }))).status).toBe(200);
    const statusOf = (id: number | undefined) => gw.db.select().from(messages).where(eq(messages.id, id ?? 0)).get()?.deliveryStatus;
    expect([statusOf(salam?.id), statusOf(welcome?.id), statusOf(question?.id)]).toEqual(['delivered', 'delivered', 'sent']);
  });

  it('drops a replayed MessageSid: one stored message, no second reply', async () => {
    const params = inboundSms({ from: '+966551110002', body: 'القائمة' });
    expect((await inbound(params)).status).toBe(200);
    await eventually(() => sentTo('+966551110002').length > 0 || undefined, 4000);
    await new Promise((r) => setTimeout(r, 200));
    const stored = messageCount();
    const replies = sentTo('+966551110002').length;
    expect((await inbound(params)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(messageCount()).toBe(stored);
    expect(sentTo('+966551110002')).toHaveLength(replies);
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const n = messageCount();
    const params = inboundSms({ from: '+966551110003', body: 'مرحبا' });
    expect((await inbound(params, sign('0'.repeat(32), `${PUBLIC_URL}/webhooks/twilio`, params))).status).toBe(401);
    expect((await inbound(params, null)).status).toBe(401);
    expect(messageCount()).toBe(n);
    await new Promise((r) => setTimeout(r, 100));
    expect(sentTo('+966551110003')).toHaveLength(0);
  });

  it('applies status callbacks monotonically: sent, delivered, then a late sent leaves it delivered', async () => {
    const [first] = await say('+966551110004', 'مرحبا');
    const messageSid = first?.sid ?? '';
    const row = await eventually(() => gw.db.select().from(outbox).where(eq(outbox.externalId, messageSid)).get(), 2000);
    const delivery = () => gw.db.select().from(messages).where(eq(messages.id, row.messageId)).get()?.deliveryStatus;
    for (const s of ['sent', 'delivered', 'sent']) expect((await status(statusCallback({ messageSid, status: s }))).status).toBe(200);
    expect(delivery()).toBe('delivered');
    const bad = await postSigned(`${gw.url()}/webhooks/twilio/status`, `${PUBLIC_URL}/webhooks/twilio/status`, statusCallback({ messageSid, status: 'failed' }), AUTH_TOKEN, 'forged');
    expect(bad.status).toBe(401);
  });

  it('accepts a status callback on the exact URL Twilio was given (with our ?ref=), signed over it, and applies it', async () => {
    const [first] = await say('+966551110005', 'مرحبا');
    const callback = first?.form.StatusCallback ?? '';
    const messageSid = first?.sid ?? '';
    const path = callback.slice(PUBLIC_URL.length);
    const row = await eventually(() => gw.db.select().from(outbox).where(eq(outbox.externalId, messageSid)).get(), 2000);
    const res = await postSigned(`${gw.url()}${path}`, callback, statusCallback({ messageSid, status: 'delivered' }), AUTH_TOKEN);
    expect(res.status).toBe(200);
    await eventually(() => gw.db.select().from(messages).where(eq(messages.id, row.messageId)).get()?.deliveryStatus === 'delivered' || undefined);
    // Signed over the URL without the reference, it is refused: the query is part of what Twilio signs.
    const wrong = await postSigned(`${gw.url()}${path}`, `${PUBLIC_URL}/webhooks/twilio/status`, statusCallback({ messageSid, status: 'read' }), AUTH_TOKEN);
    expect(wrong.status).toBe(401);
  });
});
