// The audit log as admins read it, through the real gateway: officers' names and grammatical gender, application
// references, beneficiaries' names masked, and filters by officer, beneficiary and action.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyViaWebchat } from '../applications/helpers.ts';
import { officerSession } from '../letters/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { addOfficer, signIn, type AuthTestApp } from './support.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
}, 60_000);
afterAll(async () => {
  await gw?.close();
});

const asAuthApp = (g: TestGateway): AuthTestApp => ({ app: g.app, db: g.db, dir: g.dir, auth: g.auth, audit: g.audit, advance: () => undefined, close: () => g.close() });

interface Entry {
  officerId: string | null;
  officerName: string | null;
  officerGender: string | null;
  action: string;
  target: { type: string; reference: string | null; officerName: string | null; beneficiary: string | null; contactId: string | null } | null;
}

describe('GET /api/admin/audit', () => {
  it('names the officer (in her gender), the application and the masked beneficiary, and filters by each', async () => {
    const admin = await officerSession(gw, 'admin');
    const t = asAuthApp(gw);
    const email = `reem-${Date.now()}@birr.example.org`;
    const reem = await addOfficer(t, email, 'officer');
    // The admin sets her name and the feminine form; role labels and sentences follow it.
    const patched = await gw.app.inject({ method: 'PATCH', url: `/api/admin/officers/${reem.id}`, headers: admin, payload: { displayName: 'ريم الحربي', grammaticalGender: 'f' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().officer).toMatchObject({ displayName: 'ريم الحربي', grammaticalGender: 'f' });
    expect((await gw.app.inject({ method: 'PATCH', url: `/api/admin/officers/${reem.id}`, headers: admin, payload: { grammaticalGender: 'x' } })).statusCode).toBe(400);
    const created = await gw.app.inject({ method: 'POST', url: '/api/admin/officers', headers: admin, payload: { email: `sara-${Date.now()}@birr.example.org`, displayName: 'سارة', role: 'researcher', grammaticalGender: 'f' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().officer.grammaticalGender).toBe('f');
    const listed = (await gw.app.inject({ method: 'GET', url: '/api/admin/officers', headers: admin })).json().officers as { displayName: string; grammaticalGender: string }[];
    expect(listed.find((o) => o.displayName === 'سارة')?.grammaticalGender).toBe('f');

    const session = await signIn(t, email);
    const asReem = { cookie: session.cookie, 'x-csrf-token': session.csrf };
    expect((await gw.app.inject({ method: 'GET', url: '/api/auth/me', headers: asReem })).json().officer.grammaticalGender).toBe('f');

    const salma = await applyViaWebchat(gw, 'ar', { name: 'سلمى فهد' });
    const other = await applyViaWebchat(gw, 'ar', { name: 'خالد العتيبي' });
    for (const a of [salma, other]) expect((await gw.app.inject({ method: 'GET', url: `/api/applications/${a.applicationId}`, headers: asReem })).statusCode).toBe(200);

    const list = async (q: string) => {
      const res = await gw.app.inject({ method: 'GET', url: `/api/admin/audit?${q}`, headers: admin });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().entries as Entry[];
    };
    const views = await list('action=application.view');
    const salmaView = views.find((e) => e.target?.reference === salma.reference);
    expect(salmaView).toMatchObject({ officerId: reem.id, officerName: 'ريم الحربي', officerGender: 'f', target: { type: 'application', beneficiary: 'س*** ف**', contactId: salma.contactId } });
    // The name itself never reaches the log's answer.
    expect(JSON.stringify(views)).not.toContain('سلمى');

    const bySalma = await list(`contactId=${encodeURIComponent(salma.contactId)}`);
    expect(bySalma.length).toBeGreaterThan(0);
    expect(bySalma.every((e) => e.target?.contactId === salma.contactId)).toBe(true);
    expect(bySalma.map((e) => e.target?.reference)).not.toContain(other.reference);

    const byReem = await list(`officerId=${reem.id}`);
    expect(new Set(byReem.map((e) => e.action))).toEqual(new Set(['auth.sign_in', 'auth.totp_setup', 'auth.totp_enabled', 'application.view']));

    // The account change names the officer acted on, not a UUID.
    const changes = await list(`action=officer.update&targetId=${reem.id}`);
    expect(changes[0]?.target).toMatchObject({ type: 'officer', officerName: 'ريم الحربي' });
  });
});
