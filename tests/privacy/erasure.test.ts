// Erasure on the real gateway: four eyes, then nothing personal is left — searches, files on disk, the old web chat
// token, the access copy and the audit log — and a replayed webhook of an erased message restores nothing.
import fs from 'node:fs';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationDecisions, applications, attachments, auditLog, contacts, messages } from '../../src/db/schema.ts';
import { applyViaWebchat, type Applicant } from '../applications/helpers.ts';
import { applyOn, officerSession, type Headers } from '../letters/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { pdf, storedFiles } from '../support/webchat.ts';
import { searchHits } from './erasure-support.ts';

let gw: TestGateway;
let adminA: Headers;
let adminB: Headers;
let officer: Headers;
let web: Applicant;
let tg: { contactId: string; nationalId: string; applicationId: string };
const TG_ADDRESS = '5550007777';
const NAME = 'نورة سعد العتيبي';
const TG_NAME = 'هند عبدالله الحربي';

beforeAll(async () => {
  gw = await startGateway();
  adminA = await officerSession(gw, 'admin');
  adminB = await officerSession(gw, 'admin');
  officer = await officerSession(gw, 'officer');
  web = await applyViaWebchat(gw, 'ar', { name: NAME, idCopy: { bytes: pdf(4096), name: 'هوية.pdf' } });
  const row = await applyOn(gw, 'telegram', TG_ADDRESS, { name: TG_NAME, city: 'جدة' });
  tg = { contactId: row.contactId, nationalId: row.nationalId, applicationId: row.id };
  // The committee decided it (set here directly: the decision route's walk is tested elsewhere).
  gw.db.update(applications).set({ status: 'rejected' }).where(eq(applications.id, tg.applicationId)).run();
  const committee = gw.db.$client.prepare(`select id from officers where role = 'admin' limit 1`).pluck().get() as string;
  gw.db.insert(applicationDecisions).values({ applicationId: tg.applicationId, decision: 'rejected', reasons: `الدخل كافٍ للمتقدمة ${TG_NAME}`, decidedBy: committee }).run();
}, 120_000);
afterAll(() => gw.close());

const post = (who: Headers, url: string, payload: object = {}) => gw.app.inject({ method: 'POST', url, headers: who, payload });
const values = () => [NAME, web.nationalId, '0551234567', '+966551234567', TG_NAME, tg.nationalId, TG_ADDRESS];

