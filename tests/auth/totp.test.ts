// The officers' second factor through the real routes: the 403 gate until set-up, set-up and confirmation, sign-in
// with a code (Arabic-Indic digits, replay refused) or a single-use recovery code, MFA_REQUIRED=false, the admin reset.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { officers } from '../../src/db/schema.ts';
import { totpCode } from '../support/officers.ts';
import { addOfficer, auditActions, authTestApp, PASSWORD, sessionFrom, signIn, type AuthTestApp } from './support.ts';

const EMAIL = 'amal@charity.org';
const AR_DIGITS = '٠١٢٣٤٥٦٧٨٩';
const arabic = (code: string) => code.replace(/\d/g, (d) => AR_DIGITS[Number(d)] ?? d);

let t: AuthTestApp;
afterEach(() => t.close());
// authTestApp's injected clock (always set there).
const clock = () => t.now?.() ?? new Date();

const post = (url: string, who: { cookie: string; csrf: string }, payload?: unknown) =>
  t.app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf }, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const rawSignIn = (payload: Record<string, string>, remoteAddress?: string) => t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload, ...(remoteAddress ? { remoteAddress } : {}) });
const row = (email = EMAIL) => t.db.select().from(officers).where(eq(officers.email, email)).get();

/** An officer without a second factor, signed in with the password alone (the state a new officer is in). */
async function passwordOnly(email = EMAIL): Promise<{ cookie: string; csrf: string; body: Record<string, unknown> }> {
  await t.auth.createOfficer({ email, displayName: 'أمل', role: 'officer', password: PASSWORD });
  const res = await rawSignIn({ email, password: PASSWORD });
  expect(res.statusCode, res.body).toBe(200);
  return { cookie: `tawasul_session=${sessionFrom(res) ?? ''}`, csrf: (res.json() as { csrfToken: string }).csrfToken, body: res.json() };
}

describe('before the second factor is set up (MFA_REQUIRED, the default)', () => {
  beforeEach(async () => {
    t = await authTestApp();
  });

  it('answers 403 ERR_TOTP_SETUP_REQUIRED on officer routes, but /me, the set-up, the password change and sign-out work', async () => {
    const s = await passwordOnly();
    expect(s.body).toMatchObject({ officer: { totpEnabled: false, totpSetupRequired: true }, totpSetupRequired: true });
    const ping = await get('/api/test/ping', s.cookie);
    expect(ping.statusCode).toBe(403);
    expect(ping.json()).toMatchObject({ error: { code: 'ERR_TOTP_SETUP_REQUIRED', message: expect.any(String) } });
    expect((await post('/api/test/echo', s, { a: 1 })).json()).toMatchObject({ error: { code: 'ERR_TOTP_SETUP_REQUIRED' } });
    const me = await get('/api/auth/me', s.cookie);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ officer: { email: EMAIL, totpEnabled: false, totpSetupRequired: true }, totpEnabled: false, totpSetupRequired: true });
    // No known-device cookie for a sign-in that still owes its set-up.
    expect(String(await rawSignIn({ email: EMAIL, password: PASSWORD }).then((r) => r.headers['set-cookie']))).not.toContain('tawasul_device');
    const changed = await post('/api/auth/password', s, { current: PASSWORD, next: 'a brand new pass phrase' });
    expect(changed.statusCode).toBe(200);
    expect((await post('/api/auth/totp/setup', s)).statusCode).toBe(200);
    expect((await post('/api/auth/sign-out', s)).statusCode).toBe(204);
  });

  it('sets up: a secret stored encrypted and pending, a wrong code 400, a right one gives 10 recovery codes stored hashed', async () => {
    const s = await passwordOnly();
    const setup = await post('/api/auth/totp/setup', s);
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUri, qrSvg } = setup.json() as { secret: string; otpauthUri: string; qrSvg: string };
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Tawasul:amal%40charity\.org\?/);
    expect(new URL(otpauthUri).searchParams.get('secret')).toBe(secret);
    expect(qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const stored = row();
    expect(stored?.totpSecret).toMatch(/^v1\./);
    expect(stored?.totpSecret).not.toContain(secret);
    expect(stored?.totpEnabled).toBe(false);
    // Pending: the set-up is not done, so the gate stays shut.
    expect((await get('/api/test/ping', s.cookie)).statusCode).toBe(403);

    const wrong = await post('/api/auth/totp/confirm', s, { code: totpCode(secret, new Date(clock().getTime() - 10 * 60_000)) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ error: { code: 'ERR_TOTP_INVALID' } });
    expect(row()?.totpEnabled).toBe(false);

    const ok = await post('/api/auth/totp/confirm', s, { code: arabic(totpCode(secret, clock())) });
    expect(ok.statusCode, ok.body).toBe(200);
    const { recoveryCodes } = ok.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const after = row();
    expect(after?.totpEnabled).toBe(true);
    for (const c of recoveryCodes) expect(after?.totpRecoveryCodes).not.toContain(c);
    expect(JSON.parse(after?.totpRecoveryCodes ?? '[]')).toHaveLength(10);
    // The browser proved both factors: it becomes known, and this very session is now complete.
    expect(String(ok.headers['set-cookie'])).toMatch(/^tawasul_device=[^;]+; HttpOnly; SameSite=Lax; Path=\/; Max-Age=\d+/);
    expect((await get('/api/test/ping', s.cookie)).statusCode).toBe(200);
    expect((await get('/api/auth/me', s.cookie)).json()).toMatchObject({ totpEnabled: true, totpSetupRequired: false });
    // Once confirmed, a stolen session cannot swap the factor for its own.
    expect((await post('/api/auth/totp/setup', s)).json()).toMatchObject({ error: { code: 'ERR_CONFLICT' } });
    expect(auditActions(t)).toEqual(expect.arrayContaining(['auth.totp_setup', 'auth.totp_confirm_failed', 'auth.totp_enabled']));
  });
});

