// Sign-in, the session cookie, rotation, no account enumeration, expiry, sign-out and disabling an account.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGN_IN_FAILED } from '../../src/auth/service.ts';
import { hashSessionToken } from '../../src/auth/sessions.ts';
import { officerSessions } from '../../src/db/schema.ts';
import { addOfficer, auditActions, authTestApp, PASSWORD, sessionFrom, signIn, signInRequest, type AuthTestApp } from './support.ts';
import { currentTotp } from '../support/officers.ts';

const HOUR = 60 * 60 * 1000;

describe('sign-in and sessions', () => {
  let t: AuthTestApp;
  beforeEach(async () => {
    t = await authTestApp();
    await addOfficer(t, 'amal@charity.org');
  });
  afterEach(() => t.close());

  const ping = (cookie?: string) => t.app.inject({ method: 'GET', url: '/api/test/ping', headers: cookie ? { cookie } : {} });

  it('sets an HttpOnly, SameSite=Lax session cookie and returns the officer and a CSRF token', async () => {
    const res = await signInRequest(t, '  Amal@Charity.ORG ', PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^tawasul_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain(`Max-Age=${7 * 24 * 3600}`);
    expect(cookie).not.toContain('Secure');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json() as { officer: Record<string, unknown>; csrfToken: string };
    expect(body.officer).toEqual({ id: expect.any(String), email: 'amal@charity.org', displayName: 'Officer amal@charity.org', role: 'officer', grammaticalGender: 'm', mustChangePassword: false, totpEnabled: true, totpSetupRequired: false, nameNeeded: false });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Only the hash of the cookie value is stored.
    const token = sessionFrom(res) ?? '';
    const rows = t.db.select().from(officerSessions).all();
    expect(rows.map((r) => r.idHash)).toEqual([hashSessionToken(token)]);
    expect(JSON.stringify(rows)).not.toContain(token);

    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `tawasul_session=${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(body);
  });

  it('marks the cookie Secure when PUBLIC_URL is https or the request came over https', async () => {
    const secure = await authTestApp({ secureCookies: true });
    try {
      await addOfficer(secure, 'amal@charity.org');
      expect(String((await signInRequest(secure, 'amal@charity.org', PASSWORD)).headers['set-cookie'])).toMatch(/; Secure$/);
    } finally {
      await secure.close();
    }
    const viaProxy = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'amal@charity.org', password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
    // Only a trusted proxy may say so; this bare app trusts none, so the request counts as http.
    expect(String(viaProxy.headers['set-cookie'])).not.toContain('Secure');
  });

  it('rotates: every sign-in gets a new token; the cookie the browser sent is ended, other devices keep theirs', async () => {
    const laptop = await signIn(t, 'amal@charity.org');
    const phone = await signIn(t, 'amal@charity.org');
    expect(laptop.cookie).not.toBe(phone.cookie);
    expect((await ping(laptop.cookie)).statusCode).toBe(200);
    expect((await ping(phone.cookie)).statusCode).toBe(200);

    const laptopAgain = await signIn(t, 'amal@charity.org', PASSWORD, { cookie: laptop.cookie });
    expect(laptopAgain.cookie).not.toBe(laptop.cookie);
    expect(laptopAgain.csrf).not.toBe(laptop.csrf);
    expect((await ping(laptop.cookie)).statusCode).toBe(401);
    expect((await ping(laptopAgain.cookie)).statusCode).toBe(200);
    expect((await ping(phone.cookie)).statusCode).toBe(200);
  });

  it('gives one answer for an unknown email, a wrong password and a disabled account', async () => {
    const disabled = await addOfficer(t, 'gone@charity.org');
    await t.auth.setActive(disabled.id, false);
    const answers = await Promise.all([
      signInRequest(t, 'nobody@charity.org', PASSWORD),
      signInRequest(t, 'amal@charity.org', 'wrong password!'),
      signInRequest(t, 'gone@charity.org', PASSWORD),
    ]);
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'ERR_UNAUTHORIZED', message: SIGN_IN_FAILED } });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    // The admin can still tell them apart in the audit log (and the password is never in it).
    const failures = t.audit.list({ limit: 10, action: 'auth.sign_in_failed' });
    expect(failures.map((f) => (f.details as { reason: string }).reason).sort()).toEqual(['disabled', 'unknown_email', 'wrong_password']);
    expect(JSON.stringify(failures)).not.toContain('wrong password!');
    expect(JSON.stringify(failures)).not.toContain(PASSWORD);
  });

  it('spends the same scrypt work on an unknown email as on a known one', async () => {
    const time = async (email: string) => {
      const start = process.hrtime.bigint();
      await t.auth.signIn({ email, password: 'not the password' }).catch(() => undefined);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const known = await time('amal@charity.org');
    const unknown = await time('nobody@charity.org');
    // Both do one full scrypt (~100+ ms); an early return for unknown emails would take well under a millisecond.
    expect(unknown).toBeGreaterThan(known / 3);
  });

  it('ends a session after 12 idle hours, and keeps a busy one alive (sliding)', async () => {
    const s = await signIn(t, 'amal@charity.org');
    t.advance(11 * HOUR);
    expect((await ping(s.cookie)).statusCode).toBe(200);
    t.advance(11 * HOUR);
    expect((await ping(s.cookie)).statusCode).toBe(200);
    t.advance(12 * HOUR + 1000);
    expect((await ping(s.cookie)).statusCode).toBe(401);
    expect(t.db.select().from(officerSessions).all()).toHaveLength(0);
  });

  it('ends every session 7 days after sign-in however busy', async () => {
    const s = await signIn(t, 'amal@charity.org');
    for (let h = 0; h < 7 * 24 - 6; h += 6) {
      t.advance(6 * HOUR);
      expect((await ping(s.cookie)).statusCode, `after ${h + 6} h`).toBe(200);
    }
    t.advance(6 * HOUR);
    expect((await ping(s.cookie)).statusCode).toBe(401);
  });

  it('writes last_seen at most once a minute', async () => {
    const s = await signIn(t, 'amal@charity.org');
    const seen = () => t.db.select().from(officerSessions).get()?.lastSeenAt;
    const first = seen();
    t.advance(30_000);
    await ping(s.cookie);
    expect(seen()).toBe(first);
    t.advance(31_000);
    await ping(s.cookie);
    expect(seen()).not.toBe(first);
  });

  it('signs out: 204, the cookie is cleared and the session no longer works', async () => {
    const s = await signIn(t, 'amal@charity.org');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^tawasul_session=; HttpOnly; SameSite=Lax; Path=\/; Max-Age=0/);
    expect((await ping(s.cookie)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
    expect(auditActions(t)).toEqual(['officer.create', 'auth.totp_setup', 'auth.totp_enabled', 'auth.sign_in', 'auth.sign_out']);
  });

  it('disabling an account ends its live sessions at once; enabling does not bring them back', async () => {
    const s = await signIn(t, 'amal@charity.org');
    expect((await ping(s.cookie)).statusCode).toBe(200);
    const officer = await t.auth.findByEmail('amal@charity.org');
    await addOfficer(t, 'boss@charity.org', 'admin');
    await t.auth.setActive(officer?.id ?? '', false);
    expect((await ping(s.cookie)).statusCode).toBe(401);
    expect(t.db.select().from(officerSessions).all()).toHaveLength(0);
    await t.auth.setActive(officer?.id ?? '', true);
    expect((await ping(s.cookie)).statusCode).toBe(401);
    expect((await signInRequest(t, 'amal@charity.org', PASSWORD)).statusCode).toBe(200);
  });

  it('a sign-in whose password check was overtaken by disabling or a reset creates no session', async () => {
    const id = (await t.auth.findByEmail('amal@charity.org'))?.id ?? '';
    const pending = t.auth.signIn({ email: 'amal@charity.org', password: PASSWORD, totp: currentTotp(t, id) });
    await t.auth.setActive(id, false);
    await expect(pending).rejects.toMatchObject({ code: 'ERR_UNAUTHORIZED' });
    await t.auth.setActive(id, true);
    // Whichever scrypt finishes first, the old password never yields a session that outlives the reset.
    const racing = t.auth.signIn({ email: 'amal@charity.org', password: PASSWORD, totp: currentTotp(t, id) });
    await t.auth.resetPassword(id);
    await Promise.allSettled([racing]);
    expect(t.db.select().from(officerSessions).all()).toHaveLength(0);
  });

  it('accepts sign-in only as JSON, and /me removes a cookie that no longer works', async () => {
    const form = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `email=amal%40charity.org&password=${encodeURIComponent(PASSWORD)}` });
    expect(form.statusCode).toBe(415);
    expect(form.headers['set-cookie']).toBeUndefined();
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `tawasul_session=${'A'.repeat(43)}` } });
    expect(me.statusCode).toBe(401);
    expect(String(me.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me' })).headers['set-cookie']).toBeUndefined();
  });

  it('ignores malformed and unknown cookies', async () => {
    for (const cookie of ['tawasul_session=', 'tawasul_session=abc', `tawasul_session=${'A'.repeat(43)}`, 'other=1']) {
      expect((await ping(cookie)).statusCode).toBe(401);
    }
    const s = await signIn(t, 'amal@charity.org');
    expect((await ping(`theme=dark; ${s.cookie}; lang=ar`)).statusCode).toBe(200);
  });
});
