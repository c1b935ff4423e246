// Consent and the rights it comes with, through the real gateway: what is typed before consent is not kept, an
// abandoned intake's answers are deleted after RETENTION_ABANDONED_INTAKE_HOURS, and staff close privacy requests.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages, nluMisses, privacyRequests } from '../../src/db/schema.ts';
import type { FlowState } from '../../src/flows/types.ts';
import { purgeAbandonedIntakes } from '../../src/privacy/abandoned.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { createOfficerWithTotp, signInOfficer, type OfficerHeaders } from '../support/officers.ts';
import { visitor } from './support.ts';

let clock = new Date('2026-11-19T07:00:00Z');
let gw: TestGateway;
const HOUR = 3_600_000;

beforeAll(async () => {
  gw = await startGateway({}, { now: () => clock });
});
afterAll(async () => {
  await gw.close();
});

const texts = (conversationId: string) => gw.db.select({ text: messages.text }).from(messages).where(eq(messages.conversationId, conversationId)).all().map((m) => m.text);
const latestConversation = () => gw.db.select().from(conversations).all().sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1))[0];

describe('before consent', () => {
  it('keeps neither the message nor the miss of a name typed at the privacy notice', async () => {
    const v = await visitor(gw, 'ar');
    expect((await v.send({ choice: 'apply' })).at(-1)?.step).toBe('notice');
    const name = 'فهد ناصر الدوسري ١٠٠٠٠٠٠٠٠٨';
    expect((await v.send(name)).at(-1)?.step).toBe('notice');
    const conv = latestConversation();
    if (!conv) throw new Error('no conversation');
    expect(texts(conv.id).join('\n')).not.toContain('فهد');
    expect(texts(conv.id)).toContain('[لم تُحفظ: كُتبت قبل الموافقة على إشعار الخصوصية]');
    const raw = gw.db.$client.prepare('select count(*) as n from messages where raw like ?').get('%فهد%') as { n: number };
    expect(raw.n).toBe(0);
    const misses = gw.db.select().from(nluMisses).where(eq(nluMisses.conversationId, conv.id)).all();
    expect(misses.every((m) => m.text === null && m.personal)).toBe(true);
  });
});

describe('abandoned intake', () => {
  it('deletes the answers and their messages only after RETENTION_ABANDONED_INTAKE_HOURS (72)', async () => {
    clock = new Date('2026-11-20T07:00:00Z');
    const v = await visitor(gw, 'ar');
    await v.send({ choice: 'apply' });
    await v.send({ choice: 'privacy_accept' });
    await v.send('سلمان عبدالعزيز القحطاني');
    const conv = latestConversation();
    if (!conv) throw new Error('no conversation');
    expect((conv.flowState as FlowState | null)?.vars.full_name).toBe('سلمان عبدالعزيز القحطاني');
    const deps = { db: gw.db, hours: 72, logger: gw.logger, placeholder: '[حُذف]', batchSize: 1 };

    // 71 hours on, only the older intake of the test above (left at the notice) is past its time; this one stays.
    await purgeAbandonedIntakes(deps, new Date(clock.getTime() + 71 * HOUR));
    expect(texts(conv.id)).toContain('سلمان عبدالعزيز القحطاني');

    const counts = await purgeAbandonedIntakes(deps, new Date(clock.getTime() + 73 * HOUR));
    expect(counts.conversations).toBe(1);
    expect(counts.messages).toBeGreaterThan(0);
    expect(texts(conv.id).join('\n')).not.toContain('سلمان');
    const after = gw.db.select().from(conversations).where(eq(conversations.id, conv.id)).get();
    expect((after?.flowState as FlowState | null | undefined)?.flow).toBe('main');
    expect((after?.flowState as FlowState | null | undefined)?.vars.full_name).toBeUndefined();
    // Nothing is left to purge the next hour.
    expect(await purgeAbandonedIntakes(deps, new Date(clock.getTime() + 74 * HOUR))).toEqual({ conversations: 0, messages: 0 });
  });
});