describe('signing in with the second factor', () => {
  let secret = '';
  let recoveryCodes: string[] = [];
  beforeEach(async () => {
    t = await authTestApp();
    const s = await passwordOnly();
    secret = ((await post('/api/auth/totp/setup', s)).json() as { secret: string }).secret;
    // Confirmed with the code of 5 minutes ago's clock: the sign-ins below use today's steps.
    t.advance(-5 * 60_000);
    recoveryCodes = ((await post('/api/auth/totp/confirm', s, { code: totpCode(secret, clock()) })).json() as { recoveryCodes: string[] }).recoveryCodes;
    t.advance(5 * 60_000);
  });

  it('answers 401 ERR_TOTP_REQUIRED without a code and ERR_TOTP_INVALID for a wrong one, setting no cookie', async () => {
    const missing = await rawSignIn({ email: EMAIL, password: PASSWORD });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ error: { code: 'ERR_TOTP_REQUIRED' } });
    expect(missing.headers['set-cookie']).toBeUndefined();
    const wrong = await rawSignIn({ email: EMAIL, password: PASSWORD, totp: totpCode(secret, new Date(clock().getTime() + 5 * 60_000)) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: { code: 'ERR_TOTP_INVALID' } });
    expect(wrong.headers['set-cookie']).toBeUndefined();
    // A wrong password with a right code is still just a wrong password.
    expect((await rawSignIn({ email: EMAIL, password: 'not the password', totp: totpCode(secret, clock()) })).json()).toMatchObject({ error: { code: 'ERR_UNAUTHORIZED' } });
    expect(t.audit.list({ limit: 50 }).find((e) => e.action === 'auth.sign_in_failed' && (e.details as { reason?: string }).reason === 'wrong_totp')).toBeDefined();
  });

  it('takes the code in Arabic-Indic digits with spaces, and refuses the same code again (a replay)', async () => {
    const code = totpCode(secret, clock());
    const typed = `${arabic(code.slice(0, 3))} ${arabic(code.slice(3))}`;
    const ok = await rawSignIn({ email: EMAIL, password: PASSWORD, totp: typed });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ officer: { email: EMAIL, totpEnabled: true, totpSetupRequired: false } });
    const cookies = ([] as string[]).concat(ok.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => c.startsWith('tawasul_session='))).toBe(true);
    expect(cookies.some((c) => /^tawasul_device=[^;]+; HttpOnly; SameSite=Lax/.test(c))).toBe(true);
    // Seen over someone's shoulder and typed again within the same 30 s: refused.
    const replay = await rawSignIn({ email: EMAIL, password: PASSWORD, totp: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ error: { code: 'ERR_TOTP_INVALID' } });
    // Nor an older one (the previous step, still inside the tolerance).
    expect((await rawSignIn({ email: EMAIL, password: PASSWORD, totp: totpCode(secret, new Date(clock().getTime() - 30_000)) })).statusCode).toBe(401);
    // The next time step's code works.
    t.advance(30_000);
    expect((await rawSignIn({ email: EMAIL, password: PASSWORD, totp: totpCode(secret, clock()) })).statusCode).toBe(200);
  });

  it('takes a recovery code once (as typed: capitals, spaces), and never again', async () => {
    const [first = '', second = ''] = recoveryCodes;
    const ok = await rawSignIn({ email: EMAIL, password: PASSWORD, totp: ` ${first.toUpperCase().replace('-', ' ')} ` });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(JSON.parse(row()?.totpRecoveryCodes ?? '[]')).toHaveLength(9);
    const again = await rawSignIn({ email: EMAIL, password: PASSWORD, totp: first });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ error: { code: 'ERR_TOTP_INVALID' } });
    expect((await rawSignIn({ email: EMAIL, password: PASSWORD, totp: second })).statusCode).toBe(200);
    expect(t.audit.list({ limit: 50 }).filter((e) => e.action === 'auth.sign_in' && (e.details as { secondFactor?: string } | null)?.secondFactor === 'recovery')).toHaveLength(2);
  });

  it('counts wrong codes in the throttle: after 5, even the right code waits', async () => {
    for (let i = 0; i < 5; i += 1) expect((await rawSignIn({ email: EMAIL, password: PASSWORD, totp: String(100000 + i) })).statusCode).toBe(401);
    const refused = await rawSignIn({ email: EMAIL, password: PASSWORD, totp: totpCode(secret, clock()) });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: { code: 'ERR_RATE_LIMITED' } });
    t.advance(1000);
    expect((await rawSignIn({ email: EMAIL, password: PASSWORD, totp: totpCode(secret, clock()) })).statusCode).toBe(200);
  });
});

