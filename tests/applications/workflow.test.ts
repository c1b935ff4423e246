// An application through the committee: status changes by the table, history, audit, and what the beneficiary
// reads in their own web chat, in their own language.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationDecisions, applicationStatusHistory, applications } from '../../src/db/schema.ts';
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

const status = (a: Applicant, body: Record<string, unknown>, who = oa.staff.officer) => oa.as(who, 'POST', `/api/applications/${a.applicationId}/status`, body);
const row = (a: Applicant) => gw.db.select().from(applications).where(eq(applications.id, a.applicationId)).get();
const history = (a: Applicant) => gw.db.select().from(applicationStatusHistory).where(eq(applicationStatusHistory.applicationId, a.applicationId)).all();
/** What the beneficiary received after `after`, joined. */
const received = async (a: Applicant, after: number) => (await chatTexts(gw, a.token, after)).map((m) => m.text).join('\n---\n');

describe('status changes', () => {
  it('moves new → under_study with a history row, the audit and an Arabic message in the web chat', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const before = await lastMessageId(gw, a.token);
    oa.clock.now = new Date('2026-11-22T06:30:00.000Z');
    const res = await status(a, { status: 'under_study' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ reference: a.reference, status: 'under_study', updatedAt: '2026-11-22T06:30:00.000Z', notified: true });

    expect(row(a)).toMatchObject({ status: 'under_study', updatedAt: '2026-11-22T06:30:00.000Z' });
    const rows = history(a);
    expect(rows.map((h) => [h.fromStatus, h.toStatus, h.changedBy])).toEqual([
      [null, 'new', 'beneficiary'],
      ['new', 'under_study', oa.staff.officer],
    ]);
    expect(rows[1]?.createdAt).toBe('2026-11-22T06:30:00.000Z');
    expect(oa.audit.events.at(-1)).toMatchObject({ officerId: oa.staff.officer, action: 'application.status_change', targetType: 'application', targetId: a.applicationId, details: { from: 'new', to: 'under_study' } });

    const text = await received(a, before);
    expect(text).toContain(a.reference);
    expect(text).toContain('الحالة الآن: قيد الدراسة');
  });

  it('tells an English-speaking applicant in English, with the message to them and never the internal note', async () => {
    const a = await applyViaWebchat(gw, 'en');
    const before = await lastMessageId(gw, a.token);
    expect((await status(a, { status: 'under_study', note: 'Income looks doubtful.', messageToBeneficiary: 'A researcher will call you this week.' })).statusCode).toBe(200);
    const text = await received(a, before);
    expect(text).toContain(`An update on your request ${a.reference}`);
    expect(text).toContain('Status now: Being studied');
    expect(text).toContain('A researcher will call you this week.');
    expect(text).not.toContain('Income looks doubtful.');
    expect(text).not.toMatch(/[\u0600-\u06ff]/);
    expect(history(a).at(-1)?.note).toBe('Income looks doubtful.');
  });

  it('refuses illegal moves with 409 naming the allowed next statuses, and changes nothing', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const before = await lastMessageId(gw, a.token);
    const res = await status(a, { status: 'committee' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('ERR_CONFLICT');
    expect(res.json().error.message).toContain('Allowed next statuses: incomplete, under_study, closed');
    expect(row(a)?.status).toBe('new');
    expect(history(a)).toHaveLength(1);
    expect(await chatTexts(gw, a.token, before)).toEqual([]);

    expect((await status(a, { status: 'under_study' })).statusCode).toBe(200);
    await completeChecklist(oa, a.applicationId);
    expect((await status(a, { status: 'committee' })).statusCode).toBe(200);
    const decide = await status(a, { status: 'approved' }, oa.staff.admin);
    expect(decide.statusCode).toBe(409);
    expect(decide.json().error.message).toMatch(/Allowed next statuses: closed\. Decisions are recorded through the decision route/);
    expect((await status(a, { status: 'bogus' })).statusCode).toBe(400);
  });

  it('lets only an admin withdraw (close) a case, and nothing follows a final status', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const officer = await status(a, { status: 'closed' });
    expect(officer.statusCode).toBe(403);
    expect(officer.json().error.code).toBe('ERR_FORBIDDEN');
    expect((await status(a, { status: 'closed', note: 'Withdrawn at the applicant’s request' }, oa.staff.admin)).statusCode).toBe(200);
    const after = await status(a, { status: 'under_study' }, oa.staff.admin);
    expect(after.statusCode).toBe(409);
    expect(after.json().error.message).toContain('Allowed next statuses: none');
  });

  it('asks for missing documents and tells the beneficiary exactly what to bring', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const before = await lastMessageId(gw, a.token);
    const res = await status(a, { status: 'incomplete', documents: ['صورة الهوية الوطنية', 'تعريف بالراتب'] }, oa.staff.researcher);
    expect(res.statusCode).toBe(200);
    const text = await received(a, before);
    expect(text).toContain('نحتاج إلى المستندات التالية');
    expect(text).toContain('• صورة الهوية الوطنية\n• تعريف بالراتب');
    expect(history(a).at(-1)).toMatchObject({ toStatus: 'incomplete', changedBy: oa.staff.researcher, note: 'documents: صورة الهوية الوطنية; تعريف بالراتب' });
    // A documents list belongs only to a request for documents.
    expect((await status(a, { status: 'under_study', documents: ['x'] })).statusCode).toBe(400);
  });
});

