// The waiting-time report counts every wait for an officer: two requests in one conversation are two waits
// (the second request used to overwrite the first in conversations.waiting_since, so a 2-minute wait vanished).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { officerApp, type OfficerApp } from './helpers.ts';

const clock = { now: new Date('2026-11-18T07:00:00.000Z') };
let gw: TestGateway;
let oa: OfficerApp;

const at = (iso: string) => {
  clock.now = new Date(iso);
};
async function say(token: string, payload: { text: string } | { choice: string }) {
  const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${token}` }, payload });
  expect(res.statusCode).toBe(202);
}

beforeAll(async () => {
  gw = await startGateway({}, { now: () => clock.now });
  oa = await officerApp(gw);
  oa.clock.now = new Date('2026-11-20T09:00:00.000Z');
  const officer = { id: oa.staff.officer, displayName: 'هدى' };

  at('2026-11-18T07:00:00.000Z');
  const v = (await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: { locale: 'ar' } })).json() as { token: string; conversationId: string };
  await say(v.token, { choice: 'officer' });
  // The officer takes it over a minute in (no message yet: the wait goes on), and writes at two minutes.
  at('2026-11-18T07:01:00.000Z');
  await gw.conversations.takeOver(v.conversationId, officer, () => undefined);
  at('2026-11-18T07:02:00.000Z');
  await gw.conversations.reply(v.conversationId, officer, 'أهلًا، كيف أخدمك؟');
  at('2026-11-18T07:03:00.000Z');
  await gw.conversations.reply(v.conversationId, officer, 'هل من شيء آخر؟');
  at('2026-11-18T07:05:00.000Z');
  await gw.conversations.handBack(v.conversationId);

  // The same conversation asks again; answered in 30 s.
  at('2026-11-18T08:00:00.000Z');
  await say(v.token, { choice: 'officer' });
  at('2026-11-18T08:00:30.000Z');
  await gw.conversations.reply(v.conversationId, officer, 'معك هدى مرة أخرى');

  // A third request that the beneficiary leaves before anyone writes: unanswered.
  at('2026-11-18T08:10:00.000Z');
  await gw.conversations.handBack(v.conversationId);
  await say(v.token, { choice: 'officer' });
  at('2026-11-18T08:12:00.000Z');
  await gw.conversations.close(v.conversationId);
});
afterAll(async () => {
  await oa.app.close();
  await gw.close();
});

describe('waiting time', () => {
  it('reports both waits of one conversation (2 min and 30 s), the median and p90 over them, and the unanswered one', async () => {
    const res = await oa.as(oa.staff.officer, 'GET', '/api/reports?from=2026-11-18&to=2026-11-18');
    expect(res.statusCode, res.body).toBe(200);
    // median of [30, 120] = 75; p90 = 30 + 0.9 × 90 = 111.
    expect(res.json().waitingTime).toEqual({ count: 2, unanswered: 1, medianSeconds: 75, p90Seconds: 111 });
  });
});
