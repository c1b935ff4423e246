// The gateway's own pages: the demo charity home page and the widget script; test fixtures are not among them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.ts';
import { isAppError } from '../../src/core/errors.ts';
import { registerHelmet } from '../../src/http/security.ts';
import { registerStaticRoutes } from '../../src/http/static.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { tempDir } from '../support/temp-db.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(() => gw.close());

describe('demo page', () => {
  it('GET / is the example charity home page in Arabic, right to left, with the widget script', async () => {
    const res = await gw.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<script src="/widget.js" data-locale="ar" async></script>');
    expect(html).toContain('جمعية البر النموذجية');
    for (const id of ['about', 'services', 'apply', 'contact']) expect(html).toContain(`id="${id}"`);
    expect(html).toMatch(/font-family:[^;]*Arabic/);
    // No inline script: the CSP allows only the gateway's own scripts.
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script src="/widget.js" data-locale="ar" async>']);
  });

  it('sends security headers that still let the widget talk to its API and stream', async () => {
    const res = await gw.app.inject({ method: 'GET', url: '/', headers: { host: 'chat.example.org' } });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://chat.example.org wss://chat.example.org");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    // A forged Host cannot inject into the policy.
    const forged = await gw.app.inject({ method: 'GET', url: '/', headers: { host: "evil.example; script-src 'unsafe-inline'" } });
    const directives = String(forged.headers['content-security-policy']).split(/;\s*/);
    expect(directives.filter((d) => d.startsWith('script-src'))).toEqual(["script-src 'self'"]);
    expect(directives).toContain("connect-src 'self'");
  });

  it('serves no test fixture: the hostile-CSS page lives in the browser tests', async () => {
    const res = await gw.app.inject({ method: 'GET', url: '/demo/hostile' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it('the pages need no allowlist entry: their own origin may use the API', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', headers: { origin: 'http://localhost' }, payload: {} });
    expect(res.statusCode).toBe(201);
  });
});

describe('GET /widget.js from the real build', () => {
  const build = path.join(ROOT_DIR, 'web/widget/build.mjs');
  const dist = path.join(ROOT_DIR, 'web/widget/dist/widget.js');

  it('serves web/widget/dist/widget.js as JavaScript (after building it when the build script exists)', async () => {
    if (fs.existsSync(build)) execFileSync(process.execPath, [build], { cwd: ROOT_DIR, stdio: 'pipe', timeout: 60_000 });
    const res = await gw.app.inject({ method: 'GET', url: '/widget.js' });
    if (!fs.existsSync(dist)) {
      // No widget build yet in this checkout: the answer says how to make one.
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'ERR_NOT_FOUND' } });
      expect(res.body).toContain('npm run build:widget');
      return;
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.rawPayload.equals(fs.readFileSync(dist))).toBe(true);
  });
});

describe('static routes on a scratch web folder', () => {
  let app: FastifyInstance;
  let web: string;
  beforeAll(async () => {
    web = tempDir('tawasul-web-');
    app = Fastify();
    app.setErrorHandler((err, _req, reply) => {
      if (!isAppError(err)) throw err;
      return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
    });
    await registerHelmet(app);
    await registerStaticRoutes(app, { webDir: web });
    await app.ready();
  });
  afterAll(() => app.close());

  it('says to build the widget when it is missing', async () => {
    const res = await app.inject({ method: 'GET', url: '/widget.js' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'ERR_NOT_FOUND', message: expect.stringContaining('run npm run build:widget') } });
  });

  it('serves the built file with a short cache, an ETag, 304 on a match, and picks up a rebuild', async () => {
    fs.mkdirSync(path.join(web, 'widget/dist'), { recursive: true });
    const file = path.join(web, 'widget/dist/widget.js');
    fs.writeFileSync(file, 'console.log("v1");\n');
    const res = await app.inject({ method: 'GET', url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const etag = String(res.headers.etag);
    expect(etag).toMatch(/^(W\/)?"[\w-]+"$/);
    expect((await app.inject({ method: 'GET', url: '/widget.js', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    fs.writeFileSync(file, 'console.log("version 2");\n');
    const rebuilt = await app.inject({ method: 'GET', url: '/widget.js', headers: { 'if-none-match': etag } });
    expect(rebuilt.statusCode).toBe(200);
    expect(rebuilt.body).toContain('version 2');
  });
});