describe('visits', () => {
  it('schedules an interview: 201, the status stays, the beneficiary learns when and where (Hijri + Gregorian)', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    oa.clock.now = new Date('2026-11-22T06:00:00.000Z');
    await status(a, { status: 'under_study' });
    const before = await lastMessageId(gw, a.token);
    const res = await oa.as(oa.staff.officer, 'POST', `/api/applications/${a.applicationId}/visits`, {
      kind: 'interview',
      scheduledAt: '2026-11-25T10:00:00+03:00',
      place: 'مقر الجمعية - حي الملز',
      researcherId: oa.staff.researcher,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.visit).toMatchObject({ kind: 'interview', scheduledAt: '2026-11-25T07:00:00.000Z', status: 'scheduled', researcherId: oa.staff.researcher });
    // The interview is a checklist item now, not a status.
    expect(body.application).toMatchObject({ status: 'under_study', notified: true });
    expect(history(a).at(-1)).toMatchObject({ fromStatus: 'new', toStatus: 'under_study' });
    const text = await received(a, before);
    expect(text).toContain('حددنا موعد المقابلة الشخصية');
    expect(text).toContain('هـ الموافق');
    expect(text).toContain('١٠:٠٠ ص');
    expect(text).toContain('مقر الجمعية - حي الملز');

    // Notes after the interview (once its time has come); then a field visit.
    const visitId = body.visit.id as string;
    oa.clock.now = new Date('2026-11-25T08:00:00.000Z');
    const done = await oa.as(oa.staff.researcher, 'PATCH', `/api/applications/${a.applicationId}/visits/${visitId}`, { status: 'done', notes: 'الأسرة ٤ أفراد، الدخل مؤكد.' });
    expect(done.statusCode).toBe(200);
    expect(done.json().visit).toMatchObject({ status: 'done', notes: 'الأسرة ٤ أفراد، الدخل مؤكد.' });
    expect((await oa.as(oa.staff.researcher, 'PATCH', `/api/applications/${a.applicationId}/visits/${visitId}`, { status: 'cancelled' })).statusCode).toBe(409);
    expect((await oa.as(oa.staff.researcher, 'PATCH', `/api/applications/${a.applicationId}/visits/${visitId}`, {})).statusCode).toBe(400);

    const field = await oa.as(oa.staff.researcher, 'POST', `/api/applications/${a.applicationId}/visits`, { kind: 'field_visit', scheduledAt: '2026-11-26T09:00:00Z', place: 'منزل المستفيد' });
    expect(field.statusCode).toBe(201);
    // Without a researcherId a researcher scheduling it is the researcher.
    expect(field.json().visit.researcherId).toBe(oa.staff.researcher);
    expect(row(a)?.status).toBe('under_study');

    const beforeCancel = await lastMessageId(gw, a.token);
    const cancel = await oa.as(oa.staff.researcher, 'PATCH', `/api/applications/${a.applicationId}/visits/${field.json().visit.id}`, { status: 'cancelled' });
    expect(cancel.json()).toMatchObject({ visit: { status: 'cancelled' }, notified: true });
    expect(await received(a, beforeCancel)).toContain('أُلغي موعد الزيارة الميدانية');

    const detail = (await oa.as(oa.staff.committee, 'GET', `/api/applications/${a.applicationId}`)).json();
    expect(detail.visits.map((v: { kind: string; status: string; notes: string | null; researcher: { name: string } }) => [v.kind, v.status, v.notes, v.researcher.name])).toEqual([
      ['interview', 'done', 'الأسرة ٤ أفراد، الدخل مؤكد.', 'خالد الدوسري'],
      ['field_visit', 'cancelled', null, 'خالد الدوسري'],
    ]);
  });

  it('schedules without moving the status when the table does not allow it, and validates the input', async () => {
    const a = await applyViaWebchat(gw, 'en');
    oa.clock.now = new Date('2026-11-22T06:00:00.000Z');
    const before = await lastMessageId(gw, a.token);
    const res = await oa.as(oa.staff.officer, 'POST', `/api/applications/${a.applicationId}/visits`, { kind: 'field_visit', scheduledAt: '2026-11-24T08:30:00Z', place: 'Home, Dammam' });
    expect(res.statusCode).toBe(201);
    expect(res.json().application.status).toBe('new');
    const text = await received(a, before);
    expect(text).toContain('We have scheduled the field visit');
    expect(text).toContain('AH');
    expect(text).toContain('11:30 AM');

    const url = `/api/applications/${a.applicationId}/visits`;
    expect((await oa.as(oa.staff.officer, 'POST', url, { kind: 'interview', scheduledAt: '2026-11-21T08:30:00Z', place: 'Office' })).statusCode).toBe(400);
    expect((await oa.as(oa.staff.officer, 'POST', url, { kind: 'interview', scheduledAt: 'tomorrow', place: 'Office' })).statusCode).toBe(400);
    expect((await oa.as(oa.staff.officer, 'POST', url, { kind: 'visit', scheduledAt: '2026-11-24T08:30:00Z', place: 'Office' })).statusCode).toBe(400);
    expect((await oa.as(oa.staff.officer, 'POST', url, { kind: 'interview', scheduledAt: '2026-11-24T08:30:00Z', place: 'Office', researcherId: oa.staff.inactiveResearcher })).statusCode).toBe(400);
    expect((await oa.as(oa.staff.committee, 'POST', url, { kind: 'interview', scheduledAt: '2026-11-24T08:30:00Z', place: 'Office' })).statusCode).toBe(403);
  });
});

