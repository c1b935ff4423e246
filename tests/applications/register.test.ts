// Staff register an application for a caller, a walk-in, a letter or a branch's case: POST /api/applications with the
// intake's validators, the declaration as taken, 409 for an open one, and representatives kept to their branch.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, attachments, contactIdentities, contacts, officers } from '../../src/db/schema.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { nationalId, officerApp, type OfficerApp } from './helpers.ts';

let gw: TestGateway;
let oa: OfficerApp;
let repNorth: string;
let repKharj: string;
let repNoBranch: string;

const addOfficer = (role: 'representative', branchId: string | null) => {
  const id = randomUUID();
  gw.db.insert(officers).values({ id, email: `${id}@charity.test`, displayName: `مندوب ${branchId ?? ''}`, role, branchId, passwordHash: 'x' }).run();
  return id;
};

beforeAll(async () => {
  gw = await startGateway();
  oa = await officerApp(gw);
  repNorth = addOfficer('representative', 'rawdah');
  repKharj = addOfficer('representative', 'kharj');
  repNoBranch = addOfficer('representative', null);
});
afterAll(async () => {
  await oa.app.close();
  await gw.close();
});

let mobileSeq = 0;
function caller(extra: Record<string, unknown> = {}) {
  mobileSeq += 1;
  return {
    source: 'phone',
    locale: 'ar',
    fullName: 'فاطمة علي الزهراني',
    nationalId: nationalId(),
    mobile: `05512${String(40000 + mobileSeq).padStart(5, '0')}`,
    city: 'الرياض',
    familySize: 5,
    monthlyIncome: 3000,
    housingType: 'rented',
    needType: 'food',
    declaration: { method: 'verbal_recorded' },
    ...extra,
  };
}

type Created = { application: { id: string; reference: string; status: string; source: string; contactId: string; branchId: string | null; notified: boolean } };

