// An https PUBLIC_URL over real HTTP: HSTS on every answer and the __Host- session cookie; neither behind http.
import { afterEach, describe, expect, it } from 'vitest';
import { HSTS } from '../../src/http/headers.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { totpFor } from '../support/officers.ts';

const EMAIL = 'amal@charity.org';
const PASSWORD = 'quiet lantern orbit 2026';
let gw: TestGateway | undefined;

afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

async function start(publicUrl: string): Promise<string> {
  gw = await startGateway({ PUBLIC_URL: publicUrl });
  await gw.auth.createOfficer({ email: EMAIL, displayName: 'أمل', role: 'officer', password: PASSWORD });
  await gw.listen();
  return gw.url();
}

async function signIn(base: string): Promise<{ res: Response; setCookie: string; token: string }> {
  const res = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD, totp: gw ? await totpFor(gw, EMAIL) : undefined }) });
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const token = /^[^=]+=([^;]+)/.exec(setCookie)?.[1] ?? '';
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return { res, setCookie, token };
}

const me = (base: string, cookie: string) => fetch(`${base}/api/auth/me`, { headers: { cookie } });

describe('PUBLIC_URL https', () => {
  it('sends HSTS on every answer and signs in with a Secure __Host- cookie that later requests are read by', async () => {
    const base = await start('https://chat.example.org');
    const { res, setCookie, token } = await signIn(base);
    expect(setCookie).toMatch(/^__Host-tawasul_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('; Secure');
    expect(setCookie).toContain('; Path=/;');
    expect(setCookie).toContain('; HttpOnly');
    expect(setCookie.toLowerCase()).not.toContain('domain=');
    expect(res.headers.get('strict-transport-security')).toBe(HSTS);

    const signedIn = await me(base, `__Host-tawasul_session=${token}`);
    expect(signedIn.status).toBe(200);
    expect(((await signedIn.json()) as { officer: { email: string } }).officer.email).toBe(EMAIL);
    expect(signedIn.headers.get('strict-transport-security')).toBe(HSTS);
    // The plain name is not read: a cookie planted by a sibling subdomain or an http page gets no session.
    expect((await me(base, `tawasul_session=${token}`)).status).toBe(401);

    for (const path of ['/health', '/', '/inbox', '/widget.js', '/api/no/such/route', '/docs', '/not-a-page']) {
      const answer = await fetch(`${base}${path}`);
      expect(answer.headers.get('strict-transport-security'), path).toBe(HSTS);
    }
    const malformed = await fetch(`${base}/api/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('strict-transport-security')).toBe(HSTS);

    const out = await fetch(`${base}/api/auth/sign-out`, { method: 'POST', headers: { cookie: `__Host-tawasul_session=${token}`, 'x-csrf-token': ((await (await me(base, `__Host-tawasul_session=${token}`)).json()) as { csrfToken: string }).csrfToken } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^__Host-tawasul_session=; .*Max-Age=0.*; Secure$/);
    expect((await me(base, `__Host-tawasul_session=${token}`)).status).toBe(401);
  });
});

describe('PUBLIC_URL http', () => {
  it('sends no HSTS and uses the plain tawasul_session cookie, not Secure', async () => {
    const base = await start('http://localhost:3000');
    const { res, setCookie, token } = await signIn(base);
    expect(setCookie).toMatch(/^tawasul_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).not.toContain('Secure');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    const signedIn = await me(base, `tawasul_session=${token}`);
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('strict-transport-security')).toBeNull();
    expect((await me(base, `__Host-tawasul_session=${token}`)).status).toBe(401);
    expect((await fetch(`${base}/health`)).headers.get('strict-transport-security')).toBeNull();
  });
});