describe('referral and the documents check', () => {
  it('refers to an active researcher only', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const before = await lastMessageId(gw, a.token);
    const url = `/api/applications/${a.applicationId}/refer`;
    const res = await oa.as(oa.staff.officer, 'POST', url, { researcherId: oa.staff.researcher2 });
    expect(res.statusCode).toBe(200);
    expect(res.json().researcher).toEqual({ id: oa.staff.researcher2, name: 'Mona Researcher' });
    // The beneficiary is told, in Arabic, that a researcher will contact them (staff names stay internal).
    expect(res.json().notified).toBe(true);
    const told = await received(a, before);
    expect(told).toContain(a.reference);
    expect(told).toContain('باحث اجتماعي');
    expect(told).not.toContain('Mona');
    expect(row(a)?.researcherId).toBe(oa.staff.researcher2);
    expect(oa.audit.events.at(-1)).toMatchObject({ action: 'application.refer', targetId: a.applicationId });
    for (const id of [oa.staff.inactiveResearcher, oa.staff.officer, 'nobody']) expect((await oa.as(oa.staff.officer, 'POST', url, { researcherId: id })).statusCode).toBe(400);
    expect(row(a)?.researcherId).toBe(oa.staff.researcher2);
  });

  it('records who checked the documents and when', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    oa.clock.now = new Date('2026-11-23T08:00:00.000Z');
    const url = `/api/applications/${a.applicationId}/documents-checked`;
    expect((await oa.as(oa.staff.committee, 'POST', url, { checked: true })).statusCode).toBe(403);
    expect((await oa.as(oa.staff.officer, 'POST', url, { checked: 'yes' })).statusCode).toBe(400);
    const res = await oa.as(oa.staff.officer, 'POST', url, { checked: true });
    expect(res.statusCode).toBe(200);
    expect(row(a)).toMatchObject({ documentsCheckedAt: '2026-11-23T08:00:00.000Z', documentsCheckedBy: oa.staff.officer });
    expect(oa.audit.events.at(-1)).toMatchObject({ officerId: oa.staff.officer, action: 'application.documents_check', targetId: a.applicationId, details: { checked: true } });
    const detail = (await oa.as(oa.staff.officer, 'GET', `/api/applications/${a.applicationId}`)).json();
    expect(detail.documentsCheck).toEqual({ checkedAt: '2026-11-23T08:00:00.000Z', checkedBy: { id: oa.staff.officer, name: 'هدى الشمري' } });
  });
});

