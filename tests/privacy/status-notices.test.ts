// Strangers asking about someone's application cannot make the charity text the applicant again and again: one
// SMS per application per 24 hours (real twilio client → the local Twilio fake), and the askers see no difference.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, statusRequests } from '../../src/db/schema.ts';
import { applyViaWebchat, type Applicant } from '../applications/helpers.ts';
import { FakeTwilioApi, inboundSms, postSigned, type TwilioCall } from '../fakes/twilio-api.ts';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL } from '../sms/support.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { freshNationalId, open, visitor } from './support.ts';

const MOBILE = '+966551234567';
let twilio: FakeTwilioApi;
let gw: TestGateway;
let applicant: Applicant;

beforeAll(async () => {
  twilio = new FakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const { apiUrl } = await twilio.start();
  gw = await startGateway({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: '+15005550006', TWILIO_API_URL: apiUrl, SMS_RATE_PER_SECOND: '100', PUBLIC_URL });
  await gw.listen();
  // Applies in the web chat with 0551234567 as the registered mobile.
  applicant = await applyViaWebchat(gw, 'ar');
});
afterAll(async () => {
  await gw?.close();
  await twilio?.stop();
});

const smsTo = (to: string): TwilioCall[] => twilio.calls().filter((c) => c.form.To === to && c.sid !== undefined);
const noticesQueued = () =>
  gw.db
    .select({ n: sql<number>`count(distinct ${outbox.messageId})` })
    .from(outbox)
    .where(and(eq(outbox.channel, 'sms'), eq(outbox.address, MOBILE)))
    .get()?.n ?? 0;
const drained = () => gw.db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.status, 'pending')).get()?.n === 0 || undefined;

/** One SMS from `from` and the texts the gateway sent back to it. */
async function sms(from: string, body: string): Promise<string> {
  const before = smsTo(from).length;
  const res = await postSigned(`${gw.url()}/webhooks/twilio`, `${PUBLIC_URL}/webhooks/twilio`, inboundSms({ from, body }), AUTH_TOKEN);
  expect(res.status).toBe(200);
  await eventually(() => smsTo(from).length > before || undefined, 5000);
  await eventually(drained, 5000);
  return smsTo(from)
    .slice(before)
    .map((c) => c.form.Body)
    .join('\n');
}

describe('status questions about one application', () => {
  it('100 of them from 20 strangers send the applicant one SMS, and every asker reads the same answer', async () => {
    const answers = new Set<string>();
    for (let s = 0; s < 20; s++) {
      const v = await visitor(gw, 'ar');
      await open(v, { choice: 'status' });
      for (let q = 0; q < 5; q++) {
        if (q > 0) await v.send({ choice: 'retry' });
        answers.add(JSON.stringify(await v.send(applicant.nationalId)));
      }
    }
    expect(answers.size).toBe(1);
    expect([...answers][0]).not.toContain(applicant.reference);
    const requests = gw.db.select().from(statusRequests).where(eq(statusRequests.applicationId, applicant.applicationId)).all();
    expect(requests).toHaveLength(100);
    expect(requests.filter((r) => r.handled)).toHaveLength(1);
    expect(noticesQueued()).toBe(1);
    const notice = await eventually(() => smsTo(MOBILE)[0], 5000);
    expect(notice.form.Body).toContain(applicant.reference);
    await eventually(drained, 5000);
    expect(smsTo(MOBILE)).toHaveLength(1);
  });

  it('over SMS a stranger reads the same reply for the applicant’s ID as for a never-seen one, and no new notice goes out', async () => {
    await sms('+966500000101', 'متابعة طلب');
    await sms('+966500000101', 'موافق');
    const theirs = await sms('+966500000101', applicant.nationalId);
    await sms('+966500000102', 'متابعة طلب');
    await sms('+966500000102', 'موافق');
    const fresh = await sms('+966500000102', freshNationalId());
    expect(theirs).toBe(fresh);
    expect(theirs).toContain('حفاظًا على خصوصية');
    expect(theirs).not.toContain(applicant.reference);
    expect(noticesQueued()).toBe(1);
  });

  it('a day after the last notice, the next question sends one more', async () => {
    const dayAgo = new Date(Date.now() - 24 * 3_600_000 - 60_000).toISOString();
    gw.db.update(statusRequests).set({ createdAt: dayAgo }).where(eq(statusRequests.applicationId, applicant.applicationId)).run();
    const v = await visitor(gw, 'en');
    await open(v, { choice: 'status' });
    await v.send(applicant.reference);
    await v.send({ choice: 'retry' });
    await v.send(applicant.reference);
    expect(noticesQueued()).toBe(2);
    await eventually(() => smsTo(MOBILE)[1], 5000);
    await eventually(drained, 5000);
    expect(smsTo(MOBILE)).toHaveLength(2);
  });
});
