// Security headers over real HTTP: every /api answer is no-store and nosniff (errors, 404s, web chat, downloads).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerHolds, startGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
let base: string;
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  base = gw.url();
});

afterAll(async () => {
  await gw.close();
});

function expectApiHeaders(res: Response, label: string, cacheControl = 'no-store'): void {
  expect(res.headers.get('cache-control'), label).toBe(cacheControl);
  expect(res.headers.get('x-content-type-options'), label).toBe('nosniff');
}

describe('headers on every /api answer', () => {
  it('are on successes, validation errors, 401s, 404s and malformed URLs, and not forced elsewhere', async () => {
    const created = await fetch(`${base}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(created.status).toBe(201);
    expectApiHeaders(created, 'web chat session');
    const { token } = (await created.json()) as { token: string };

    const history = await fetch(`${base}/api/webchat/messages`, { headers: { authorization: `Bearer ${token}` } });
    expect(history.status).toBe(200);
    expectApiHeaders(history, 'web chat history');

    const noToken = await fetch(`${base}/api/webchat/messages`);
    expect(noToken.status).toBe(401);
    expectApiHeaders(noToken, 'web chat without token');

    const badJson = await fetch(`${base}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { code: string } }).error.code).toBe('ERR_VALIDATION');
    expectApiHeaders(badJson, 'bad JSON');

    const me = await fetch(`${base}/api/auth/me`);
    expect(me.status).toBe(401);
    expectApiHeaders(me, 'auth/me without session');

    const inbox = await fetch(`${base}/api/inbox/conversations`);
    expect(inbox.status).toBe(401);
    expectApiHeaders(inbox, 'inbox without session');

    const missing = await fetch(`${base}/api/no/such/route`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('ERR_NOT_FOUND');
    expectApiHeaders(missing, '404');

    const malformed = await fetch(`${base}/api/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    expectApiHeaders(malformed, 'malformed URL');

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('cache-control')).not.toBe('no-store');
  });

  it('a web chat download keeps its own private, no-store and nosniff', async () => {
    const created = (await (await fetch(`${base}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as {
      token: string;
      conversationId: string;
    };
    await officerHolds(gw, created.conversationId);
    const up = await fetch(`${base}/api/webchat/uploads`, { method: 'POST', headers: { authorization: `Bearer ${created.token}`, 'content-type': 'application/pdf' }, body: PDF });
    expect(up.status).toBe(202);
    expectApiHeaders(up, 'upload');
    const { attachment } = (await up.json()) as { attachment: { id: string } };
    const down = await fetch(`${base}/api/webchat/uploads/${attachment.id}`, { headers: { authorization: `Bearer ${created.token}` } });
    expect(down.status).toBe(200);
    expect(Buffer.from(await down.arrayBuffer()).equals(PDF)).toBe(true);
    expectApiHeaders(down, 'download', 'private, no-store');
  });
});

describe("the inbox's words", () => {
  it('are served per language from locales/<lang>/inbox.json ("ui" only), JSON and nosniff, revalidated with an ETag', async () => {
    const ar = await fetch(`${base}/inbox/strings/ar.json`);
    expect(ar.status).toBe(200);
    expect(ar.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(ar.headers.get('cache-control')).toBe('no-cache');
    expect(ar.headers.get('x-content-type-options')).toBe('nosniff');
    const words = (await ar.json()) as Record<string, unknown>;
    expect(words.signIn).toBe('دخول');
    expect(words.dir).toBe('rtl');
    // Only the inbox's part: the server's own texts in the same file stay on the server.
    expect(words).not.toHaveProperty('officer_joined');
    const etag = ar.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${base}/inbox/strings/ar.json`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const en = await fetch(`${base}/inbox/strings/en.json`, { headers: { 'if-none-match': etag } });
    expect(en.status).toBe(200);
    expect(((await en.json()) as Record<string, unknown>).signIn).toBe('Sign in');
    expect(en.headers.get('etag')).not.toBe(etag);

    expect((await fetch(`${base}/inbox/strings/fr.json`)).status).toBe(404);
    expect((await fetch(`${base}/inbox/strings/..%2F..%2Fpackage.json`)).status).toBe(404);
  });
});