describe('the committee decision', () => {
  async function toCommittee(a: Applicant) {
    expect((await status(a, { status: 'under_study' })).statusCode).toBe(200);
    await completeChecklist(oa, a.applicationId);
    expect((await status(a, { status: 'committee' })).statusCode).toBe(200);
  }

  it('is allowed only from the committee stage and only for committee or admin', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const url = `/api/applications/${a.applicationId}/decision`;
    const early = await oa.as(oa.staff.committee, 'POST', url, { decision: 'approved', reasons: 'مستوفٍ للشروط' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('ERR_CONFLICT');
    await toCommittee(a);
    for (const who of [oa.staff.officer, oa.staff.researcher]) expect((await oa.as(who, 'POST', url, { decision: 'approved', reasons: 'مستوفٍ للشروط' })).statusCode).toBe(403);
    expect((await oa.as(oa.staff.committee, 'POST', url, { decision: 'approved', reasons: 'ok' })).statusCode).toBe(400);
    expect((await oa.as(oa.staff.committee, 'POST', url, { decision: 'maybe', reasons: 'مستوفٍ للشروط' })).statusCode).toBe(400);
    expect(gw.db.select().from(applicationDecisions).where(eq(applicationDecisions.applicationId, a.applicationId)).all()).toEqual([]);

    const before = await lastMessageId(gw, a.token);
    oa.clock.now = new Date('2026-12-01T09:00:00.000Z');
    const res = await oa.as(oa.staff.committee, 'POST', url, { decision: 'approved', reasons: 'مستوفٍ للشروط ودخل الأسرة أقل من الحد' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', notified: true, decision: { decision: 'approved', decidedBy: oa.staff.committee } });
    expect(gw.db.select().from(applicationDecisions).where(and(eq(applicationDecisions.applicationId, a.applicationId), eq(applicationDecisions.decision, 'approved'))).all()).toHaveLength(1);
    expect(history(a).at(-1)).toMatchObject({ fromStatus: 'committee', toStatus: 'approved', changedBy: oa.staff.committee, createdAt: '2026-12-01T09:00:00.000Z' });
    expect(oa.audit.events.slice(-2).map((e) => e.action)).toEqual(['application.status_change', 'application.decision']);
    expect(await received(a, before)).toContain('وافقت على طلبك');
    // Deciding twice is a conflict; delivering the service follows approval.
    expect((await oa.as(oa.staff.admin, 'POST', url, { decision: 'rejected', reasons: 'تغيير الرأي' })).statusCode).toBe(409);
    expect((await status(a, { status: 'service_delivered' })).statusCode).toBe(200);

    const detail = (await oa.as(oa.staff.admin, 'GET', `/api/applications/${a.applicationId}`)).json();
    expect(detail.decisions).toMatchObject([{ decision: 'approved', reasons: 'مستوفٍ للشروط ودخل الأسرة أقل من الحد', decidedBy: { name: 'عبدالرحمن القحطاني' } }]);
  });

  it('tells a rejected applicant the committee\'s message in their language, and keeps the reasons in the file', async () => {
    const a = await applyViaWebchat(gw, 'en');
    await toCommittee(a);
    const before = await lastMessageId(gw, a.token);
    const body = { decision: 'rejected', reasons: 'Income above the support threshold.', messageToBeneficiary: 'Your household income is above what our support covers.' };
    const res = await oa.as(oa.staff.admin, 'POST', `/api/applications/${a.applicationId}/decision`, body);
    expect(res.statusCode).toBe(200);
    const text = await received(a, before);
    expect(text).toContain(`Thank you for your request ${a.reference}`);
    expect(text).toContain('Your household income is above what our support covers.');
    expect(text).not.toContain('Income above the support threshold.');
  });
});

describe('roles and CSRF', () => {
  it('401 without an officer, 403 for the wrong role or without the CSRF token', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    expect((await oa.as(undefined, 'GET', '/api/applications')).statusCode).toBe(401);
    expect((await oa.as(undefined, 'GET', `/api/applications/${a.applicationId}`)).statusCode).toBe(401);
    expect((await oa.as(oa.staff.committee, 'POST', `/api/applications/${a.applicationId}/status`, { status: 'under_study' })).statusCode).toBe(403);
    const noCsrf = await oa.app.inject({ method: 'POST', url: `/api/applications/${a.applicationId}/status`, headers: { 'x-test-officer': oa.staff.officer }, payload: { status: 'under_study' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('ERR_CSRF');
    expect(row(a)?.status).toBe('new');
    expect((await oa.as(oa.staff.officer, 'GET', '/api/applications/not-a-uuid')).statusCode).toBe(404);
    expect((await oa.as(oa.staff.officer, 'GET', '/api/applications/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('when the notification cannot be sent', () => {
  it('keeps the committed change and answers notified: false', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const failing = await officerApp(gw, {
      staff: oa.staff,
      conversations: {
        notify: async () => {
          throw new Error('outbox unavailable');
        },
      },
    });
    try {
      const res = await failing.as(oa.staff.officer, 'POST', `/api/applications/${a.applicationId}/status`, { status: 'under_study' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'under_study', notified: false });
      expect(row(a)?.status).toBe('under_study');
      expect(history(a).at(-1)?.toStatus).toBe('under_study');
    } finally {
      await failing.app.close();
    }
  });
});
