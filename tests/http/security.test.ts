// Web chat abuse protection: the origin allowlist (HTTP, preflight, WebSocket), identity verification, rate limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConfigError, parseConfig } from '../../src/config.ts';
import { userHashFor } from '../../src/webchat/identity.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';

const SECRET = 'test-identity-secret-0123456789abcdef';
const CHARITY = 'https://charity.example.org';
const EVIL = 'https://evil.example.net';

function rows(gw: TestGateway, table: 'messages' | 'webchat_sessions' | 'contact_identities'): number {
  return (gw.db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
}

async function newSession(gw: TestGateway, headers: Record<string, string> = {}, payload: object = {}) {
  return gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', headers, payload });
}

async function token(gw: TestGateway, headers: Record<string, string> = {}): Promise<string> {
  const res = await newSession(gw, headers);
  expect(res.statusCode).toBe(201);
  return (res.json() as { token: string }).token;
}

/** Opens a WebSocket and resolves with how it ended up: open (with its first frame) or refused (HTTP status). */
function connect(url: string, origin?: string): Promise<{ open: true; first: string } | { open: false; status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('message', (d) => {
      resolve({ open: true, first: String(d) });
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ open: false, status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', (err) => reject(err));
  });
}

describe('origin allowlist', () => {
  let gw: TestGateway;
  let base: string;
  beforeAll(async () => {
    gw = await startGateway({ WEBCHAT_ALLOWED_ORIGINS: `${CHARITY}, https://second.example.org/`, PUBLIC_URL: 'https://chat.example.org' });
    await gw.listen();
    base = gw.url();
  });
  afterAll(() => gw.close());

  it('refuses a foreign origin with 403 and stores nothing', async () => {
    const sessions = rows(gw, 'webchat_sessions');
    const res = await newSession(gw, { origin: EVIL });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_FORBIDDEN' } });
    expect(res.json().error.message).toContain('WEBCHAT_ALLOWED_ORIGINS');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(rows(gw, 'webchat_sessions')).toBe(sessions);

    const t = await token(gw);
    const messages = rows(gw, 'messages');
    const send = await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { origin: EVIL, authorization: `Bearer ${t}` }, payload: { text: 'hi' } });
    expect(send.statusCode).toBe(403);
    expect(rows(gw, 'messages')).toBe(messages);
    const history = await gw.app.inject({ method: 'GET', url: '/api/webchat/messages', headers: { origin: 'null', authorization: `Bearer ${t}` } });
    expect(history.statusCode).toBe(403);
  });

  it('allows configured origins, PUBLIC_URL and same-origin pages, with CORS headers', async () => {
    for (const origin of [CHARITY, 'https://second.example.org', 'https://chat.example.org']) {
      const res = await newSession(gw, { origin });
      expect(res.statusCode, origin).toBe(201);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers.vary).toContain('Origin');
      expect(res.headers['access-control-expose-headers']).toBe('retry-after');
    }
    // The page was served by this gateway: Origin matches the Host it called.
    const same = await fetch(`${base}/api/webchat/sessions`, { method: 'POST', headers: { origin: base, 'content-type': 'application/json' }, body: '{}' });
    expect(same.status).toBe(201);
    // A look-alike host is not the same origin.
    expect((await newSession(gw, { origin: 'https://charity.example.org.evil.example.net' })).statusCode).toBe(403);
  });

  it('allows requests without an Origin header (servers, curl)', async () => {
    const res = await newSession(gw);
    expect(res.statusCode).toBe(201);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps CORS headers on error answers so the page can read them', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { origin: CHARITY }, payload: { text: 'x' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe(CHARITY);
  });

  it('answers preflights with 204 for allowed origins and 403 for others', async () => {
    const headers = { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-filename' };
    for (const url of ['/api/webchat/messages', '/api/webchat/uploads', '/api/webchat/sessions']) {
      const ok = await gw.app.inject({ method: 'OPTIONS', url, headers: { ...headers, origin: CHARITY } });
      expect(ok.statusCode, url).toBe(204);
      expect(ok.headers['access-control-allow-origin']).toBe(CHARITY);
      expect(String(ok.headers['access-control-allow-methods'])).toMatch(/GET.*POST.*OPTIONS/);
      expect(String(ok.headers['access-control-allow-headers'])).toBe('authorization, content-type, x-filename');
    }
    const bad = await gw.app.inject({ method: 'OPTIONS', url: '/api/webchat/messages', headers: { ...headers, origin: EVIL } });
    expect(bad.statusCode).toBe(403);
    expect(bad.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('checks the Origin of the WebSocket upgrade the same way', async () => {
    const t = await token(gw);
    const url = `${base.replace('http', 'ws')}/api/webchat/stream?token=${t}`;
    const refused = await connect(url, EVIL);
    expect(refused).toEqual({ open: false, status: 403 });
    for (const origin of [CHARITY, base, undefined]) {
      const ok = await connect(url, origin);
      expect(ok.open, String(origin)).toBe(true);
      if (ok.open) expect(JSON.parse(ok.first)).toHaveProperty('id');
    }
  });
});

describe('origin defaults', () => {
  it('allows only the gateway itself when nothing is configured, and any origin with "*"', async () => {
    const strict = await startGateway();
    try {
      expect((await newSession(strict, { origin: CHARITY })).statusCode).toBe(403);
      expect((await newSession(strict, { origin: 'http://localhost:80' })).statusCode).toBe(201);
    } finally {
      await strict.close();
    }
    const open = await startGateway({ WEBCHAT_ALLOWED_ORIGINS: '*' });
    try {
      const res = await newSession(open, { origin: EVIL });
      expect(res.statusCode).toBe(201);
      expect(res.headers['access-control-allow-origin']).toBe(EVIL);
    } finally {
      await open.close();
    }
  });
});

describe('identity verification', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ WEBCHAT_IDENTITY_SECRET: SECRET });
  });
  afterAll(() => gw.close());

  it('a signed user id gets the same contact and history on every device', async () => {
    const userId = 'member-4217';
    const userHash = userHashFor(SECRET, userId);
    const a = await newSession(gw, {}, { userId, userHash, locale: 'ar', displayName: 'سارة' });
    expect(a.statusCode).toBe(201);
    const tokenA = (a.json() as { token: string }).token;
    const send = await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${tokenA}` }, payload: { text: 'السلام عليكم' } });
    expect(send.statusCode).toBe(202);
    // Another device; the hash is accepted in either case.
    const b = await newSession(gw, {}, { userId, userHash: userHash.toUpperCase() });
    expect(b.statusCode).toBe(201);
    const tokenB = (b.json() as { token: string }).token;
    expect(tokenB).not.toBe(tokenA);
    const history = async (t: string) => (await gw.app.inject({ method: 'GET', url: '/api/webchat/messages', headers: { authorization: `Bearer ${t}` } })).json() as { messages: { id: number; text: string }[] };
    const ha = await history(tokenA);
    const hb = await history(tokenB);
    expect(hb.messages.map((m) => m.id)).toEqual(ha.messages.map((m) => m.id));
    expect(hb.messages.some((m) => m.text === 'السلام عليكم')).toBe(true);
    const identities = gw.db.$client.prepare(`select address, display_name from contact_identities where address = ?`).all(`user:${userId}`);
    expect(identities).toEqual([{ address: `user:${userId}`, display_name: 'سارة' }]);
  });

  it('refuses a wrong or missing hash with 401 and stores nothing', async () => {
    const sessions = rows(gw, 'webchat_sessions');
    const identities = rows(gw, 'contact_identities');
    const good = userHashFor(SECRET, 'member-1');
    for (const payload of [
      { userId: 'member-1', userHash: userHashFor('another-secret-0123456789', 'member-1') },
      { userId: 'member-1', userHash: userHashFor(SECRET, 'member-2') },
      { userId: 'member-1' },
      { userId: 'member-1', userHash: good.slice(0, 63) },
      { userId: 'member-1', userHash: `${good}00` },
      { userId: 'member-1', userHash: 'zz'.repeat(32) },
    ]) {
      const res = await newSession(gw, {}, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'ERR_UNAUTHORIZED' } });
    }
    expect(rows(gw, 'webchat_sessions')).toBe(sessions);
    expect(rows(gw, 'contact_identities')).toBe(identities);
  });

  it('validates userId and refuses a hash without an id', async () => {
    for (const payload of [{ userId: '' }, { userId: 'x'.repeat(129) }, { userId: 'a\nb', userHash: 'x' }, { userHash: userHashFor(SECRET, 'x') }]) {
      expect((await newSession(gw, {}, payload)).statusCode, JSON.stringify(payload)).toBe(400);
    }
    const max = 'ع'.repeat(128);
    expect((await newSession(gw, {}, { userId: max, userHash: userHashFor(SECRET, max) })).statusCode).toBe(201);
  });

  it('says clearly that verification is off when no secret is configured', async () => {
    const plain = await startGateway();
    try {
      const res = await newSession(plain, {}, { userId: 'member-1', userHash: userHashFor(SECRET, 'member-1') });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'ERR_VALIDATION' } });
      expect(res.json().error.message).toContain('WEBCHAT_IDENTITY_SECRET');
      expect(rows(plain, 'webchat_sessions')).toBe(0);
    } finally {
      await plain.close();
    }
  });
});

describe('rate limits', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ WEBCHAT_RATE_LIMIT: '3', WEBCHAT_IP_RATE_LIMIT: '8', WEBCHAT_SESSION_RATE_LIMIT: '2' });
    await gw.listen();
  });
  afterAll(() => gw.close());

  // Each test speaks from its own client IP (the test client is a trusted local proxy).
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  function expect429(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_RATE_LIMITED' } });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  }

  it('limits messages per token (429 with Retry-After, nothing stored); other tokens are unaffected', async () => {
    const a = await token(gw, from('198.51.100.1'));
    const b = await token(gw, from('198.51.100.2'));
    const send = (t: string, ip: string, text: string) =>
      gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { ...from(ip), authorization: `Bearer ${t}` }, payload: { text } });
    for (let i = 0; i < 3; i++) expect((await send(a, '198.51.100.1', 'مرحبا')).statusCode).toBe(202);
    const n = rows(gw, 'messages');
    const refused = await send(a, '198.51.100.3', 'مرحبا');
    expect429(refused);
    // A one-minute window: never asked to wait longer than that.
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(rows(gw, 'messages')).toBe(n);
    // Uploads spend the same allowance.
    const upload = await gw.app.inject({ method: 'POST', url: '/api/webchat/uploads', headers: { ...from('198.51.100.3'), authorization: `Bearer ${a}`, 'content-type': 'application/pdf' }, payload: Buffer.from('%PDF-1.4\n') });
    expect429(upload);
    expect((await send(b, '198.51.100.2', 'مرحبا')).statusCode).toBe(202);
  });

  it('limits new sessions per IP', async () => {
    const n = rows(gw, 'webchat_sessions');
    expect((await newSession(gw, from('203.0.113.5'))).statusCode).toBe(201);
    expect((await newSession(gw, from('203.0.113.5'))).statusCode).toBe(201);
    expect429(await newSession(gw, from('203.0.113.5')));
    expect(rows(gw, 'webchat_sessions')).toBe(n + 2);
    expect((await newSession(gw, from('203.0.113.6'))).statusCode).toBe(201);
  });

  it('limits all web chat requests per IP, the WebSocket upgrade included; preflights are free', async () => {
    const t = await token(gw, from('192.0.2.10'));
    const ip = from('192.0.2.10');
    for (let i = 0; i < 3; i++) {
      expect((await gw.app.inject({ method: 'OPTIONS', url: '/api/webchat/messages', headers: { ...ip, origin: 'http://localhost:80' } })).statusCode).toBe(204);
    }
    // One request went to the session; seven more fit in the limit of eight.
    for (let i = 0; i < 7; i++) {
      expect((await gw.app.inject({ method: 'GET', url: '/api/webchat/messages', headers: { ...ip, authorization: `Bearer ${t}` } })).statusCode).toBe(200);
    }
    expect429(await gw.app.inject({ method: 'GET', url: '/api/webchat/messages', headers: { ...ip, authorization: `Bearer ${t}` } }));
    const ws = new WebSocket(`${gw.url().replace('http', 'ws')}/api/webchat/stream?token=${t}`, { headers: ip });
    const status = await new Promise<number>((resolve) => {
      ws.once('open', () => resolve(101));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
    ws.terminate();
    expect(status).toBe(429);
    // Other paths (health, webhooks, pages) are not counted.
    expect((await gw.app.inject({ method: 'GET', url: '/health', headers: ip })).statusCode).toBe(200);
  });

  it('believes X-Forwarded-For only from a local proxy', async () => {
    const direct = { remoteAddress: '198.51.100.77' };
    expect((await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', ...direct, headers: from('10.9.9.1'), payload: {} })).statusCode).toBe(201);
    expect((await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', ...direct, headers: from('10.9.9.2'), payload: {} })).statusCode).toBe(201);
    // Still the same client, whatever it claims.
    expect429(await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', ...direct, headers: from('10.9.9.3'), payload: {} }));
  });
});

describe('web chat settings', () => {
  it('has safe defaults', () => {
    const c = parseConfig({});
    expect(c.webchat).toEqual({
      allowedOrigins: [],
      identitySecret: undefined,
      tokenRateLimit: 30,
      ipRateLimit: 300,
      sessionRateLimit: 60,
      wsPerToken: 3,
      wsPerIp: 200,
      tokenIdleDays: 7,
      tokenMaxDays: 30,
    });
    expect(c.uploadMaxBytes).toBe(5 * 1024 * 1024);
    expect(parseConfig({ WEBCHAT_ALLOWED_ORIGINS: '', WEBCHAT_IDENTITY_SECRET: '', UPLOAD_MAX_BYTES: '' }).webchat.identitySecret).toBeUndefined();
  });

  it('normalises origins and accepts "*" alone', () => {
    expect(parseConfig({ WEBCHAT_ALLOWED_ORIGINS: ' https://Charity.Example.org/ ,http://localhost:8080' }).webchat.allowedOrigins).toEqual(['https://charity.example.org', 'http://localhost:8080']);
    expect(parseConfig({ WEBCHAT_ALLOWED_ORIGINS: '*' }).webchat.allowedOrigins).toBe('*');
  });

  it('lists every bad web chat setting at once', () => {
    try {
      parseConfig({
        WEBCHAT_ALLOWED_ORIGINS: 'charity.example.org, https://ok.example.org/path, ftp://x.example.org',
        WEBCHAT_IDENTITY_SECRET: 'short',
        UPLOAD_MAX_BYTES: String(26 * 1024 * 1024),
        WEBCHAT_RATE_LIMIT: '0',
        WEBCHAT_IP_RATE_LIMIT: 'many',
        WEBCHAT_SESSION_RATE_LIMIT: '-1',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const text of ['"charity.example.org"', '"https://ok.example.org/path"', '"ftp://x.example.org"', 'WEBCHAT_IDENTITY_SECRET', 'UPLOAD_MAX_BYTES', '25 MiB', 'WEBCHAT_RATE_LIMIT', 'WEBCHAT_IP_RATE_LIMIT', 'WEBCHAT_SESSION_RATE_LIMIT']) {
        expect(problems).toContain(text);
      }
    }
    expect(() => parseConfig({ WEBCHAT_ALLOWED_ORIGINS: '*, https://charity.example.org' })).toThrow(/cannot be combined/);
  });
});
