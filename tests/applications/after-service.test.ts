// After the service: reaching service_delivered asks the beneficiary the satisfaction survey for that service in
// their chat; the rating records the service type and application, and /api/reports averages per service type.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { satisfactionRatings } from '../../src/db/schema.ts';
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

async function deliver(a: Applicant) {
  expect((await oa.as(oa.staff.officer, 'POST', `/api/applications/${a.applicationId}/status`, { status: 'under_study' })).statusCode).toBe(200);
  await completeChecklist(oa, a.applicationId);
  expect((await oa.as(oa.staff.officer, 'POST', `/api/applications/${a.applicationId}/status`, { status: 'committee' })).statusCode).toBe(200);
  expect((await oa.as(oa.staff.committee, 'POST', `/api/applications/${a.applicationId}/decision`, { decision: 'approved', reasons: 'مستوفٍ للشروط' })).statusCode).toBe(200);
  const res = await oa.as(oa.staff.officer, 'POST', `/api/applications/${a.applicationId}/status`, { status: 'service_delivered' });
  expect(res.statusCode, res.body).toBe(200);
}
const say = async (a: Applicant, payload: { text: string } | { choice: string }) =>
  expect((await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${a.token}` }, payload })).statusCode).toBe(202);

describe('the survey after a delivered service', () => {
  it('asks for the service by name, records the rating with its service type, and reports it per type', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const before = await lastMessageId(gw, a.token);
    await deliver(a);
    const asked = (await chatTexts(gw, a.token, before)).map((m) => m.text).join('\n---\n');
    expect(asked).toContain('قُدّمت لك خدمة «مساعدة علاجية» لطلبك رقم');
    expect(asked).toContain(a.reference);
    expect(asked).toContain('كيف تقيّم الخدمة التي حصلت عليها؟');
    await say(a, { choice: '5' });
    await say(a, { text: 'لا' });
    expect(gw.db.select().from(satisfactionRatings).where(eq(satisfactionRatings.applicationId, a.applicationId)).all()).toMatchObject([{ score: 5, serviceType: 'medical', contactId: a.contactId }]);

    const b = await applyViaWebchat(gw, 'en');
    const beforeB = await lastMessageId(gw, b.token);
    await deliver(b);
    expect((await chatTexts(gw, b.token, beforeB)).map((m) => m.text).join('\n')).toContain('The service "Medical support" for your request');
    await say(b, { choice: '2' });
    await say(b, { text: 'no' });

    const report = await oa.as(oa.staff.officer, 'GET', '/api/reports');
    expect(report.statusCode).toBe(200);
    expect(report.json().satisfaction.byServiceType).toEqual([{ serviceType: 'medical', count: 2, average: 3.5 }]);
  });
});
