// Officers' lists carry masked IDs and mobiles, and every search by ID, mobile or name is in the audit log (the real
// src/auth/audit.ts writing audit_log) with the query masked the same way — never the ID, mobile or name itself.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudit } from '../../src/auth/audit.ts';
import { applications, auditLog, contacts } from '../../src/db/schema.ts';
import { officerApp, type OfficerApp } from '../applications/helpers.ts';
import { askForOfficer, startInbox, type Harness } from '../inbox/support.ts';

const NATIONAL_ID = '1058529940';
const MOBILE = '+966551234567';
const NAME = 'نورة سعد العتيبي';
const REFERENCE = 'TW-1448-022111P';
const LEAKS = [NATIONAL_ID, '551234567', NAME, 'سعد', 'العتيبي'];

let h: Harness;
let officers: OfficerApp;
let me: string;
let conversationId: string;

beforeAll(async () => {
  h = await startInbox('2026-03-01T07:00:00Z', { audit: (gw) => createAudit(gw.db) });
  me = h.officer('officer', 'هدى الشمري');
  officers = await officerApp(h.gw, { audit: createAudit(h.gw.db) });
  // A beneficiary whose WhatsApp-verified mobile, national ID and application are on record.
  conversationId = await askForOfficer(h, '8001', { displayName: NAME, phone: MOBILE });
  const contactId = h.gw.db.$client.prepare('select contact_id from conversations where id = ?').pluck().get(conversationId) as string;
  h.gw.db.update(contacts).set({ nationalId: NATIONAL_ID }).where(eq(contacts.id, contactId)).run();
  const at = '2026-02-20T00:00:00Z';
  h.gw.db
    .insert(applications)
    .values({ id: randomUUID(), reference: REFERENCE, contactId, applicantName: NAME, nationalId: NATIONAL_ID, mobile: MOBILE, answers: {}, declarationVersion: '1', declarationAcceptedAt: at, committeeDueAt: at })
    .run();
});
afterAll(async () => {
  await officers?.app.close();
  await h?.close();
});

const inboxSearch = (q: string) => h.app.inject({ method: 'GET', url: '/api/inbox/conversations', query: { queue: 'waiting', q }, headers: h.as(me) });
const appSearch = (q: string) => officers.as(officers.staff.officer, 'GET', `/api/applications?q=${encodeURIComponent(q)}`);
const lastAudit = (action: string) => h.gw.db.select().from(auditLog).where(eq(auditLog.action, action)).all().at(-1);

describe('the inbox conversation list', () => {
  it('shows only the last four digits of the mobile and the ID, on every queue and search', async () => {
    const queries: Record<string, string>[] = [{ queue: 'waiting' }, { queue: 'open' }, { queue: 'waiting', q: NATIONAL_ID }, { queue: 'open', q: '0551234567' }, { queue: 'waiting', q: 'نوره' }];
    for (const query of queries) {
      const res = await h.app.inject({ method: 'GET', url: '/api/inbox/conversations', query, headers: h.as(me) });
      expect(res.statusCode).toBe(200);
      const item = (res.json() as { items: { id: string; contact: { phone?: string; nationalId?: string } }[] }).items.find((i) => i.id === conversationId);
      expect(item?.contact, JSON.stringify(query)).toMatchObject({ phone: '********4567', nationalId: '******9940' });
      expect(res.body).not.toContain(NATIONAL_ID);
      expect(res.body).not.toContain('551234567');
    }
  });
});

describe('searches are audited with the query masked', () => {
  it.each([
    ['national ID', NATIONAL_ID, '******9940', ['nationalId']],
    ['national ID in Arabic-Indic digits', '١٠٥٨٥٢٩٩٤٠', '******9940', ['nationalId']],
    ['mobile', '0551234567', '******4567', ['mobile']],
    ['name', 'نورة سعد العتيبي', 'ن*** س** ا******', ['name']],
    ['reference', 'tw 1448 o22lilp', REFERENCE, ['reference']],
  ])('in the inbox: by %s', async (_what, q, masked, kinds) => {
    const res = await inboxSearch(q);
    expect((res.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([conversationId]);
    const row = lastAudit('conversation.search');
    expect(row).toMatchObject({ officerId: me, details: { query: masked, kinds, results: 1 } });
    const stored = JSON.stringify(row);
    for (const leak of LEAKS) expect(stored).not.toContain(leak);
  });

  it.each([
    ['national ID', NATIONAL_ID, '******9940'],
    ['part of a mobile', '551234567', '*****4567'],
    ['name', 'العتيبي', 'ا******'],
    ['reference, typed loosely', 'tw-1448-o22LIlp', REFERENCE],
  ])('in the applications list: by %s', async (_what, q, masked) => {
    const res = await appSearch(q);
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: { reference: string; nationalId: string }[] }).items;
    expect(items.map((i) => i.reference)).toEqual([REFERENCE]);
    expect(items[0]?.nationalId).toBe('******9940');
    const row = lastAudit('application.search');
    expect(row).toMatchObject({ officerId: officers.staff.officer, details: { query: masked, results: 1 } });
    const stored = JSON.stringify(row);
    for (const leak of LEAKS) expect(stored).not.toContain(leak);
  });

  it('a list without a search is not a search: nothing is recorded', async () => {
    const before = h.gw.db.select().from(auditLog).all().length;
    await h.app.inject({ method: 'GET', url: '/api/inbox/conversations', query: { queue: 'open' }, headers: h.as(me) });
    await officers.as(officers.staff.officer, 'GET', '/api/applications');
    expect(h.gw.db.select().from(auditLog).all().length).toBe(before);
  });
});