describe('POST /api/contacts/:id/erase', () => {
  it('waits for a second admin: the same admin is refused, another confirms', async () => {
    // Searches are audited with masked queries: these entries must lose their details with the erasure.
    expect(await searchHits(gw, officer, web.nationalId)).toBeGreaterThan(0);
    expect(await searchHits(gw, officer, NAME)).toBeGreaterThan(0);
    expect((await post(officer, `/api/contacts/${web.contactId}/erase`, { reason: 'طلب المستفيد' })).statusCode).toBe(403);
    const asked = await post(adminA, `/api/contacts/${web.contactId}/erase`, { reason: 'طلب المستفيد عبر المحادثة' });
    expect(asked.statusCode, asked.body).toBe(202);
    const { id, status } = asked.json() as { id: string; status: string };
    expect(status).toBe('pending');
    // Nothing is erased yet.
    expect(gw.db.select().from(contacts).where(eq(contacts.id, web.contactId)).get()?.displayName ?? gw.db.select().from(applications).where(eq(applications.contactId, web.contactId)).get()?.applicantName).toBeTruthy();

    const same = await post(adminA, `/api/contacts/erasures/${id}/confirm`);
    expect(same.statusCode).toBe(403);
    expect((same.json() as { error: { code: string } }).error.code).toBe('ERR_FOUR_EYES');
    const files = gw.db.select().from(attachments).where(eq(attachments.contactId, web.contactId)).all();
    expect(files.length).toBeGreaterThan(0);
    const onDisk = storedFiles(gw);

    const confirmed = await post(adminB, `/api/contacts/erasures/${id}/confirm`);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ id, status: 'done' });
    expect((await post(adminB, `/api/contacts/erasures/${id}/confirm`)).statusCode).toBe(409);
    // The stored files are gone from DATA_DIR.
    expect(storedFiles(gw).length).toBe(onDisk.length - files.length);
    for (const f of files) expect(onDisk.some((p) => p.endsWith(f.storagePath)) && !fs.existsSync(onDisk.find((p) => p.endsWith(f.storagePath)) ?? '')).toBe(true);
  });

  it('leaves the conversation its length, every text the placeholder; the undecided application is gone', () => {
    const rows = gw.db.select().from(messages).where(eq(messages.contactId, web.contactId)).all();
    expect(rows.length).toBeGreaterThan(10);
    expect(new Set(rows.map((m) => m.text))).toEqual(new Set(['[حُذف بطلب المستفيد]']));
    expect(gw.db.select().from(applications).where(eq(applications.contactId, web.contactId)).all()).toEqual([]);
  });

  it('the old web chat token reads nothing', async () => {
    const res = await gw.app.inject({ method: 'GET', url: '/api/webchat/messages', headers: { authorization: `Bearer ${web.token}` } });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('حُذف');
  });

  it('a decided application keeps only status, dates, amounts and the decision (RETENTION_LEGAL_HOLD)', async () => {
    const asked = await post(adminB, `/api/contacts/${tg.contactId}/erase`, { reason: 'طلب المستفيد هاتفيًا' });
    const confirmed = await post(adminA, `/api/contacts/erasures/${(asked.json() as { id: string }).id}/confirm`);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const kept = gw.db.select().from(applications).where(eq(applications.id, tg.applicationId)).get();
    expect(kept).toMatchObject({ status: 'rejected', nationalId: '', mobile: '', applicantName: '[حُذف بطلب المستفيد]' });
    expect(kept?.answers).toEqual({ family_size: 4, monthly_income: 2500, housing_type: 'rented', need_type: 'medical', channel: 'telegram', documents_later: true });
    const decision = gw.db.select().from(applicationDecisions).where(eq(applicationDecisions.applicationId, tg.applicationId)).get();
    expect(decision).toMatchObject({ decision: 'rejected', reasons: '[حُذف بطلب المستفيد]' });
  });

  it('searches by name, ID or mobile find nothing', async () => {
    for (const q of [NAME, web.nationalId, '0551234567', TG_NAME, tg.nationalId]) expect(await searchHits(gw, officer, q), q).toBe(0);
  });

  it('the access copy holds nothing personal', async () => {
    for (const contactId of [web.contactId, tg.contactId]) {
      const res = await gw.app.inject({ method: 'GET', url: `/api/contacts/${contactId}/export`, headers: adminA });
      expect(res.statusCode).toBe(200);
      for (const v of values()) expect(res.body, v).not.toContain(v);
    }
  });

  it('the audit log records the erasures without the erased values, and scrubbed entries that quoted them', () => {
    const all = gw.db.select().from(auditLog).all();
    const text = JSON.stringify(all);
    for (const v of values()) expect(text, v).not.toContain(v);
    // Searches before the erasure logged the ID and the name masked (******1234, «ن*** س** ا******»): scrubbed too.
    const erasedAt = all.find((a) => a.action === 'contact.erase')?.id ?? 0;
    const before = JSON.stringify(all.filter((a) => a.id < erasedAt));
    expect(before).toContain('conversation.search');
    expect(before).not.toContain(`******${web.nationalId.slice(-4)}`);
    expect(before).not.toContain('ن*** س** ا******');
    const erased = all.filter((a) => a.action === 'contact.erase').map((a) => a.targetId);
    expect(erased.sort()).toEqual([web.contactId, tg.contactId].sort());
    expect(all.filter((a) => a.action === 'contact.erase_request')).toHaveLength(2);
  });

  it('a replayed webhook of an erased message is a duplicate and restores nothing; writing again starts afresh', async () => {
    const tgMessages = gw.db.select().from(messages).where(eq(messages.contactId, tg.contactId)).all();
    const before = gw.db.select().from(messages).all().length;
    // tests/letters/support.ts numbers its external ids letters-1, letters-2, …: replay the one that carried the name.
    const named = tgMessages.filter((m) => m.direction === 'in')[2];
    expect(named?.externalId?.startsWith('erased:')).toBe(true);
    const replayIds = gw.db.$client.prepare(`select count(*) from messages where external_id like 'letters-%'`).pluck().get() as number;
    expect(replayIds).toBe(0);
    for (let n = 1; n <= 12; n++) {
      const replay = await gw.conversations.receive({ channel: 'telegram', externalId: `letters-${n}`, address: TG_ADDRESS, sender: { displayName: TG_NAME }, content: { type: 'text', text: TG_NAME }, receivedAt: new Date(), raw: null });
      expect(replay.duplicate, `letters-${n}`).toBe(true);
    }
    expect(gw.db.select().from(messages).all().length).toBe(before);
    expect(gw.db.select().from(contacts).where(eq(contacts.displayName, TG_NAME)).all()).toEqual([]);
    // A new message from the same sender is a new beneficiary: the old data does not come back with it.
    const fresh = await gw.conversations.receive({ channel: 'telegram', externalId: 'after-erasure-1', address: TG_ADDRESS, sender: {}, content: { type: 'text', text: 'مرحبا' }, receivedAt: new Date(), raw: null });
    expect(fresh.duplicate).toBe(false);
    const contactId = gw.db.select({ c: messages.contactId }).from(messages).where(eq(messages.externalId, 'after-erasure-1')).get()?.c;
    expect(contactId).not.toBe(tg.contactId);
    expect(gw.db.select().from(applications).where(inArray(applications.contactId, [contactId ?? ''])).all()).toEqual([]);
  });
});

describe('ERASURE_SECOND_APPROVAL=false', () => {
  it('erases at once', async () => {
    const solo = await startGateway({ ERASURE_SECOND_APPROVAL: 'false' });
    try {
      const admin = await officerSession(solo, 'admin');
      const person = await applyViaWebchat(solo, 'en');
      const res = await solo.app.inject({ method: 'POST', url: `/api/contacts/${person.contactId}/erase`, headers: admin, payload: { reason: 'beneficiary asked' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'done' });
      expect(solo.db.select().from(applications).where(eq(applications.contactId, person.contactId)).all()).toEqual([]);
      const texts = new Set(solo.db.select({ t: messages.text }).from(messages).where(eq(messages.contactId, person.contactId)).all().map((m) => m.t));
      expect(texts).toEqual(new Set(["[deleted at the beneficiary's request]"]));
    } finally {
      await solo.close();
    }
  }, 60_000);
});
