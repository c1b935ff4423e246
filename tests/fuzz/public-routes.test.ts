// Property-based fuzzing of every public route over real HTTP and WebSocket on 127.0.0.1: at least 10,000
// generated requests (web chat, uploads, stream, each webhook, sign-in). Never a 5xx, never a crash, nothing
// stored from a refused request, and the process still answers /health afterwards.
// FUZZ_SEED=<n> replays a run; FUZZ_RUNS raises the count locally.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { count } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as schema from '../../src/db/schema.ts';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.ts';
import { FakeTwilioApi } from '../fakes/twilio-api.ts';
import { FakeWhatsappGraph } from '../fakes/whatsapp-graph.ts';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL } from '../sms/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { SECRET as TELEGRAM_SECRET, TOKEN as TELEGRAM_TOKEN } from '../telegram/support.ts';
import { APP_SECRET, TOKEN as WHATSAPP_TOKEN, VERIFY_TOKEN } from '../whatsapp/support.ts';
import { fuzzRequest, type FuzzRequest, type Secrets } from './requests.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let gw: TestGateway;
let telegram: FakeTelegramBotApi;
let graph: FakeWhatsappGraph;
let twilio: FakeTwilioApi;
let secrets: Secrets;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const crashes: unknown[] = [];
const onCrash = (err: unknown) => crashes.push(err);

beforeAll(async () => {
  telegram = new FakeTelegramBotApi({ token: TELEGRAM_TOKEN });
  const { apiRoot } = await telegram.start();
  graph = new FakeWhatsappGraph({ token: WHATSAPP_TOKEN });
  await graph.start();
  twilio = new FakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const { apiUrl } = await twilio.start();
  gw = await startGateway({
    PUBLIC_URL,
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_API_ROOT: apiRoot,
    WHATSAPP_ACCESS_TOKEN: WHATSAPP_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_GRAPH_URL: graph.url,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: apiUrl,
  });
  await gw.listen();
  const tokens: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${gw.url()}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    tokens.push(((await res.json()) as { token: string }).token);
  }
  secrets = { tokens, telegramSecret: TELEGRAM_SECRET, whatsappAppSecret: APP_SECRET, whatsappVerifyToken: VERIFY_TOKEN, twilioAuthToken: AUTH_TOKEN, publicUrl: PUBLIC_URL };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
}, 60_000);

afterAll(async () => {
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  agent.destroy();
  await gw?.close();
  await Promise.all([telegram?.stop(), graph?.stop(), twilio?.stop()]);
});

// Every table a beneficiary's request can write, and the files under DATA_DIR/uploads. (Failed sign-ins write
// the throttle and the audit log on purpose: counting guesses is what those are for.)
const COUNTED = {
  contacts: schema.contacts,
  identities: schema.contactIdentities,
  conversations: schema.conversations,
  messages: schema.messages,
  outbox: schema.outbox,
  webchatSessions: schema.webchatSessions,
  applications: schema.applications,
  statusRequests: schema.statusRequests,
  volunteers: schema.volunteers,
  feedback: schema.feedback,
  attachments: schema.attachments,
};

