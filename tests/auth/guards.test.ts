// Guards: 401 without a session, CSRF on writes (token and Origin), roles, and the forced password change.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { officerSessions } from '../../src/db/schema.ts';
import { addOfficer, auditActions, authTestApp, PASSWORD, signIn, signInRequest, type AuthTestApp } from './support.ts';

const HOST = 'localhost:80';

describe('CSRF protection', () => {
  let t: AuthTestApp;
  let cookie: string;
  let csrf: string;
  beforeEach(async () => {
    t = await authTestApp();
    await addOfficer(t, 'amal@charity.org');
    ({ cookie, csrf } = await signIn(t, 'amal@charity.org'));
  });
  afterEach(() => t.close());

  const post = (headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/test/echo', payload: { a: 1 }, headers: { cookie, ...headers } });

  it('refuses a write without the token or with a wrong one, accepts the right one', async () => {
    const attempts: Record<string, string>[] = [{}, { 'x-csrf-token': '' }, { 'x-csrf-token': 'wrong' }, { 'x-csrf-token': `${csrf}x` }];
    for (const headers of attempts) {
      const res = await post(headers);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'ERR_CSRF' } });
    }
    const ok = await post({ 'x-csrf-token': csrf });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ echoed: { a: 1 } });
  });

  it('refuses a write from another origin even with the right token; accepts our own origin', async () => {
    for (const origin of ['https://evil.example.net', 'null', 'http://localhost:8080', 'not a url']) {
      const res = await post({ 'x-csrf-token': csrf, origin });
      expect(res.statusCode, origin).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'ERR_CSRF' } });
    }
    expect((await post({ 'x-csrf-token': csrf, origin: `http://${HOST}`, host: HOST })).statusCode).toBe(200);
    expect((await post({ 'x-csrf-token': csrf, origin: 'https://chat.example.org', host: 'chat.example.org' })).statusCode).toBe(200);
  });

  it('accepts PUBLIC_URL\'s origin when a proxy does not pass the Host header on', async () => {
    const proxied = await authTestApp({ trustedOrigins: ['https://chat.example.org'] });
    try {
      await addOfficer(proxied, 'amal@charity.org');
      const s = await signIn(proxied, 'amal@charity.org', PASSWORD, { origin: 'https://chat.example.org', host: '127.0.0.1:3000' });
      const write = (origin: string) => proxied.app.inject({ method: 'POST', url: '/api/test/echo', payload: {}, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin, host: '127.0.0.1:3000' } });
      expect((await write('https://chat.example.org')).statusCode).toBe(200);
      expect((await write('https://chat.example.org.evil.net')).statusCode).toBe(403);
    } finally {
      await proxied.close();
    }
  });

  it('needs no token for a GET', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/test/ping', headers: { cookie, origin: 'https://evil.example.net' } })).statusCode).toBe(200);
  });

  it('a WebSocket handshake (a GET) from another origin is refused', async () => {
    const ws = (origin: string) => t.app.inject({ method: 'GET', url: '/api/test/ping', headers: { cookie, origin, host: 'chat.example.org', upgrade: 'websocket', connection: 'upgrade' } });
    expect((await ws('https://evil.example.net')).json()).toMatchObject({ error: { code: 'ERR_CSRF' } });
    expect((await ws('https://chat.example.org')).statusCode).toBe(200);
  });

  it('the token belongs to its session: another session\'s token does not work', async () => {
    await addOfficer(t, 'huda@charity.org');
    const other = await signIn(t, 'huda@charity.org');
    expect((await post({ 'x-csrf-token': other.csrf })).statusCode).toBe(403);
  });

  it('sign-in needs no token but refuses a cross-origin page', async () => {
    const res = await signInRequest(t, 'amal@charity.org', PASSWORD, { origin: 'https://evil.example.net' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_CSRF' } });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await signInRequest(t, 'amal@charity.org', PASSWORD, { origin: `http://${HOST}`, host: HOST })).statusCode).toBe(200);
  });

  it('sign-out is a guarded write: no token, no sign-out', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie } })).statusCode).toBe(403);
    expect(t.db.select().from(officerSessions).all()).toHaveLength(1);
  });
});