describe('POST /api/applications', () => {
  it('registers a caller: 201 with the reference, the declaration stored as taken, the contact found by mobile', async () => {
    const body = caller({ notes: 'اتصلت من جوال ابنها' });
    const res = await oa.as(oa.staff.officer, 'POST', '/api/applications', body);
    expect(res.statusCode, res.body).toBe(201);
    const { application } = res.json() as Created;
    expect(application).toMatchObject({ status: 'new', source: 'phone', branchId: null });
    expect(application.reference).toMatch(/^TW-\d{4}-/);
    const row = gw.db.select().from(applications).where(eq(applications.id, application.id)).get();
    expect(row).toMatchObject({ source: 'phone', declarationMethod: 'verbal_recorded', declarationTakenBy: oa.staff.officer, declarationVersion: '2026-1', mobile: `+966${body.mobile.slice(1)}` });
    // The words the applicant was read, in their language, from the locales.
    expect(row?.declarationText).toContain('أُقرّ بأن جميع البيانات التي قدّمتها صحيحة');
    expect(row?.answers).toMatchObject({ city: 'الرياض', family_size: 5, monthly_income: 3000, housing_type: 'rented', need_type: 'food', notes: 'اتصلت من جوال ابنها' });
    const contact = gw.db.select().from(contacts).where(eq(contacts.id, application.contactId)).get();
    expect(contact).toMatchObject({ phone: row?.mobile, phoneVerified: false, phoneRegisteredBy: oa.staff.officer, nationalId: body.nationalId, locale: 'ar' });
    expect(oa.audit.events.some((e) => e.action === 'application.register' && e.targetId === application.id)).toBe(true);

    // The same mobile again (another family member's case): the same beneficiary, no second contact.
    const again = await oa.as(oa.staff.officer, 'POST', '/api/applications', caller({ mobile: body.mobile, source: 'walk_in', declaration: { method: 'in_person' } }));
    expect(again.statusCode, again.body).toBe(201);
    expect((again.json() as Created).application.contactId).toBe(application.contactId);
    expect(gw.db.select().from(contactIdentities).where(eq(contactIdentities.contactId, application.contactId)).all()).toHaveLength(1);
  });

  it('an SMS later sent from that mobile is the same beneficiary, and proves the number', async () => {
    const { application } = (await oa.as(oa.staff.officer, 'POST', '/api/applications', caller())).json() as Created;
    const mobile = gw.db.select().from(applications).where(eq(applications.id, application.id)).get()?.mobile ?? '';
    const sent = await gw.conversations.receive({ channel: 'sms', externalId: `SM${randomUUID()}`, address: mobile, sender: { phone: mobile }, content: { type: 'text', text: 'السلام عليكم' }, receivedAt: new Date(), raw: null });
    const conv = gw.db.$client.prepare('select contact_id from conversations where id = ?').pluck().get(sent.conversationId);
    expect(conv).toBe(application.contactId);
    expect(gw.db.select().from(contacts).where(eq(contacts.id, application.contactId)).get()).toMatchObject({ phoneVerified: true });
  });

  it('reads Arabic-Indic digits and any mobile form as the intake does', async () => {
    const res = await oa.as(oa.staff.officer, 'POST', '/api/applications', caller({ nationalId: '١٠٥٨٥٢٩٩٤٠', mobile: '+966 55 ٩٩٩ ٠٠٠١', familySize: '٦', monthlyIncome: '٣٬٥٠٠' }));
    expect(res.statusCode, res.body).toBe(201);
    const row = gw.db.select().from(applications).where(eq(applications.id, (res.json() as Created).application.id)).get();
    expect(row).toMatchObject({ nationalId: '1058529940', mobile: '+966559990001' });
    expect(row?.answers).toMatchObject({ family_size: 6, monthly_income: 3500 });
  });

  it('answers 400 naming each bad field, and stores nothing', async () => {
    const before = gw.db.select().from(applications).all().length;
    const res = await oa.as(oa.staff.officer, 'POST', '/api/applications', caller({ nationalId: '1000000000', mobile: '0112345678', familySize: 0, housingType: 'palace', fullName: 'A1' }));
    expect(res.statusCode).toBe(400);
    const { error } = res.json() as { error: { code: string; message: string } };
    expect(error.code).toBe('ERR_VALIDATION');
    for (const field of ['nationalId:', 'mobile:', 'familySize:', 'housingType:', 'fullName:']) expect(error.message).toContain(field);
    expect(error.message).not.toContain('city:');
    expect(error.message).toMatch(/mistyped/);
    expect(gw.db.select().from(applications).all()).toHaveLength(before);
  });

  it('refuses an unknown source, locale or declaration method, and a missing declaration', async () => {
    for (const bad of [{ source: 'fax' }, { locale: 'fr' }, { declaration: { method: 'telepathy' } }, { declaration: undefined }, { source: 'channel' }]) {
      const res = await oa.as(oa.staff.officer, 'POST', '/api/applications', caller(bad));
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect((res.json() as { error: { code: string } }).error.code).toBe('ERR_VALIDATION');
    }
  });

  it('answers 409 when that national ID has an open application; officers see its reference', async () => {
    const first = (await oa.as(oa.staff.officer, 'POST', '/api/applications', caller())).json() as Created;
    const row = gw.db.select().from(applications).where(eq(applications.id, first.application.id)).get();
    const res = await oa.as(oa.staff.admin, 'POST', '/api/applications', caller({ nationalId: row?.nationalId }));
    expect(res.statusCode).toBe(409);
    expect((res.json() as { error: { code: string; message: string } }).error).toMatchObject({ code: 'ERR_CONFLICT' });
    expect((res.json() as { error: { message: string } }).error.message).toContain(first.application.reference);
    // A representative of a branch the open case is not in learns only that one exists.
    const rep = await oa.as(repKharj, 'POST', '/api/applications', caller({ nationalId: row?.nationalId, source: 'representative' }));
    expect(rep.statusCode).toBe(409);
    expect((rep.json() as { error: { message: string } }).error.message).not.toContain(first.application.reference);
  });

  it('admits officers, representatives and admins only; needs a session and the CSRF token', async () => {
    for (const who of [oa.staff.researcher, oa.staff.committee]) expect((await oa.as(who, 'POST', '/api/applications', caller())).statusCode).toBe(403);
    expect((await oa.as(undefined, 'POST', '/api/applications', caller())).statusCode).toBe(401);
    const noCsrf = await oa.app.inject({ method: 'POST', url: '/api/applications', headers: { 'x-test-officer': oa.staff.officer }, payload: caller() });
    expect(noCsrf.statusCode).toBe(403);
    expect((await oa.as(oa.staff.admin, 'POST', '/api/applications', caller({ source: 'letter', declaration: { method: 'signed_form' } }))).statusCode).toBe(201);
  });

  it('checks fields as they are typed: only those sent, each reason in Arabic and English', async () => {
    const res = await oa.as(oa.staff.officer, 'POST', '/api/applications/check', { nationalId: '1000000009', mobile: '٠٥٥١٢٣٤٥٦٧' });
    expect(res.statusCode).toBe(200);
    const out = res.json() as { values: Record<string, unknown>; problems: Record<string, { reason: string; message: { ar: string; en: string } }> };
    expect(out.values).toEqual({ mobile: '+966551234567' });
    expect(Object.keys(out.problems)).toEqual(['nationalId']);
    expect(out.problems.nationalId?.reason).toBe('validation.national_id_checksum');
    expect(out.problems.nationalId?.message.ar).toMatch(/[\u0600-\u06ff]/);
    expect((await oa.as(oa.staff.committee, 'POST', '/api/applications/check', { mobile: '0551234567' })).statusCode).toBe(403);
  });

  it('attaches the scan of a signed form; a file that is not PDF or an image is refused', async () => {
    const { application } = (await oa.as(oa.staff.officer, 'POST', '/api/applications', caller({ source: 'walk_in', declaration: { method: 'signed_form' } }))).json() as Created;
    const pdf = Buffer.from('%PDF-1.4\n% signed declaration\n%%EOF\n');
    const upload = (payload: Buffer, who = oa.staff.officer) =>
      oa.app.inject({ method: 'POST', url: `/api/applications/${application.id}/declaration-scan`, headers: { 'x-test-officer': who, 'x-csrf-token': 'test-csrf-token', 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('إقرار.pdf') }, payload });
    const res = await upload(pdf);
    expect(res.statusCode, res.body).toBe(201);
    const doc = (res.json() as { document: { id: string; mime: string } }).document;
    expect(doc.mime).toBe('application/pdf');
    expect(gw.db.select().from(attachments).where(eq(attachments.id, doc.id)).get()?.applicationId).toBe(application.id);
    const detail = (await oa.as(oa.staff.officer, 'GET', `/api/applications/${application.id}`)).json() as { declaration: { scanId: string; method: string; takenBy: { id: string } }; documents: { id: string }[] };
    expect(detail.declaration).toMatchObject({ scanId: doc.id, method: 'signed_form', takenBy: { id: oa.staff.officer } });
    expect(detail.documents.map((d) => d.id)).toContain(doc.id);
    expect((await upload(Buffer.from('MZ this is an executable'))).statusCode).toBe(415);
    expect((await upload(pdf, repKharj)).statusCode).toBe(404);
  });
});

