// Personal-data incidents on the real gateway: SDAIA's 72-hour deadline with an overdue flag, the affected told
// through the usual notification route, admins only, audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyViaWebchat, chatTexts, type Applicant } from '../applications/helpers.ts';
import { officerSession, type Headers } from '../letters/support.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';

const HOUR = 3_600_000;
let gw: TestGateway;
let admin: Headers;
let officer: Headers;
let person: Applicant;

beforeAll(async () => {
  gw = await startGateway();
  admin = await officerSession(gw, 'admin');
  officer = await officerSession(gw, 'officer');
  person = await applyViaWebchat(gw, 'ar');
}, 120_000);
afterAll(() => gw.close());

type Incident = { id: string; sdaiaDeadline: string; overdue: boolean; discoveredAt: string; notifiedCount: number };
const post = (who: Headers, url: string, payload: object) => gw.app.inject({ method: 'POST', url, headers: who, payload });

describe('/api/admin/incidents', () => {
  it('records an incident with its SDAIA deadline 72 hours after discovery, overdue once past', async () => {
    const discovered = new Date(Date.now() - 80 * HOUR).toISOString();
    const late = await post(admin, '/api/admin/incidents', { what: 'أُرسل كشف بأسماء مستفيدين إلى بريد خاطئ', discoveredAt: discovered, affectedContactIds: [person.contactId], actions: 'طلبنا حذف الرسالة من المستلم' });
    expect(late.statusCode, late.body).toBe(201);
    const incident = (late.json() as { incident: Incident }).incident;
    expect(incident.sdaiaDeadline).toBe(new Date(Date.parse(discovered) + 72 * HOUR).toISOString());
    expect(incident.overdue).toBe(true);
    const fresh = await post(admin, '/api/admin/incidents', { what: 'جهاز محمول مفقود', discoveredAt: new Date(Date.now() - HOUR).toISOString(), affectedContactIds: [], actions: 'أُلغيت جلساته' });
    expect((fresh.json() as { incident: Incident }).incident.overdue).toBe(false);
    const list = await gw.app.inject({ method: 'GET', url: '/api/admin/incidents', headers: admin });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { incidents: Incident[] }).incidents.map((i) => i.overdue)).toEqual([false, true]);
  });

  it('tells the affected beneficiaries through their conversation', async () => {
    const list = (await gw.app.inject({ method: 'GET', url: '/api/admin/incidents', headers: admin })).json() as { incidents: Incident[] };
    const id = list.incidents.find((i) => i.overdue)?.id ?? '';
    const res = await post(admin, `/api/admin/incidents/${id}/notify-affected`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ notified: 1, incident: { notifiedCount: 1 } });
    await eventually(async () => (await chatTexts(gw, person.token)).some((m) => m.text.includes('رصدنا حادثة')) || undefined);
    const custom = await post(admin, `/api/admin/incidents/${id}/notify-affected`, { message: 'نعتذر عن الحادثة، وقد غيّرنا إجراءاتنا.' });
    expect(custom.statusCode).toBe(200);
    await eventually(async () => (await chatTexts(gw, person.token)).some((m) => m.text === 'نعتذر عن الحادثة، وقد غيّرنا إجراءاتنا.') || undefined);
  });

  it('refuses other roles, bad bodies and a discovery in the future; audits what admins did', async () => {
    const body = { what: 'حادثة', discoveredAt: new Date().toISOString(), affectedContactIds: [], actions: 'لا شيء' };
    expect((await post(officer, '/api/admin/incidents', body)).statusCode).toBe(403);
    expect((await gw.app.inject({ method: 'GET', url: '/api/admin/incidents', headers: officer })).statusCode).toBe(403);
    expect((await post(admin, '/api/admin/incidents', { ...body, discoveredAt: new Date(Date.now() + 3 * HOUR).toISOString() })).statusCode).toBe(400);
    expect((await post(admin, '/api/admin/incidents', { ...body, affectedContactIds: ['not-an-id'] })).statusCode).toBe(400);
    expect((await post(admin, '/api/admin/incidents/00000000-0000-4000-8000-000000000000/notify-affected', {})).statusCode).toBe(404);
    const actions = gw.db.$client.prepare(`select action from audit_log where action like 'incident.%'`).pluck().all() as string[];
    expect(actions.filter((a) => a === 'incident.create')).toHaveLength(2);
    expect(actions.filter((a) => a === 'incident.notify_affected')).toHaveLength(2);
  });
});
