// PATCH /api/applications/:id/fields: an officer corrects a field; the old and new values stay in the application's
// history, the beneficiary is told in their language, and the audit log names the field only.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationStatusHistory, applications } from '../../src/db/schema.ts';
import { applyViaWebchat, chatTexts, type Applicant } from '../applications/helpers.ts';
import { officerSession, type Headers } from '../letters/support.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
let officer: Headers;
let committee: Headers;
let ar: Applicant;
let en: Applicant;

beforeAll(async () => {
  gw = await startGateway();
  officer = await officerSession(gw, 'officer');
  committee = await officerSession(gw, 'committee');
  ar = await applyViaWebchat(gw, 'ar', { name: 'نورة سعد العتيبي' });
  en = await applyViaWebchat(gw, 'en');
}, 120_000);
afterAll(() => gw.close());

const patch = (who: Headers, id: string, payload: object) => gw.app.inject({ method: 'PATCH', url: `/api/applications/${id}/fields`, headers: who, payload });

describe('correction of an application field', () => {
  it('keeps old and new values in the history and tells the beneficiary in Arabic', async () => {
    const res = await patch(officer, ar.applicationId, { field: 'applicantName', value: 'نورة سعد القحطاني', reason: 'خطأ في اسم العائلة' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: ar.applicationId, field: 'applicantName', notified: true });
    expect(gw.db.select().from(applications).where(eq(applications.id, ar.applicationId)).get()?.applicantName).toBe('نورة سعد القحطاني');
    const notes = gw.db.select().from(applicationStatusHistory).where(eq(applicationStatusHistory.applicationId, ar.applicationId)).all().map((h) => h.note);
    expect(notes.map((n) => (n ? JSON.parse(n) : null))).toContainEqual({ correction: 'applicantName', from: 'نورة سعد العتيبي', to: 'نورة سعد القحطاني', reason: 'خطأ في اسم العائلة' });
    await eventually(async () => (await chatTexts(gw, ar.token)).some((m) => /^صحّحنا بيانات طلبك رقم \S+: الاسم\.$/m.test(m.text)) || undefined);
    const audit = gw.db.$client.prepare(`select details from audit_log where action = 'application.correct'`).pluck().all() as string[];
    expect(audit).toEqual([JSON.stringify({ field: 'applicantName' })]);
  });

  it('checks the value like the intake does (Arabic-Indic digits too) and tells an English speaker in English', async () => {
    expect((await patch(officer, en.applicationId, { field: 'nationalId', value: '1234', reason: 'typo' })).statusCode).toBe(400);
    const res = await patch(officer, en.applicationId, { field: 'monthly_income', value: '٣٢٠٠', reason: 'salary slip' });
    expect(res.statusCode, res.body).toBe(200);
    expect(gw.db.select().from(applications).where(eq(applications.id, en.applicationId)).get()?.answers).toMatchObject({ monthly_income: 3200 });
    await eventually(async () => (await chatTexts(gw, en.token)).some((m) => m.text.includes(`We corrected your application ${en.reference}: monthly income`)) || undefined);
  });

  it('is for officers and admins', async () => {
    expect((await patch(committee, ar.applicationId, { field: 'city', value: 'جدة', reason: 'انتقلت' })).statusCode).toBe(403);
    expect((await gw.app.inject({ method: 'PATCH', url: `/api/applications/${ar.applicationId}/fields`, payload: { field: 'city', value: 'جدة', reason: 'انتقلت' } })).statusCode).toBe(401);
    expect((await patch(officer, '00000000-0000-4000-8000-000000000000', { field: 'city', value: 'جدة', reason: 'انتقلت' })).statusCode).toBe(404);
  });
});
