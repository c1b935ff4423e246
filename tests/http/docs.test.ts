// /docs and /docs/openapi.json over real HTTP: admins only unless API_DOCS_PUBLIC=true.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.ts';
import type { OfficerRole } from '../../src/db/schema.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { totpFor } from '../support/officers.ts';

const PASSWORD = 'quiet lantern orbit 2026';
let gw: TestGateway | undefined;

afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

async function start(env: Record<string, string> = {}): Promise<string> {
  gw = await startGateway(env);
  await gw.listen();
  return gw.url();
}

async function cookieFor(base: string, role: OfficerRole): Promise<string> {
  const email = `${role}@charity.org`;
  await gw?.auth.createOfficer({ email, displayName: `Test ${role}`, role, password: PASSWORD });
  const res = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD, totp: gw ? await totpFor(gw, email) : undefined }) });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function errorCode(res: Response): Promise<string> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return ((await res.json()) as { error: { code: string; message: string } }).error.code;
}

describe('API docs', () => {
  it('refuse anonymous readers (401) and non-admins (403), and open for an admin', async () => {
    const base = await start();
    for (const path of ['/docs', '/docs/openapi.json']) {
      const anonymous = await fetch(`${base}${path}`);
      expect(anonymous.status, path).toBe(401);
      expect(await errorCode(anonymous)).toBe('ERR_UNAUTHORIZED');
    }
    const officer = await cookieFor(base, 'officer');
    for (const path of ['/docs', '/docs/openapi.json']) {
      const refused = await fetch(`${base}${path}`, { headers: { cookie: officer } });
      expect(refused.status, path).toBe(403);
      expect(await errorCode(refused)).toBe('ERR_FORBIDDEN');
    }
    const admin = await cookieFor(base, 'admin');
    const html = await fetch(`${base}/docs`, { headers: { cookie: admin } });
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('/api/inbox/conversations');
    const json = await fetch(`${base}/docs/openapi.json`, { headers: { cookie: admin } });
    expect(json.status).toBe(200);
    const doc = (await json.json()) as { openapi: string; components: { securitySchemes: { session: { name: string } } } };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.session.name).toBe('tawasul_session');
  });

  it('are open to anyone with API_DOCS_PUBLIC=true, naming the __Host- cookie behind https', async () => {
    const base = await start({ API_DOCS_PUBLIC: 'true', PUBLIC_URL: 'https://chat.example.org' });
    const html = await fetch(`${base}/docs`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('/api/inbox/conversations');
    const json = await fetch(`${base}/docs/openapi.json`);
    expect(json.status).toBe(200);
    const doc = (await json.json()) as { components: { securitySchemes: { session: { name: string } } } };
    expect(doc.components.securitySchemes.session.name).toBe('__Host-tawasul_session');
  });

  it('API_DOCS_PUBLIC takes true/false/1/0 and refuses anything else at start-up', () => {
    expect(parseConfig({}).apiDocsPublic).toBe(false);
    expect(parseConfig({ API_DOCS_PUBLIC: 'true' }).apiDocsPublic).toBe(true);
    expect(parseConfig({ API_DOCS_PUBLIC: '1' }).apiDocsPublic).toBe(true);
    expect(parseConfig({ API_DOCS_PUBLIC: 'false' }).apiDocsPublic).toBe(false);
    expect(() => parseConfig({ API_DOCS_PUBLIC: 'yes' })).toThrow(ConfigError);
  });
});
