// The eligibility checklist over HTTP: its shape, each item's rules, the committee gate naming what is missing,
// «ناقص» naming documents to the beneficiary, a web chat upload while incomplete, and visit time rules.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationStatusHistory, applicationVisits, attachments } from '../../src/db/schema.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { applyViaWebchat, chatTexts, completeChecklist, lastMessageId, officerApp, type Applicant, type OfficerApp } from './helpers.ts';

let gw: TestGateway;
let oa: OfficerApp;
beforeAll(async () => {
  gw = await startGateway();
  oa = await officerApp(gw);
});
afterAll(async () => {
  await oa.app.close();
  await gw.close();
});

type Item = { id: string; kind: string; label: string; required: boolean; state: string; note?: string; by?: string; at?: string };
const status = (a: Applicant, body: Record<string, unknown>, who = oa.staff.officer) => oa.as(who, 'POST', `/api/applications/${a.applicationId}/status`, body);
const put = (a: Applicant, itemId: string, body: Record<string, unknown>, who = oa.staff.officer) => oa.as(who, 'PUT', `/api/applications/${a.applicationId}/checklist/${itemId}`, body);
const checklist = async (a: Applicant): Promise<Item[]> => ((await oa.as(oa.staff.officer, 'GET', `/api/applications/${a.applicationId}`)).json() as { checklist: Item[] }).checklist;
const item = async (a: Applicant, id: string) => (await checklist(a)).find((i) => i.id === id);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

describe('the checklist', () => {
  it('has one item per profile document, the interview and the field visit, labelled in the officer language', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const items = await checklist(a);
    expect(items.map((i) => [i.id, i.kind, i.state, i.required])).toEqual([
      ['national_id', 'document', 'pending', true],
      ['family_record', 'document', 'pending', true],
      ['housing_contract', 'document', 'pending', true],
      ['income_proof', 'document', 'pending', true],
      ['medical_reports', 'document', 'pending', true],
      ['interview', 'interview', 'pending', true],
      // The example profile: field_visit when_needed, so it does not hold the committee.
      ['field_visit', 'field_visit', 'pending', false],
    ]);
    expect(items[0]?.label).toBe('صورة الهوية الوطنية أو الإقامة لرب الأسرة');
    expect(items[5]?.label).toBe('المقابلة الشخصية');
    const en = await oa.app.inject({ method: 'GET', url: `/api/applications/${a.applicationId}`, headers: { 'x-test-officer': oa.staff.officer, 'accept-language': 'en-GB,en;q=0.8' } });
    expect((en.json() as { checklist: Item[] }).checklist[5]?.label).toBe('Personal interview');
  });

  it('sets documents received/verified/waived; waiving needs a reason; unknown items are 404; the history and audit record it', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    oa.clock.now = new Date('2026-11-22T07:00:00.000Z');
    expect((await put(a, 'national_id', { state: 'received' })).statusCode).toBe(200);
    const verified = await put(a, 'national_id', { state: 'verified', note: 'طابقت الأصل' });
    expect(verified.statusCode, verified.body).toBe(200);
    expect((verified.json() as { checklist: Item[] }).checklist[0]).toMatchObject({ id: 'national_id', state: 'verified', note: 'طابقت الأصل', by: 'هدى الشمري', at: '2026-11-22T07:00:00.000Z' });

    for (const note of [undefined, '', '   ']) {
      const res = await put(a, 'family_record', { state: 'waived', ...(note === undefined ? {} : { note }) });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('ERR_VALIDATION');
    }
    expect((await item(a, 'family_record'))?.state).toBe('pending');
    expect((await put(a, 'family_record', { state: 'waived', note: 'الأسرة فرد واحد' })).statusCode).toBe(200);
    // A document is never "done", an interview never "received".
    expect((await put(a, 'housing_contract', { state: 'done' })).statusCode).toBe(400);
    expect((await put(a, 'interview', { state: 'received' })).statusCode).toBe(400);
    expect((await put(a, 'no_such_item', { state: 'received' })).statusCode).toBe(404);
    expect((await put(a, 'national_id', { state: 'verified' }, oa.staff.committee)).statusCode).toBe(403);

    const last = gw.db.select().from(applicationStatusHistory).where(eq(applicationStatusHistory.applicationId, a.applicationId)).all().at(-1);
    expect(last).toMatchObject({ fromStatus: 'new', toStatus: 'new', changedBy: oa.staff.officer });
    expect(last?.note).toContain('«سجل الأسرة» — معفى');
    expect(last?.note).toContain('الأسرة فرد واحد');
    expect(oa.audit.events.at(-1)).toMatchObject({ action: 'application.checklist', targetId: a.applicationId, details: { itemId: 'family_record', item: { ar: 'سجل الأسرة', en: 'Family record (civil record)' }, state: 'waived' } });
  });

  it('marks the interview done only once a visit of that kind is recorded done, and not before its time', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    oa.clock.now = new Date('2026-11-22T06:00:00.000Z');
    const early = await put(a, 'interview', { state: 'done' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('ERR_PRECONDITION');
    // Wednesday 10:00 Riyadh: inside working hours.
    const visit = await oa.as(oa.staff.officer, 'POST', `/api/applications/${a.applicationId}/visits`, { kind: 'interview', scheduledAt: '2026-11-25T10:00:00+03:00', place: 'مقر الجمعية' });
    expect(visit.statusCode, visit.body).toBe(201);
    const visitUrl = `/api/applications/${a.applicationId}/visits/${visit.json().visit.id}`;
    const tooSoon = await oa.as(oa.staff.researcher, 'PATCH', visitUrl, { status: 'done' });
    expect(tooSoon.statusCode).toBe(409);
    expect(tooSoon.json().error.code).toBe('ERR_PRECONDITION');
    expect(tooSoon.json().error.message).toContain('قبل وقته');
    expect((await item(a, 'interview'))?.state).toBe('pending');

    oa.clock.now = new Date('2026-11-25T08:00:00.000Z');
    expect((await oa.as(oa.staff.researcher, 'PATCH', visitUrl, { status: 'done', notes: 'تمت المقابلة' })).statusCode).toBe(200);
    expect(await item(a, 'interview')).toMatchObject({ state: 'done', by: 'خالد الدوسري' });
    expect((await put(a, 'interview', { state: 'done' })).statusCode).toBe(200);
  });
});