function filesUnder(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

function snapshot(): Record<string, number> {
  const out: Record<string, number> = { files: filesUnder(path.join(gw.dir, 'uploads')) };
  for (const [name, table] of Object.entries(COUNTED)) out[name] = gw.db.select({ n: count() }).from(table).get()?.n ?? 0;
  return out;
}

interface Answer {
  status: number;
  body: string;
}

// Header values go on the wire as their UTF-8 bytes (an emoji Content-Type arrives as such); only control
// characters, which no HTTP client can send, are left out.
const wire = (v: string) => Buffer.from(v, 'utf8').toString('latin1').replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');

function send(req: FuzzRequest): Promise<Answer> {
  const url = new URL(gw.url());
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, wire(v)]));
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, agent, headers: { ...headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.setTimeout(15_000, () => r.destroy(new Error(`no answer in 15 s: ${req.method} ${req.path}`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

describe('fuzzing the public routes', () => {
  it(`${RUNS} generated requests: never a 5xx, nothing stored from a refused one, errors in the one shape`, async () => {
    const seen = new Map<string, Map<number, number>>();
    await fc.assert(
      fc.asyncProperty(fuzzRequest(secrets), async (req) => {
        const before = snapshot();
        const answer = await send(req);
        const byStatus = seen.get(req.route) ?? new Map<number, number>();
        byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
        seen.set(req.route, byStatus);
        const what = `${req.route}: ${req.method} ${req.path.slice(0, 120)} → ${answer.status} ${answer.body.slice(0, 200)}`;
        expect(answer.status, what).toBeLessThan(500);
        if (answer.status >= 400) {
          expect(snapshot(), `refused request stored something: ${what}`).toEqual(before);
          // A refusal under /api/ is always { error: { code, message } } — except 431, which Node's HTTP parser
          // sends itself (with no body) for a request line over 16 KB, before Fastify sees anything.
          if (req.path.startsWith('/api/') && answer.status !== 431) {
            const body = (JSON.parse(answer.body || 'null') ?? {}) as { error?: { code?: unknown; message?: unknown } };
            expect(typeof body.error?.code, what).toBe('string');
            expect(typeof body.error?.message, what).toBe('string');
          }
        }
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
    );
    expect(crashes).toEqual([]);
    // The generator reached past the signature checks: signed webhooks were accepted, and every route was hit.
    for (const route of ['webchat sessions', 'webchat messages', 'webchat history', 'webchat uploads', 'webchat download', 'webchat stream (plain HTTP)', 'telegram webhook', 'whatsapp webhook', 'whatsapp handshake', 'twilio webhook', 'sign-in', 'strays']) {
      expect(seen.has(route), route).toBe(true);
    }
    for (const route of ['telegram webhook', 'whatsapp webhook', 'twilio webhook', 'webchat messages']) expect(seen.get(route)?.get(200) ?? seen.get(route)?.get(202) ?? 0, `${route} never accepted; answers by status: ${JSON.stringify([...(seen.get(route) ?? new Map()).entries()])}`).toBeGreaterThan(0);
    const health = await fetch(`${gw.url()}/health`);
    expect(health.status).toBe(200);
  }, 240_000);

  it('random WebSocket handshakes and frames on the stream: no crash, nothing stored, /health answers', async () => {
    const frame = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.constantFrom('null', '42', '"x"', '{"token":null}', '{"after":-1}', '{"token":{"a":1}}'),
      fc.constantFrom(...secrets.tokens).map((token) => JSON.stringify({ token, after: 'x' })),
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
    );
    const query = fc.oneof(fc.constant(''), fc.constantFrom(...secrets.tokens).map((t) => `?token=${t}&after=${encodeURIComponent('-9')}`), fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map((t) => `?token=${encodeURIComponent(t)}`));
    await fc.assert(
      fc.asyncProperty(query, fc.array(frame, { maxLength: 4 }), async (q, frames) => {
        const before = snapshot();
        const ws = new WebSocket(`${gw.url().replace('http', 'ws')}/api/webchat/stream${q}`);
        const ended = new Promise<void>((resolve) => {
          ws.on('close', () => resolve());
          ws.on('error', () => resolve());
          ws.on('unexpected-response', (_req, res) => {
            expect(res.statusCode ?? 0).toBeLessThan(500);
            ws.terminate();
            resolve();
          });
        });
        ws.on('open', () => {
          for (const f of frames) ws.send(f);
          setTimeout(() => ws.close(), 20);
        });
        await ended;
        expect(snapshot()).toEqual(before);
      }),
      { numRuns: 300, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
    );
    expect(crashes).toEqual([]);
    expect((await fetch(`${gw.url()}/health`)).status).toBe(200);
  }, 120_000);
});
