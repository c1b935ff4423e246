// The first admin created without ADMIN_NAME is asked their name at first sign-in: /api/auth/me says nameNeeded,
// PUT /api/auth/me { name } stores it (audited), and a named officer is never asked.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/auth/first-admin.ts';
import { auditLog, officers } from '../../src/db/schema.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { createOfficerWithTotp, enrolTotp, signInOfficer } from '../support/officers.ts';
import { silentLogger } from './support.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(() => gw.close());

describe('the first admin name', () => {
  it('asks a placeholder-named admin, stores the name they give, and stops asking', async () => {
    const admin = await ensureFirstAdmin({ auth: gw.auth, logger: silentLogger });
    if (!admin) throw new Error('officers already existed');
    const row = gw.db.select().from(officers).where(eq(officers.email, admin.email)).get();
    if (!row) throw new Error('no admin row');
    // Choose their own password (the one-time one must be changed) and set up the authenticator app.
    await gw.auth.changePassword(row.id, admin.oneTimePassword, 'a long new passphrase');
    await enrolTotp(gw, row.id);
    const headers = await signInOfficer(gw, admin.email, 'a long new passphrase');

    const me = await gw.app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(me.json().officer).toMatchObject({ role: 'admin', nameNeeded: true });
    expect((await gw.app.inject({ method: 'PUT', url: '/api/auth/me', headers, payload: { name: ' ' } })).statusCode).toBe(400);
    expect((await gw.app.inject({ method: 'PUT', url: '/api/auth/me', payload: { name: 'ريم الحربي' } })).statusCode).toBe(401);

    const put = await gw.app.inject({ method: 'PUT', url: '/api/auth/me', headers, payload: { name: 'ريم الحربي' } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().officer).toMatchObject({ displayName: 'ريم الحربي', nameNeeded: false });
    const after = await gw.app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(after.json().officer).toMatchObject({ displayName: 'ريم الحربي', nameNeeded: false });
    expect(gw.db.select().from(officers).where(eq(officers.id, row.id)).get()?.displayName).toBe('ريم الحربي');
    expect(gw.db.select().from(auditLog).where(eq(auditLog.targetId, row.id)).all().map((a) => a.action)).toContain('officer.update');
  });

  it('never asks an officer who has a real name', async () => {
    await createOfficerWithTotp(gw, { email: 'named@charity.test', displayName: 'هدى الشمري', role: 'officer', password: 'correct horse battery' });
    const headers = await signInOfficer(gw, 'named@charity.test', 'correct horse battery');
    expect((await gw.app.inject({ method: 'GET', url: '/api/auth/me', headers })).json().officer).toMatchObject({ displayName: 'هدى الشمري', nameNeeded: false });
  });
});