describe('privacy requests', () => {
  let privacy: OfficerHeaders;
  let officer: OfficerHeaders;

  beforeAll(async () => {
    await createOfficerWithTotp(gw, { email: 'dpo@example.org', displayName: 'هند الشهري', role: 'privacy', grammaticalGender: 'f', password: 'Privacy-Officer-2026!' });
    await createOfficerWithTotp(gw, { email: 'rel@example.org', displayName: 'ماجد العنزي', role: 'officer', password: 'Relations-Officer-2026!' });
  });
  // Sessions end when idle; the clock jumps a month, so staff sign in at each time they act.
  const signIn = async () => {
    privacy = await signInOfficer(gw, 'dpo@example.org', 'Privacy-Officer-2026!');
    officer = await signInOfficer(gw, 'rel@example.org', 'Relations-Officer-2026!');
  };

  it('lists a request with its deadline, refuses officers, and closes it telling the beneficiary', async () => {
    clock = new Date('2026-11-21T07:00:00Z');
    const v = await visitor(gw, 'en');
    const told = await v.send('delete my data');
    const opened = told.find((m) => m.step === 'opened');
    expect(opened?.text).toMatch(/PR-1448-/);
    // 30 days, in Hijri with the Gregorian date beside it.
    expect(opened?.text).toMatch(/AH.*2026|2026.*AH/s);
    const row = gw.db.select().from(privacyRequests).all().find((r) => r.kind === 'erasure');
    if (!row) throw new Error('no request');
    expect(row.dueAt).toBe('2026-12-21T07:00:00.000Z');
    await signIn();

    expect((await gw.app.inject({ method: 'GET', url: '/api/privacy/requests', headers: officer })).statusCode).toBe(403);
    expect((await gw.app.inject({ method: 'GET', url: '/api/privacy/requests' })).statusCode).toBe(401);

    clock = new Date('2026-12-22T07:00:00Z');
    await signIn();
    const list = await gw.app.inject({ method: 'GET', url: '/api/privacy/requests', headers: privacy });
    expect(list.statusCode).toBe(200);
    const listed = (list.json() as { requests: { id: string; reference: string; overdue: boolean; dueAt: string }[] }).requests.find((r) => r.id === row.id);
    expect(listed).toMatchObject({ reference: row.reference, overdue: true, dueAt: row.dueAt });

    const url = `/api/privacy/requests/${row.id}/close`;
    expect((await gw.app.inject({ method: 'POST', url, headers: officer, payload: { outcome: 'Deleted.' } })).statusCode).toBe(403);
    const closed = await gw.app.inject({ method: 'POST', url, headers: privacy, payload: { outcome: 'Your messages and contact details were deleted.' } });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ notified: true, request: { status: 'closed', overdue: false, closedBy: { displayName: 'هند الشهري' } } });
    // Told in their language, through the conversation service's outbox (the month-old chat token has ended).
    const news = gw.db.select().from(messages).where(eq(messages.contactId, row.contactId)).all().filter((m) => (m.payload as { key?: string } | null)?.key === 'privacy.closed');
    expect(news).toHaveLength(1);
    expect(news[0]?.text).toContain(`Your request ${row.reference} (deleting your data) is done.`);
    expect(news[0]?.text).toContain('Your messages and contact details were deleted.');
    const again = await gw.app.inject({ method: 'POST', url, headers: privacy, payload: { outcome: 'Again.' } });
    expect(again.statusCode).toBe(409);
    expect((again.json() as { error: { code: string } }).error.code).toBe('ERR_CONFLICT');
    const audited = gw.db.$client.prepare("select count(*) as n from audit_log where action = 'privacy_request.close' and target_id = ?").get(row.id) as { n: number };
    expect(audited.n).toBe(1);
  });
});