describe('the committee gate', () => {
  it('refuses with ERR_PRECONDITION naming each missing required item, then lets a complete file through', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    expect((await status(a, { status: 'under_study' })).statusCode).toBe(200);
    expect((await put(a, 'national_id', { state: 'verified' })).statusCode).toBe(200);
    const refused = await status(a, { status: 'committee' });
    expect(refused.statusCode).toBe(409);
    const error = refused.json().error as { code: string; message: string; missing: string[] };
    expect(error.code).toBe('ERR_PRECONDITION');
    expect(error.missing).toEqual(['family_record', 'housing_contract', 'income_proof', 'medical_reports', 'interview']);
    for (const name of ['سجل الأسرة', 'عقد الإيجار أو صك الملكية', 'المقابلة الشخصية']) expect(error.message).toContain(`«${name}»`);
    expect(error.message).not.toContain('صورة الهوية الوطنية');
    expect(error.message).not.toContain('الزيارة الميدانية');
    // A received document is not yet verified: still missing.
    expect((await put(a, 'family_record', { state: 'received' })).statusCode).toBe(200);
    const english = await oa.app.inject({ method: 'POST', url: `/api/applications/${a.applicationId}/status`, headers: { 'x-test-officer': oa.staff.officer, 'x-csrf-token': 'test-csrf-token', 'accept-language': 'en' }, payload: { status: 'committee' } });
    expect(english.json().error.message).toContain('«Family record (civil record)»');
    expect(english.json().error.missing).toContain('family_record');

    expect(await completeChecklist(oa, a.applicationId)).toEqual(['family_record', 'housing_contract', 'income_proof', 'medical_reports', 'interview']);
    const ok = await status(a, { status: 'committee' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('committee');
  });
});

describe('incomplete («ناقص»)', () => {
  it('names the checklist documents to the beneficiary in their language; a web chat upload is accepted, thanked and ticks the item', async () => {
    const a = await applyViaWebchat(gw, 'en');
    expect((await put(a, 'national_id', { state: 'verified' })).statusCode).toBe(200);
    const before = await lastMessageId(gw, a.token);
    const res = await status(a, { status: 'incomplete', missingItems: ['income_proof', 'housing_contract'] }, oa.staff.researcher);
    expect(res.statusCode, res.body).toBe(200);
    const notice = (await chatTexts(gw, a.token, before)).map((m) => m.text).join('\n');
    // In the profile's order, whatever order they were ticked in.
    expect(notice).toContain('• Rental contract or property deed\n• Proof of income (salary certificate or social security notice)');
    expect(notice).not.toContain('Family record');
    // Only documents can be asked for.
    expect((await status(a, { status: 'incomplete', missingItems: ['interview'] })).statusCode).toBe(400);

    const afterNotice = await lastMessageId(gw, a.token);
    const upload = await gw.app.inject({
      method: 'POST',
      url: '/api/webchat/uploads',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/octet-stream', 'x-filename': 'salary.png' },
      payload: PNG,
    });
    expect(upload.statusCode, upload.body).toBe(202);
    const reply = (await chatTexts(gw, a.token, afterNotice)).map((m) => m.text).join('\n');
    expect(reply).toContain('Thank you, we received the «Rental contract or property deed»');
    expect(reply).toContain(a.reference);
    expect(reply).not.toMatch(/does not need a file|لا تحتاج إلى ملف/);
    const file = gw.db.select().from(attachments).where(eq(attachments.id, upload.json().attachment.id)).get();
    expect(file).toMatchObject({ applicationId: a.applicationId, checklistItemId: 'housing_contract' });
    expect(await item(a, 'housing_contract')).toMatchObject({ state: 'received', by: 'beneficiary' });

    // The next file is taken for the next document asked for.
    await gw.app.inject({ method: 'POST', url: '/api/webchat/uploads', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/octet-stream', 'x-filename': 'lease.png' }, payload: PNG });
    expect((await item(a, 'income_proof'))?.state).toBe('received');
  });

  it('an officer tags and untags a document with its checklist item', async () => {
    const a = await applyViaWebchat(gw, 'ar', { idCopy: { bytes: PNG, name: 'id.png' } });
    const doc = gw.db.select().from(attachments).where(and(eq(attachments.applicationId, a.applicationId))).get();
    // The intake asked for the ID copy by name: its upload is tagged and received.
    expect(doc?.checklistItemId).toBe('national_id');
    expect((await item(a, 'national_id'))?.state).toBe('received');
    const url = `/api/applications/${a.applicationId}/documents/${doc?.id}/checklist-item`;
    const tagged = await oa.as(oa.staff.officer, 'PUT', url, { checklistItemId: 'family_record' });
    expect(tagged.statusCode, tagged.body).toBe(200);
    expect((await item(a, 'family_record'))?.state).toBe('received');
    // The audit log names the item in both languages, so it reads as a sentence.
    expect(oa.audit.events.findLast((e) => e.action === 'application.document_tag')).toMatchObject({ action: 'application.document_tag', details: { checklistItemId: 'family_record', item: { ar: 'سجل الأسرة' }, state: 'received' } });
    expect((await oa.as(oa.staff.officer, 'PUT', url, { checklistItemId: 'interview' })).statusCode).toBe(400);
    expect((await oa.as(oa.staff.officer, 'PUT', url, { checklistItemId: null })).statusCode).toBe(200);
    expect(gw.db.select().from(attachments).where(eq(attachments.id, doc?.id ?? '')).get()?.checklistItemId).toBeNull();
  });
});

describe('visit times', () => {
  it('outside working hours or on the weekend needs confirm with a reason, which is stored', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    oa.clock.now = new Date('2026-11-22T06:00:00.000Z');
    const url = `/api/applications/${a.applicationId}/visits`;
    // Friday 2026-11-27 at 23:00 Riyadh.
    const friday = await oa.as(oa.staff.officer, 'POST', url, { kind: 'field_visit', scheduledAt: '2026-11-27T23:00:00+03:00', place: 'منزل المستفيد' });
    expect(friday.statusCode).toBe(409);
    expect(friday.json().error.code).toBe('ERR_CONFIRMATION_REQUIRED');
    expect(friday.json().error.message).toContain('عطلة نهاية الأسبوع');
    // Tuesday 17:00: a working day, after closing.
    const evening = await oa.as(oa.staff.officer, 'POST', url, { kind: 'interview', scheduledAt: '2026-11-24T17:00:00+03:00', place: 'مقر الجمعية' });
    expect(evening.statusCode).toBe(409);
    expect(evening.json().error.message).toContain('خارج ساعات عمل الجمعية');
    expect((await oa.as(oa.staff.officer, 'POST', url, { kind: 'interview', scheduledAt: '2026-11-24T17:00:00+03:00', place: 'مقر الجمعية', confirm: true })).statusCode).toBe(409);
    expect(gw.db.select().from(applicationVisits).where(eq(applicationVisits.applicationId, a.applicationId)).all()).toEqual([]);

    const confirmed = await oa.as(oa.staff.officer, 'POST', url, { kind: 'field_visit', scheduledAt: '2026-11-27T23:00:00+03:00', place: 'منزل المستفيد', confirm: true, confirmReason: 'رب الأسرة يعمل طوال الأسبوع' });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    expect(confirmed.json().visit.confirmReason).toBe('رب الأسرة يعمل طوال الأسبوع');
    expect(gw.db.select().from(applicationVisits).where(eq(applicationVisits.applicationId, a.applicationId)).get()?.confirmReason).toBe('رب الأسرة يعمل طوال الأسبوع');
  });
});
