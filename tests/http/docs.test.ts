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
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    // The operation's schemas point into components/schemas: give the validator the whole document as their root.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const lists = Object.entries(doc.paths).filter(([path, ops]) => !path.includes('{') && ops.get?.responses?.['200']?.content?.['application/json']?.schema);
    expect(lists.map(([path]) => path)).toEqual(expect.arrayContaining(['/api/inbox/conversations', '/api/inbox/failed', '/api/admin/officers', '/api/admin/audit', '/api/admin/canned-replies']));
    for (const [path, ops] of lists) {
      // The server serializes through the declared schema (an answer that drifted from it is a 500), and the
      // document's JSON Schema says the same as the zod schema it was generated from.
      const res = await fetch(`${base}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(200);
      const schema = ops.get?.responses?.['200']?.content?.['application/json']?.schema as object;
      const validate = ajv.compile({ ...schema, components: doc.components });
      const body: unknown = await res.json();
      expect(validate(body) ? [] : validate.errors, path).toEqual([]);
    }
  });

  it('gives the areas with a contract a typed 2xx answer for every operation and a request body for every write that takes one', async () => {
    const base = await start({ API_DOCS_PUBLIC: 'true' });
    const doc = (await (await fetch(`${base}/docs/openapi.json`)).json()) as Doc;
    // The areas described in src/api so far; applications, reports, letters and the web chat follow.
    const described = ['/api/auth/', '/api/admin/officers', '/api/admin/audit', '/api/admin/canned-replies', '/api/admin/knowledge', '/api/admin/channels', '/api/admin/nlu/', '/api/inbox/', '/api/contacts/{id}/interactions'];
    // Writes that take no body (the path says it all), and the one that takes multipart.
    const noBody = new Set([
      'post /api/auth/sign-out',
      'post /api/auth/totp/setup',
      'post /api/admin/officers/{id}/reset-password',
      'post /api/admin/officers/{id}/totp/reset',
      'delete /api/admin/canned-replies/{id}',
      'delete /api/admin/knowledge/{id}',
      'post /api/inbox/conversations/{id}/take',
      'post /api/inbox/conversations/{id}/hand-back',
      'post /api/inbox/conversations/{id}/close',
      'post /api/inbox/conversations/{id}/files',
      'post /api/inbox/messages/{id}/retry',
    ]);
    const operations = Object.entries(doc.paths)
      .filter(([path]) => described.some((p) => path.startsWith(p)))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method} ${path}`, method, op })));
    expect(operations.length).toBeGreaterThanOrEqual(30);
    // A declared 204 is typed: it has no body by definition.
    const typed = (code: string, r: { content?: Record<string, { schema?: unknown }> }) => code === '204' || (/^2\d\d$/.test(code) && Object.values(r.content ?? {}).some((c) => c.schema !== undefined));
    const untyped = operations.filter(({ op }) => !Object.entries(op.responses ?? {}).some(([code, r]) => typed(code, r)));
    const noRequestBody = operations.filter(({ key, method, op }) => method !== 'get' && !noBody.has(key) && op.requestBody === undefined);
    expect(untyped.map((o) => o.key)).toEqual([]);
    expect(noRequestBody.map((o) => o.key)).toEqual([]);
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
