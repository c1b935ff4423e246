// The admin's account routes and the audit log: create, update, disable, reset, list, and who did what.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { officers } from '../../src/db/schema.ts';
import { addOfficer, auditActions, authTestApp, PASSWORD, signIn, signInRequest, type AuthTestApp, type Signed } from './support.ts';

describe('admin routes', () => {
  let t: AuthTestApp;
  let admin: Signed;
  let adminId: string;
  beforeEach(async () => {
    t = await authTestApp();
    adminId = (await addOfficer(t, 'admin@charity.org', 'admin')).id;
    admin = await signIn(t, 'admin@charity.org');
  });
  afterEach(() => t.close());

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, as: Signed = admin) =>
    t.app.inject({ method, url, headers: { cookie: as.cookie, 'x-csrf-token': as.csrf }, ...(payload ? { payload } : {}) });

  it('creates an officer with a one-time password shown once, lists officers without password hashes', async () => {
    const created = await call('POST', '/api/admin/officers', { email: 'Noura@Charity.org', displayName: 'نورة العتيبي', role: 'researcher' });
    expect(created.statusCode).toBe(201);
    const body = created.json() as { officer: { id: string; email: string; mustChangePassword: boolean }; oneTimePassword: string };
    expect(body.officer).toMatchObject({ email: 'noura@charity.org', role: 'researcher', active: true, mustChangePassword: true });
    expect(body.oneTimePassword).toMatch(/^[A-Za-z2-9]{16}$/);
    expect(created.headers['cache-control']).toBe('no-store');

    const withPassword = await call('POST', '/api/admin/officers', { email: 'sara@charity.org', displayName: 'Sara', role: 'officer', password: 'a chosen password' });
    expect(withPassword.statusCode).toBe(201);
    expect(withPassword.json()).not.toHaveProperty('oneTimePassword');
    expect(withPassword.json()).toMatchObject({ officer: { mustChangePassword: false } });

    const list = await call('GET', '/api/admin/officers');
    expect(list.statusCode).toBe(200);
    expect((list.json() as { officers: { email: string }[] }).officers.map((o) => o.email)).toEqual(['admin@charity.org', 'noura@charity.org', 'sara@charity.org']);
    expect(list.body).not.toContain('scrypt');
    expect((await signInRequest(t, 'noura@charity.org', body.oneTimePassword)).statusCode).toBe(200);
  });

  it('validates bodies (400), refuses duplicates (409) and weak passwords', async () => {
    const bad = [
      { email: 'x@charity.org', displayName: 'X', role: 'superuser' },
      { email: 'x@charity.org', role: 'officer' },
      { email: 'not-an-email', displayName: 'X', role: 'officer' },
      { email: 'x@charity.org', displayName: 'X', role: 'officer', password: 'aaaaaaaaaaaa' },
    ];
    for (const payload of bad) {
      const res = await call('POST', '/api/admin/officers', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: payload.password ? 'ERR_WEAK_PASSWORD' : 'ERR_VALIDATION' } });
    }
    expect(JSON.stringify((await call('POST', '/api/admin/officers', bad[3])).json())).not.toContain('aaaaaaaaaaaa');
    const dup = await call('POST', '/api/admin/officers', { email: 'ADMIN@charity.org', displayName: 'Again', role: 'officer' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: { code: 'ERR_CONFLICT' } });
    expect((await call('PATCH', `/api/admin/officers/${adminId}`, {})).statusCode).toBe(400);
    expect((await call('PATCH', '/api/admin/officers/nobody', { displayName: 'Y' })).statusCode).toBe(404);
  });

  it('updates, disables (ending sessions), enables and resets; every change is in the audit log', async () => {
    const officer = await addOfficer(t, 'huda@charity.org');
    const huda = await signIn(t, 'huda@charity.org');
    const ping = () => t.app.inject({ method: 'GET', url: '/api/test/ping', headers: { cookie: huda.cookie } });

    const renamed = await call('PATCH', `/api/admin/officers/${officer.id}`, { displayName: 'هدى', role: 'committee' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ officer: { displayName: 'هدى', role: 'committee' } });
    expect((await ping()).json()).toMatchObject({ officer: { role: 'committee', displayName: 'هدى' } });

    expect((await call('PATCH', `/api/admin/officers/${officer.id}`, { active: false })).json()).toMatchObject({ officer: { active: false } });
    expect((await ping()).statusCode).toBe(401);
    expect((await signInRequest(t, 'huda@charity.org', PASSWORD)).statusCode).toBe(401);
    expect((await call('PATCH', `/api/admin/officers/${officer.id}`, { active: true })).statusCode).toBe(200);

    const again = await signIn(t, 'huda@charity.org');
    const reset = await call('POST', `/api/admin/officers/${officer.id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    const { oneTimePassword } = reset.json() as { oneTimePassword: string };
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: again.cookie } })).statusCode).toBe(401);
    expect((await signInRequest(t, 'huda@charity.org', PASSWORD)).statusCode).toBe(401);
    expect((await signInRequest(t, 'huda@charity.org', oneTimePassword)).json()).toMatchObject({ officer: { mustChangePassword: true } });

    const audit = await call('GET', `/api/admin/audit?targetType=officer&targetId=${officer.id}`);
    expect(audit.statusCode).toBe(200);
    const entries = (audit.json() as { entries: { action: string; officerId: string | null; officerEmail: string | null; details: unknown; ip: string }[] }).entries;
    expect(entries.map((e) => e.action).reverse()).toEqual([
      'officer.create',
      'auth.totp_setup',
      'auth.totp_enabled',
      'auth.sign_in',
      'officer.update',
      'officer.disable',
      'auth.sign_in_failed',
      'officer.enable',
      'auth.sign_in',
      'auth.password_reset',
      'auth.sign_in_failed',
      'auth.sign_in',
    ]);
    const update = entries.find((e) => e.action === 'officer.update');
    expect(update).toMatchObject({ officerId: adminId, officerEmail: 'admin@charity.org', ip: '127.0.0.1', details: { displayName: true, role: { from: 'officer', to: 'committee' } } });
    expect(audit.body).not.toContain(oneTimePassword);
    expect(audit.body).not.toContain(PASSWORD);
  });

  it('pages and filters the audit log', async () => {
    for (let i = 0; i < 3; i += 1) await signInRequest(t, 'admin@charity.org', `wrong password ${i}`);
    const first = await call('GET', '/api/admin/audit?limit=2');
    const page1 = first.json() as { entries: { id: number; action: string }[]; nextBefore: number | null };
    expect(page1.entries).toHaveLength(2);
    expect(page1.nextBefore).toBe(page1.entries[1]?.id);
    const page2 = (await call('GET', `/api/admin/audit?limit=2&before=${page1.nextBefore}`)).json() as typeof page1;
    expect(page2.entries[0]?.id).toBeLessThan(page1.nextBefore ?? 0);
    const failed = (await call('GET', '/api/admin/audit?action=auth.sign_in_failed')).json() as typeof page1;
    expect(failed.entries).toHaveLength(3);
    expect(failed.nextBefore).toBeNull();
    expect((await call('GET', `/api/admin/audit?officerId=${adminId}&action=auth.sign_in`)).json()).toMatchObject({ entries: [{ action: 'auth.sign_in' }] });
    expect((await call('GET', '/api/admin/audit?limit=100000')).statusCode).toBe(400);
  });

  it('is for admins only, and writes need the CSRF token', async () => {
    await addOfficer(t, 'o@charity.org');
    const officer = await signIn(t, 'o@charity.org');
    for (const [method, url] of [['GET', '/api/admin/officers'], ['GET', '/api/admin/audit'], ['POST', `/api/admin/officers/${adminId}/reset-password`]] as const) {
      expect((await call(method, url, undefined, officer)).statusCode).toBe(403);
      expect((await t.app.inject({ method, url })).statusCode).toBe(401);
    }
    const noToken = await t.app.inject({ method: 'POST', url: '/api/admin/officers', headers: { cookie: admin.cookie }, payload: { email: 'x@charity.org', displayName: 'X', role: 'officer' } });
    expect(noToken.json()).toMatchObject({ error: { code: 'ERR_CSRF' } });
    expect(t.db.select().from(officers).all()).toHaveLength(2);
  });

  it('never leaves the system without an active admin', async () => {
    const alone = await call('PATCH', `/api/admin/officers/${adminId}`, { active: false });
    expect(alone.statusCode).toBe(409);
    expect((await call('PATCH', `/api/admin/officers/${adminId}`, { role: 'officer' })).statusCode).toBe(409);
    await addOfficer(t, 'second@charity.org', 'admin');
    expect((await call('PATCH', `/api/admin/officers/${adminId}`, { role: 'officer' })).statusCode).toBe(200);
    expect(auditActions(t).filter((a) => a.startsWith('officer.'))).toEqual(['officer.create', 'officer.create', 'officer.update']);
  });
});
