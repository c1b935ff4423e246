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
    expect(await html.text()).toContain('swagger-ui');
    const json = await fetch(`${base}/docs/openapi.json`, { headers: { cookie: admin } });
    expect(json.status).toBe(200);
    const doc = (await json.json()) as { openapi: string; paths: Record<string, unknown>; components: { securitySchemes: { session: { name: string } } } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/inbox/conversations', '/api/auth/sign-in', '/api/webchat/sessions']));
    // Pages, webhooks, /metrics and the docs themselves are not part of the API description; what load balancers call is.
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/'))).toEqual(['/health', '/ready']);
    expect(doc.components.securitySchemes.session.name).toBe('tawasul_session');
  });

  it('are open to anyone with API_DOCS_PUBLIC=true, naming the __Host- cookie behind https', async () => {
    const base = await start({ API_DOCS_PUBLIC: 'true', PUBLIC_URL: 'https://chat.example.org' });
    const html = await fetch(`${base}/docs`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('swagger-ui');
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

describe('the API contract (src/api)', () => {
  interface Operation {
    responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
    parameters?: { in: string; required?: boolean }[];
    requestBody?: unknown;
  }
  type Doc = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, unknown> } };

  it('is a valid OpenAPI 3.1 document, with typed answers and request bodies where routes declare them', async () => {
    const base = await start({ API_DOCS_PUBLIC: 'true' });
    const doc = (await (await fetch(`${base}/docs/openapi.json`)).json()) as Doc;
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(doc as unknown as Parameters<InstanceType<typeof Validator>["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The officer's tools are described field by field, errors included.
    const list = doc.paths['/api/admin/canned-replies']?.get;
    expect(list?.responses?.['200']?.content?.['application/json']?.schema).toBeDefined();
    expect(list?.responses?.['4XX']?.content?.['application/json']?.schema).toBeDefined();
    expect(doc.paths['/api/admin/knowledge']?.post?.requestBody).toBeDefined();
    expect(Object.keys(doc.components?.schemas ?? {})).toEqual(expect.arrayContaining(['CannedReply', 'KnowledgeArticle', 'Error']));
  });

  it('every documented list answers an admin in the shape it declares', async () => {
    const base = await start({ API_DOCS_PUBLIC: 'true' });
    const cookie = await cookieFor(base, 'admin');
    const csrf = await csrfFor(base, cookie);
    // Something in each list, so the answer's items are checked too.
    await fetch(`${base}/api/admin/canned-replies`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'المواعيد', textAr: 'نرد خلال أسبوعين', textEn: 'We answer within two weeks' }) });
    await fetch(`${base}/api/admin/knowledge`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify({ category: 'bylaws', title: 'اللائحة', body: 'المادة الأولى' }) });
    const doc = (await (await fetch(`${base}/docs/openapi.json`)).json()) as Doc;
    const lists = Object.entries(doc.paths).filter(([path, ops]) => !path.includes('{') && ops.get?.responses?.['200']?.content?.['application/json']?.schema);
    expect(lists.length).toBeGreaterThanOrEqual(5);
    for (const [path] of lists) {
      // The server serializes through the declared schema: an answer that drifted from it is a 500 here.
      const res = await fetch(`${base}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(200);
    }
  });

  it('names each bad field, and checks the session before the body', async () => {
    const base = await start();
    const anonymous = await fetch(`${base}/api/admin/knowledge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ category: 'nope' }) });
    expect(anonymous.status).toBe(401);
    const cookie = await cookieFor(base, 'admin');
    const csrf = await csrfFor(base, cookie);
    const bad = await fetch(`${base}/api/admin/knowledge`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify({ category: 'nope', title: '' }) });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('ERR_VALIDATION');
    expect(error.message).toMatch(/body\.category/);
    expect(error.message).toMatch(/body\.title/);
    expect(error.message).toMatch(/body\.body/);
  });
});

async function csrfFor(base: string, cookie: string): Promise<string> {
  const me = await fetch(`${base}/api/auth/me`, { headers: { cookie } });
  return ((await me.json()) as { csrfToken: string }).csrfToken;
}
