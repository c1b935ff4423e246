// Words for the file and words for the beneficiary: the internal note and the committee's reasons never reach the
// beneficiary's channel; the message to them does, for status changes, approvals and rejections; the preview is exact.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationStatusHistory } from '../../src/db/schema.ts';
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

const status = (a: Applicant, body: Record<string, unknown>) => oa.as(oa.staff.officer, 'POST', `/api/applications/${a.applicationId}/status`, body);
const decide = (a: Applicant, body: Record<string, unknown>) => oa.as(oa.staff.committee, 'POST', `/api/applications/${a.applicationId}/decision`, body);
const preview = (a: Applicant, body: Record<string, unknown>) => oa.as(oa.staff.officer, 'POST', `/api/applications/${a.applicationId}/notice-preview`, body);
/** Everything the beneficiary's web chat received after `after`. */
const received = async (a: Applicant, after: number) => (await chatTexts(gw, a.token, after)).map((m) => m.text);
async function toCommittee(a: Applicant) {
  expect((await status(a, { status: 'under_study' })).statusCode).toBe(200);
  // The committee sees a case only once its checklist is complete.
  await completeChecklist(oa, a.applicationId);
  expect((await status(a, { status: 'committee' })).statusCode).toBe(200);
}

describe('status changes', () => {
  it('sends the message to the beneficiary, keeps the internal note in the history only, and the preview is the exact text', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const body = { status: 'under_study', messageToBeneficiary: 'سيتصل بك الباحث هذا الأسبوع.' };
    const shown = await preview(a, body);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toMatchObject({ language: 'ar', channel: 'webchat' });
    const before = await lastMessageId(gw, a.token);
    expect((await status(a, { ...body, note: 'الدخل المصرّح به يحتاج تحقق' })).statusCode).toBe(200);
    const got = await received(a, before);
    expect(got).toEqual([shown.json().text]);
    expect(got[0]).toContain('سيتصل بك الباحث هذا الأسبوع.');
    expect(got[0]).toContain('الحالة الآن: قيد الدراسة');
    expect(got.join('\n')).not.toContain('يحتاج تحقق');
    const last = gw.db.select().from(applicationStatusHistory).where(eq(applicationStatusHistory.applicationId, a.applicationId)).all().at(-1);
    expect(last?.note).toBe('الدخل المصرّح به يحتاج تحقق');
    const detail = (await oa.as(oa.staff.officer, 'GET', `/api/applications/${a.applicationId}`)).json();
    expect(detail.history.at(-1)).toMatchObject({ to: 'under_study', note: 'الدخل المصرّح به يحتاج تحقق' });
  });

  it('without a message the beneficiary gets the standard notice only, even when a note was written', async () => {
    const a = await applyViaWebchat(gw, 'en');
    const shown = (await preview(a, { status: 'under_study' })).json();
    const before = await lastMessageId(gw, a.token);
    expect((await status(a, { status: 'under_study', note: 'Call the landlord first.' })).statusCode).toBe(200);
    const got = await received(a, before);
    expect(got).toEqual([shown.text]);
    expect(got[0]).toBe(`An update on your request ${a.reference}:\nStatus now: Being studied`);
    expect(shown).toMatchObject({ language: 'en', channel: 'webchat' });
  });

  it('the preview asks for one of status or decision, and a status the table knows', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    expect((await preview(a, {})).statusCode).toBe(400);
    expect((await preview(a, { status: 'under_study', decision: 'approved' })).statusCode).toBe(400);
    expect((await preview(a, { status: 'bogus' })).statusCode).toBe(400);
    expect((await oa.as(undefined, 'POST', `/api/applications/${a.applicationId}/notice-preview`, { status: 'under_study' })).statusCode).toBe(401);
  });
});

describe('the committee decision', () => {
  it('an approval carries the committee message, never the reasons', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    await toCommittee(a);
    const body = { decision: 'approved', messageToBeneficiary: 'سنسلّمك السلة الغذائية يوم الأحد في مقر الجمعية.' };
    const shown = (await preview(a, body)).json();
    const before = await lastMessageId(gw, a.token);
    const res = await decide(a, { ...body, reasons: 'الدخل أقل من الحد والأسرة كبيرة' });
    expect(res.statusCode, res.body).toBe(200);
    const got = await received(a, before);
    expect(got).toEqual([shown.text]);
    expect(got[0]).toContain('وافقت على طلبك');
    expect(got[0]).toContain('سنسلّمك السلة الغذائية يوم الأحد في مقر الجمعية.');
    expect(got[0]).not.toContain('الدخل أقل من الحد');
  });

  it('a rejection without a message is the standard notice: the reasons stay in the file', async () => {
    const a = await applyViaWebchat(gw, 'en');
    await toCommittee(a);
    const before = await lastMessageId(gw, a.token);
    expect((await decide(a, { decision: 'rejected', reasons: 'Owns a second house in Khobar.' })).statusCode).toBe(200);
    const got = await received(a, before);
    expect(got).toHaveLength(1);
    expect(got[0]).toContain(`Thank you for your request ${a.reference}`);
    expect(got[0]).not.toContain('Khobar');
    const detail = (await oa.as(oa.staff.officer, 'GET', `/api/applications/${a.applicationId}`)).json();
    expect(detail.decisions).toMatchObject([{ decision: 'rejected', reasons: 'Owns a second house in Khobar.' }]);
  });

  it('a rejection with a message includes it, as the preview showed', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    await toCommittee(a);
    const body = { decision: 'rejected', messageToBeneficiary: 'يمكنك التقديم مجددًا بعد ستة أشهر.' };
    const shown = (await preview(a, body)).json();
    const before = await lastMessageId(gw, a.token);
    expect((await decide(a, { ...body, reasons: 'سبق صرف دعم هذا العام' })).statusCode).toBe(200);
    const got = await received(a, before);
    expect(got).toEqual([shown.text]);
    expect(got[0]).toContain('يمكنك التقديم مجددًا بعد ستة أشهر.');
    expect(got[0]).not.toContain('سبق صرف دعم');
  });
});