describe('branches and representatives', () => {
  it('GET /api/branches lists the example charity branches', async () => {
    const res = await oa.as(repNorth, 'GET', '/api/branches');
    expect(res.statusCode).toBe(200);
    const { branches } = res.json() as { branches: { id: string; name: { ar: string; en: string }; city: { ar: string } }[] };
    expect(branches.length).toBeGreaterThanOrEqual(2);
    expect(branches.map((b) => b.id)).toEqual(['rawdah', 'kharj']);
    expect(branches[1]?.city.ar).toBe('الخرج');
  });

  it("a representative's case belongs to their branch; they see only their branch's cases", async () => {
    const mine = (await oa.as(repKharj, 'POST', '/api/applications', caller({ source: 'representative', declaration: { method: 'signed_form' } }))).json() as Created;
    expect(mine.application).toMatchObject({ source: 'representative', branchId: 'kharj' });
    const other = (await oa.as(oa.staff.officer, 'POST', '/api/applications', caller({ branchId: 'rawdah', fullName: 'سلمى ناصر العنزي' }))).json() as Created;
    expect(other.application.branchId).toBe('rawdah');

    const list = (who: string, query = '') => oa.as(who, 'GET', `/api/applications${query}`).then((r) => (r.json() as { items: { id: string; branchId: string | null }[] }).items);
    const kharjList = await list(repKharj);
    expect(kharjList.map((i) => i.id)).toContain(mine.application.id);
    expect(kharjList.every((i) => i.branchId === 'kharj')).toBe(true);
    expect(await list(repKharj, '?branch=rawdah')).toEqual([]);
    // Searching by the other case's name finds nothing for them, and its page is not found.
    expect(await list(repKharj, `?q=${encodeURIComponent('سلمى')}`)).toEqual([]);
    expect((await oa.as(repKharj, 'GET', `/api/applications/${other.application.id}`)).statusCode).toBe(404);
    expect((await oa.as(repKharj, 'GET', `/api/applications/${mine.application.id}`)).statusCode).toBe(200);
    // Officers see every branch and can filter by one.
    const all = await list(oa.staff.officer, '?limit=200');
    expect(all.map((i) => i.id)).toEqual(expect.arrayContaining([mine.application.id, other.application.id]));
    const rawdah = await list(oa.staff.officer, '?branch=rawdah&limit=200');
    expect(rawdah.map((i) => i.id)).toContain(other.application.id);
    expect(rawdah.every((i) => i.branchId === 'rawdah')).toBe(true);
    const phone = await list(oa.staff.officer, '?source=representative&limit=200');
    expect(phone.map((i) => i.id)).toEqual([mine.application.id]);
  });

  it('refuses a representative another branch, another source, or no branch at all', async () => {
    expect((await oa.as(repKharj, 'POST', '/api/applications', caller({ source: 'representative', branchId: 'rawdah' }))).statusCode).toBe(403);
    expect((await oa.as(repKharj, 'POST', '/api/applications', caller({ source: 'phone' }))).statusCode).toBe(400);
    expect((await oa.as(repNoBranch, 'POST', '/api/applications', caller({ source: 'representative' }))).statusCode).toBe(403);
    expect((await oa.as(repNoBranch, 'GET', '/api/applications')).statusCode).toBe(403);
    expect((await oa.as(oa.staff.officer, 'POST', '/api/applications', caller({ branchId: 'mars' }))).statusCode).toBe(400);
    // Representatives do not move cases or see the reports.
    expect((await oa.as(repKharj, 'GET', '/api/reports')).statusCode).toBe(403);
  });

  it("a representative is not shown another branch's earlier case under the same national ID", async () => {
    const earlier = (await oa.as(oa.staff.officer, 'POST', '/api/applications', caller({ branchId: 'rawdah' }))).json() as Created;
    const row = gw.db.select().from(applications).where(eq(applications.id, earlier.application.id)).get();
    expect((await oa.as(oa.staff.admin, 'POST', `/api/applications/${earlier.application.id}/status`, { status: 'closed' })).statusCode).toBe(200);
    const mine = (await oa.as(repKharj, 'POST', '/api/applications', caller({ nationalId: row?.nationalId, source: 'representative' }))).json() as Created;
    const seen = (who: string) => oa.as(who, 'GET', `/api/applications/${mine.application.id}`).then((r) => (r.json() as { sameNationalId: { reference: string }[] }).sameNationalId.map((a) => a.reference));
    expect(await seen(oa.staff.officer)).toEqual([earlier.application.reference]);
    expect(await seen(repKharj)).toEqual([]);
  });

  it('reports break the workload down by branch and by source', async () => {
    const res = await oa.as(oa.staff.admin, 'GET', '/api/reports');
    expect(res.statusCode).toBe(200);
    const { applications: apps } = res.json() as { applications: { total: number; bySource: Record<string, number>; byBranch: { branchId: string | null; count: number }[] } };
    expect(apps.bySource.representative).toBe(2);
    expect(apps.bySource.phone).toBeGreaterThanOrEqual(3);
    expect(apps.byBranch.find((b) => b.branchId === 'kharj')?.count).toBe(2);
    expect(apps.byBranch.reduce((n, b) => n + b.count, 0)).toBe(apps.total);
  });
});