describe('roles', () => {
  let t: AuthTestApp;
  beforeEach(async () => {
    t = await authTestApp();
  });
  afterEach(() => t.close());

  it('401 without a session, 403 for a role not listed (admin included), 200 for the listed role', async () => {
    await Promise.all([addOfficer(t, 'o@charity.org', 'officer'), addOfficer(t, 'c@charity.org', 'committee'), addOfficer(t, 'a@charity.org', 'admin')]);
    const get = (cookie?: string) => t.app.inject({ method: 'GET', url: '/api/test/committee', headers: cookie ? { cookie } : {} });
    const none = await get();
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: { code: 'ERR_UNAUTHORIZED' } });
    for (const email of ['o@charity.org', 'a@charity.org']) {
      const res = await get((await signIn(t, email)).cookie);
      expect(res.statusCode, email).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'ERR_FORBIDDEN' } });
    }
    expect((await get((await signIn(t, 'c@charity.org')).cookie)).statusCode).toBe(200);
    // A role change applies to live sessions at their next request.
    const officer = await signIn(t, 'o@charity.org');
    const id = (await t.auth.findByEmail('o@charity.org'))?.id ?? '';
    await t.auth.updateOfficer(id, { role: 'committee' });
    expect((await get(officer.cookie)).statusCode).toBe(200);
  });

  it('a write without a session is 401, not a CSRF error', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/test/echo', payload: {} });
    expect(res.statusCode).toBe(401);
  });
});

describe('one-time passwords', () => {
  let t: AuthTestApp;
  beforeEach(async () => {
    t = await authTestApp();
  });
  afterEach(() => t.close());

  it('block every other route until the officer chooses a new password', async () => {
    const { oneTimePassword } = await t.auth.createOfficer({ email: 'new@charity.org', displayName: 'نورة', role: 'officer' });
    expect(oneTimePassword).toMatch(/^[A-Za-z2-9]{16}$/);
    const s = await signIn(t, 'new@charity.org', oneTimePassword);
    expect((s.res.json() as { officer: { mustChangePassword: boolean } }).officer.mustChangePassword).toBe(true);
    const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };

    const blocked = await t.app.inject({ method: 'GET', url: '/api/test/ping', headers });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ error: { code: 'ERR_PASSWORD_CHANGE_REQUIRED' } });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers })).json()).toMatchObject({ officer: { mustChangePassword: true } });

    const change = (current: string, next: string, h: Record<string, string> = headers) => t.app.inject({ method: 'POST', url: '/api/auth/password', headers: h, payload: { current, next } });
    expect((await change(oneTimePassword ?? '', 'new password', { cookie: s.cookie })).statusCode).toBe(403); // CSRF
    const weak = await change(oneTimePassword ?? '', 'short');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'ERR_WEAK_PASSWORD' });
    expect(weak.json().error.message).toContain('at least 12 characters');
    expect((await change(oneTimePassword ?? '', 'new@charity.org')).json().error.message).toContain('email');
    const wrong = await change('not the one-time password', 'a good new password');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toContain('current password');

    const done = await change(oneTimePassword ?? '', 'a good new password');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ officer: { mustChangePassword: false }, csrfToken: s.csrf });
    expect((await t.app.inject({ method: 'GET', url: '/api/test/ping', headers })).statusCode).toBe(200);
    expect((await signInRequest(t, 'new@charity.org', oneTimePassword ?? '')).statusCode).toBe(401);
    expect((await signInRequest(t, 'new@charity.org', 'a good new password')).statusCode).toBe(200);
    expect(auditActions(t)).toContain('auth.password_change');
  });

  it('a password change ends the officer\'s other sessions and keeps this one', async () => {
    await addOfficer(t, 'amal@charity.org');
    const here = await signIn(t, 'amal@charity.org');
    const elsewhere = await signIn(t, 'amal@charity.org');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: here.cookie, 'x-csrf-token': here.csrf }, payload: { current: PASSWORD, next: 'another good password' } });
    expect(res.statusCode).toBe(200);
    const ping = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/test/ping', headers: { cookie } });
    expect((await ping(here.cookie)).statusCode).toBe(200);
    expect((await ping(elsewhere.cookie)).statusCode).toBe(401);
  });
});