describe('MFA_REQUIRED=false', () => {
  beforeEach(async () => {
    t = await authTestApp({ mfaRequired: false });
  });

  it('lets an officer without a second factor in with the password, and still asks for the code once one is set up', async () => {
    const s = await passwordOnly();
    expect(s.body).toMatchObject({ officer: { totpEnabled: false, totpSetupRequired: false } });
    expect((await get('/api/test/ping', s.cookie)).statusCode).toBe(200);
    expect((await get('/api/auth/me', s.cookie)).json()).toMatchObject({ totpEnabled: false, totpSetupRequired: false });
    await addOfficer(t, 'huda@charity.org');
    expect((await rawSignIn({ email: 'huda@charity.org', password: PASSWORD })).json()).toMatchObject({ error: { code: 'ERR_TOTP_REQUIRED' } });
  });
});

describe('the admin reset of a second factor', () => {
  beforeEach(async () => {
    t = await authTestApp();
  });

  it('clears it, ends every session of that officer, is audited, and is for admins only', async () => {
    await addOfficer(t, 'admin@charity.org', 'admin');
    const officer = await addOfficer(t, EMAIL);
    const admin = await signIn(t, 'admin@charity.org');
    const laptop = await signIn(t, EMAIL);
    const phone = await signIn(t, EMAIL);
    expect((await post(`/api/admin/officers/${officer.id}/totp/reset`, laptop)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/admin/officers/${officer.id}/totp/reset`, headers: { cookie: admin.cookie } })).json()).toMatchObject({ error: { code: 'ERR_CSRF' } });
    expect(row()?.totpEnabled).toBe(true);

    const reset = await post(`/api/admin/officers/${officer.id}/totp/reset`, admin);
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toMatchObject({ officer: { id: officer.id, totpEnabled: false } });
    expect(row()).toMatchObject({ totpEnabled: false, totpSecret: null, totpRecoveryCodes: null, totpLastStep: null });
    expect((await get('/api/test/ping', laptop.cookie)).statusCode).toBe(401);
    expect((await get('/api/test/ping', phone.cookie)).statusCode).toBe(401);
    expect((await get('/api/test/ping', admin.cookie)).statusCode).toBe(200);
    const entry = t.audit.list({ limit: 50, action: 'auth.totp_reset' })[0];
    expect(entry).toMatchObject({ officerId: (await t.auth.findByEmail('admin@charity.org'))?.id, targetType: 'officer', targetId: officer.id, details: { wasEnabled: true, endedSessions: 2 } });
    // The password alone opens a session that may only set the factor up again.
    const again = await rawSignIn({ email: EMAIL, password: PASSWORD });
    expect(again.json()).toMatchObject({ officer: { totpSetupRequired: true } });
    expect((await get('/api/test/ping', `tawasul_session=${sessionFrom(again) ?? ''}`)).json()).toMatchObject({ error: { code: 'ERR_TOTP_SETUP_REQUIRED' } });
    expect((await post('/api/admin/officers/nobody/totp/reset', admin)).statusCode).toBe(404);
  });
});
