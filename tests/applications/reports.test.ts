// Reports over Riyadh days: conversations per channel and day, waiting time to the first officer reply,
// satisfaction, applications per status and overdue — seeded through the real service at known times.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile, resolvePeriod } from '../../src/applications/reports.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { applyViaWebchat, officerApp, type OfficerApp } from './helpers.ts';

const clock = { now: new Date('2026-11-18T21:30:00.000Z') };
let gw: TestGateway;
let oa: OfficerApp;

async function visitor(at: string): Promise<{ token: string; conversationId: string }> {
  clock.now = new Date(at);
  const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: { locale: 'ar' } });
  return res.json() as { token: string; conversationId: string };
}

async function say(token: string, payload: { text: string } | { choice: string }, at?: string) {
  if (at) clock.now = new Date(at);
  const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${token}` }, payload });
  expect(res.statusCode).toBe(202);
}

/** Asks for an officer at `at`; the officer answers after `replySeconds` (if given). */
async function waitingConversation(at: string, replySeconds?: number) {
  const v = await visitor(at);
  await say(v.token, { choice: 'officer' });
  if (replySeconds !== undefined) {
    clock.now = new Date(Date.parse(at) + replySeconds * 1000);
    await gw.conversations.reply(v.conversationId, { id: oa.staff.officer, displayName: 'هدى' }, 'أهلًا، كيف أخدمك؟');
  }
  return v;
}

async function rate(v: { token: string; conversationId: string }, score: string, at: string) {
  clock.now = new Date(at);
  await gw.conversations.close(v.conversationId);
  await say(v.token, { choice: score });
  await say(v.token, { text: 'لا' });
}

function telegramConversation(at: string) {
  const contact = randomUUID();
  const identity = randomUUID();
  const db = gw.db.$client;
  db.prepare(`insert into contacts (id, created_at, updated_at) values (?, ?, ?)`).run(contact, at, at);
  db.prepare(`insert into contact_identities (id, contact_id, channel, address, created_at, updated_at) values (?, ?, 'telegram', ?, ?, ?)`).run(identity, contact, identity, at, at);
  db.prepare(`insert into conversations (id, contact_id, identity_id, channel, created_at, updated_at) values (?, ?, ?, 'telegram', ?, ?)`).run(randomUUID(), contact, identity, at, at);
}

beforeAll(async () => {
  gw = await startGateway({}, { now: () => clock.now });
  oa = await officerApp(gw);
  // 2026-11-18T21:30Z is already 19 November in Riyadh.
  const a = await waitingConversation('2026-11-18T21:30:00.000Z', 60);
  const b = await waitingConversation('2026-11-19T07:00:00.000Z', 120);
  const c = await waitingConversation('2026-11-20T08:00:00.000Z', 300);
  clock.now = new Date('2026-11-20T08:15:00.000Z');
  await gw.conversations.reply(c.conversationId, { id: oa.staff.officer, displayName: 'هدى' }, 'رد ثانٍ');
  const d = await waitingConversation('2026-11-20T09:00:00.000Z');
  await rate(a, '5', '2026-11-19T08:00:00.000Z');
  await rate(b, '4', '2026-11-19T09:00:00.000Z');
  await rate(c, '2', '2026-11-20T10:00:00.000Z');
  await rate(d, '1', '2026-11-22T10:00:00.000Z'); // after the period
  for (const at of ['2026-11-14T20:59:59.000Z', '2026-11-14T21:00:00.000Z', '2026-11-21T20:59:59.000Z', '2026-11-21T21:00:00.000Z']) telegramConversation(at);
  clock.now = new Date('2026-11-21T10:00:00.000Z');
  const applicant = await applyViaWebchat(gw, 'ar');
  oa.clock.now = clock.now;
  expect((await oa.as(oa.staff.officer, 'POST', `/api/applications/${applicant.applicationId}/status`, { status: 'under_study' })).statusCode).toBe(200);
});
afterAll(async () => {
  await oa.app.close();
  await gw.close();
});

const report = async (query: string, who = oa.staff.admin) => {
  const res = await oa.as(who, 'GET', `/api/reports${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('GET /api/reports', () => {
  it('counts conversations per channel per Riyadh day, densely', async () => {
    oa.clock.now = new Date('2026-11-21T12:00:00.000Z');
    const r = await report('?from=2026-11-15&to=2026-11-21');
    expect(r.period).toEqual({ from: '2026-11-15', to: '2026-11-21', timeZone: 'Asia/Riyadh' });
    expect(r.conversations.channels).toEqual(['telegram', 'webchat']);
    expect(r.conversations.totals).toEqual({ telegram: 2, webchat: 5 });
    expect(r.conversations.total).toBe(7);
    expect(r.conversations.days.map((d: { day: string; channels: Record<string, number> }) => [d.day, d.channels.webchat, d.channels.telegram])).toEqual([
      ['2026-11-15', 0, 1],
      ['2026-11-16', 0, 0],
      ['2026-11-17', 0, 0],
      ['2026-11-18', 0, 0],
      ['2026-11-19', 2, 0],
      ['2026-11-20', 2, 0],
      ['2026-11-21', 1, 1],
    ]);
  });

  it('measures the wait from waiting_since to the first officer reply: median and p90', async () => {
    const r = await report('?from=2026-11-15&to=2026-11-21', oa.staff.officer);
    // 60, 120 and 300 seconds answered (the second reply does not count); one still unanswered.
    expect(r.waitingTime).toEqual({ count: 3, unanswered: 1, medianSeconds: 120, p90Seconds: 264 });
  });

  it('averages satisfaction with its distribution, inside the period only', async () => {
    const r = await report('?from=2026-11-15&to=2026-11-21');
    expect(r.satisfaction).toEqual({ count: 3, average: 3.67, distribution: { '1': 0, '2': 1, '3': 0, '4': 1, '5': 1 }, byServiceType: [] });
    const later = await report('?from=2026-11-22&to=2026-11-22');
    expect(later.satisfaction).toEqual({ count: 1, average: 1, distribution: { '1': 1, '2': 0, '3': 0, '4': 0, '5': 0 }, byServiceType: [] });
  });

  it('counts applications per status and the overdue ones at the injected clock', async () => {
    oa.clock.now = new Date('2026-11-21T12:00:00.000Z');
    const r = await report('?from=2026-11-15&to=2026-11-21');
    expect(r.applications).toMatchObject({ total: 1, created: 1, overdue: 0 });
    expect(r.applications.byStatus).toMatchObject({ new: 0, under_study: 1, committee: 0, approved: 0 });
    expect(Object.keys(r.applications.byStatus)).toHaveLength(8);
    oa.clock.now = new Date('2026-12-10T12:00:00.000Z');
    expect((await report('?from=2026-11-15&to=2026-11-21')).applications.overdue).toBe(1);
  });

  it('defaults to the 30 Riyadh days ending today and checks its input and roles', async () => {
    oa.clock.now = new Date('2026-11-21T22:00:00.000Z'); // 22 November, 01:00 in Riyadh
    const r = await report('');
    expect(r.period).toMatchObject({ from: '2026-10-24', to: '2026-11-22' });
    expect(r.conversations.days).toHaveLength(30);
    for (const q of ['?from=2026-11-22&to=2026-11-21', '?from=2026-02-30', '?to=21-11-2026', '?from=2024-01-01&to=2026-01-01']) {
      expect((await oa.as(oa.staff.admin, 'GET', `/api/reports${q}`)).statusCode, q).toBe(400);
    }
    expect((await oa.as(undefined, 'GET', '/api/reports')).statusCode).toBe(401);
    for (const who of [oa.staff.researcher, oa.staff.committee]) expect((await oa.as(who, 'GET', '/api/reports')).statusCode).toBe(403);
  });
});

describe('an empty database', () => {
  it('answers zeros and nulls, never NaN', async () => {
    const empty = await startGateway();
    const eo = await officerApp(empty);
    try {
      const res = await eo.as(eo.staff.officer, 'GET', '/api/reports?from=2026-11-01&to=2026-11-03');
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('NaN');
      const r = res.json();
      expect(r.conversations).toEqual({
        total: 0,
        channels: [],
        totals: {},
        days: ['2026-11-01', '2026-11-02', '2026-11-03'].map((day) => ({ day, total: 0, channels: {} })),
      });
      expect(r.waitingTime).toEqual({ count: 0, unanswered: 0, medianSeconds: null, p90Seconds: null });
      expect(r.satisfaction).toEqual({ count: 0, average: null, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 }, byServiceType: [] });
      expect(r.applications).toMatchObject({ total: 0, created: 0, overdue: 0 });
      expect(Object.values(r.applications.byStatus)).toEqual(Array(8).fill(0));
    } finally {
      await eo.app.close();
      await empty.close();
    }
  });
});

describe('helpers', () => {
  it('interpolates percentiles and resolves periods', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([60, 120, 300, 600], 0.5)).toBe(210);
    expect(percentile([60, 120, 300, 600], 0.9)).toBeCloseTo(510);
    expect(resolvePeriod({ to: '2026-03-01' }, new Date())).toEqual({ from: '2026-01-31', to: '2026-03-01' });
  });
});
