// Calls, visits and letters in a beneficiary's history: POST/GET /api/contacts/:id/interactions on the real gateway,
// every role and refusal, the audit trail, and the conversation view's timeline.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/schema.ts';
import { addOfficer, signIn, type AuthTestApp, type Signed } from '../auth/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
const as = {} as Record<'officer' | 'researcher' | 'committee' | 'admin', Signed>;
let contactId: string;
let conversationId: string;

beforeAll(async () => {
  gw = await startGateway();
  const t: AuthTestApp = { app: gw.app, db: gw.db, dir: gw.dir, auth: gw.auth, audit: gw.audit, advance: () => undefined, close: () => gw.close() };
  for (const role of ['officer', 'researcher', 'committee', 'admin'] as const) {
    await addOfficer(t, `${role}@birr.example.org`, role);
    as[role] = await signIn(t, `${role}@birr.example.org`);
  }
  const started = await gw.conversations.start({ channel: 'webchat', address: 'visitor-interactions', locale: 'ar' });
  conversationId = started.conversationId;
  contactId = gw.db.$client.prepare('select contact_id from conversations where id = ?').pluck().get(conversationId) as string;
}, 60_000);
afterAll(() => gw.close());

const call = (who: Signed | undefined, method: 'GET' | 'POST', url: string, payload?: object, csrf = true) =>
  gw.app.inject({ method, url, headers: who ? { cookie: who.cookie, ...(csrf ? { 'x-csrf-token': who.csrf } : {}) } : {}, ...(payload ? { payload } : {}) });

describe('/api/contacts/:id/interactions', () => {
  it('records a call, a visit and letters with who recorded them; lists them oldest first; audits both', async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const call1 = await call(as.officer, 'POST', `/api/contacts/${contactId}/interactions`, { kind: 'phone_call', summary: 'اتصل يسأل عن المستندات المطلوبة' });
    expect(call1.statusCode, call1.body).toBe(201);
    expect((call1.json() as { interaction: unknown }).interaction).toMatchObject({ kind: 'phone_call', contactId, recordedBy: { displayName: 'Officer officer@birr.example.org' } });
    const visit = await call(as.researcher, 'POST', `/api/contacts/${contactId}/interactions`, { kind: 'visit', summary: 'زيارة ميدانية للمنزل', occurredAt: yesterday });
    expect(visit.statusCode).toBe(201);
    expect((await call(as.admin, 'POST', `/api/contacts/${contactId}/interactions`, { kind: 'letter_in', summary: 'خطاب من الضمان الاجتماعي' })).statusCode).toBe(201);
    expect((await call(as.admin, 'POST', `/api/contacts/${contactId}/interactions`, { kind: 'letter_out', summary: 'Reply letter sent' })).statusCode).toBe(201);

    const list = await call(as.officer, 'GET', `/api/contacts/${contactId}/interactions`);
    expect(list.statusCode).toBe(200);
    const items = (list.json() as { interactions: { kind: string; occurredAt: string; recordedBy: { displayName: string } }[] }).interactions;
    expect(items.map((i) => i.kind)).toEqual(['visit', 'phone_call', 'letter_in', 'letter_out']);
    expect(items[0]).toMatchObject({ occurredAt: yesterday, recordedBy: { displayName: 'Officer researcher@birr.example.org' } });

    const audited = gw.db.select().from(auditLog).where(eq(auditLog.targetId, contactId)).all().map((a) => a.action);
    expect(audited.filter((a) => a === 'contact.interaction')).toHaveLength(4);
    expect(audited).toContain('contact.interactions_view');
  });

  it('shows them in the conversation view beside the messages', async () => {
    const detail = await call(as.officer, 'GET', `/api/inbox/conversations/${conversationId}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.json() as { history: unknown[]; interactions: { kind: string; summary: string; recordedBy: { displayName: string } }[] };
    expect(body.history.length).toBeGreaterThan(0);
    expect(body.interactions.map((i) => i.summary)).toContain('اتصل يسأل عن المستندات المطلوبة');
  });

  it('refuses: no session 401, committee 403, no CSRF 403, bad bodies 400, unknown contact 404', async () => {
    const url = `/api/contacts/${contactId}/interactions`;
    expect((await call(undefined, 'POST', url, { kind: 'visit', summary: 'x' })).statusCode).toBe(401);
    expect((await call(undefined, 'GET', url)).statusCode).toBe(401);
    expect((await call(as.committee, 'POST', url, { kind: 'visit', summary: 'x' })).statusCode).toBe(403);
    expect((await call(as.committee, 'GET', url)).statusCode).toBe(403);
    expect((await call(as.officer, 'POST', url, { kind: 'visit', summary: 'x' }, false)).statusCode).toBe(403);
    for (const bad of [{ kind: 'fax', summary: 'x' }, { kind: 'visit', summary: '   ' }, { kind: 'visit' }, { kind: 'visit', summary: 'x'.repeat(4001) }, { kind: 'visit', summary: 'x', occurredAt: 'yesterday' }, { kind: 'visit', summary: 'x', occurredAt: new Date(Date.now() + 86_400_000).toISOString() }]) {
      const res = await call(as.officer, 'POST', url, bad);
      expect(res.statusCode, JSON.stringify(bad).slice(0, 80)).toBe(400);
      expect((res.json() as { error: { code: string } }).error.code).toBe('ERR_VALIDATION');
    }
    expect((await call(as.officer, 'POST', '/api/contacts/00000000-0000-4000-8000-000000000000/interactions', { kind: 'visit', summary: 'x' })).statusCode).toBe(404);
    expect((await call(as.officer, 'GET', '/api/contacts/not-an-id/interactions')).statusCode).toBe(404);
    // Nothing refused was stored.
    expect(((await call(as.officer, 'GET', url)).json() as { interactions: unknown[] }).interactions).toHaveLength(4);
  });
});
