// The real process, killed after WhatsApp accepted a message but before we recorded it: on restart the send is in
// doubt; WhatsApp's status webhook echoing our reference settles it, so the beneficiary never gets it twice.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../src/config.ts';
import { signed, waStatus, waText } from './fakes/whatsapp-webhooks.ts';
import { eventually } from './support/gateway.ts';
import { tempDir } from './support/temp-db.ts';

const TOKEN = 'EAAG-crash-test-token';
const APP_SECRET = 'crash-app-secret';
const children: ChildProcess[] = [];
const servers: http.Server[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

interface Sent {
  to: string;
  ref: string;
  wamid: string;
}

/** A tiny Graph /messages endpoint: records every send; `onSend` decides whether to answer. */
async function graph(onSend: (s: Sent) => 'answer' | 'hold'): Promise<{ url: string; sent: Sent[] }> {
  const sent: Sent[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += String(c)));
    req.on('end', () => {
      const json = JSON.parse(body || '{}') as { to?: string; biz_opaque_callback_data?: string };
      const s = { to: json.to ?? '', ref: json.biz_opaque_callback_data ?? '', wamid: `wamid.CRASH${++n}` };
      sent.push(s);
      if (onSend(s) === 'hold') return; // accepted, never answered: the process dies first
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id: s.wamid }] }));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v21.0`, sent };
}

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'src/main.ts')], {
    cwd: ROOT_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  children.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

async function healthy(port: number): Promise<void> {
  await eventually(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/health`)).ok || undefined;
    } catch {
      return undefined;
    }
  }, 20_000);
}

async function webhook(port: number, payload: unknown): Promise<void> {
  const { body, signature } = signed(payload, APP_SECRET);
  const res = await fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
  expect(res.status).toBe(200);
}

const env = (dir: string, graphUrl: string, port: number, grace: number) => ({
  DATA_DIR: dir,
  PORT: String(port),
  WHATSAPP_ACCESS_TOKEN: TOKEN,
  WHATSAPP_PHONE_NUMBER_ID: '1234567890',
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: 'verify',
  WHATSAPP_GRAPH_URL: graphUrl,
  OUTBOX_IN_DOUBT_GRACE_MS: String(grace),
});

/** Start, let a beneficiary write, and SIGKILL the process while WhatsApp holds our first reply. */
async function crashWhileProviderHolds(dir: string, to: string): Promise<Sent> {
  const first = await graph(() => 'hold');
  const port = await freePort();
  const p = start(env(dir, first.url, port, 120_000));
  await healthy(port);
  await webhook(port, waText({ from: to, text: 'السلام عليكم' }));
  const held = await eventually(() => first.sent[0], 8000);
  p.child.kill('SIGKILL');
  await p.exited;
  return held;
}

describe('a crash between WhatsApp accepting a message and our commit', () => {
  it('is settled by the status webhook that echoes our reference: the message is not sent twice', async () => {
    const dir = tempDir();
    const to = '966551234001';
    const held = await crashWhileProviderHolds(dir, to);
    expect(held.ref).toMatch(/^tw\d+-[0-9a-z]+$/);

    const second = await graph(() => 'answer');
    const port = await freePort();
    start(env(dir, second.url, port, 4000));
    await healthy(port);
    // WhatsApp reports the message it accepted before the crash, with our reference.
    await webhook(port, waStatus({ id: 'wamid.BEFORE-CRASH', status: 'delivered', to, reference: held.ref }));
    // The rest of the replies go out after the grace; the settled one never again.
    await eventually(() => second.sent.length >= 1 || undefined, 10_000);
    await new Promise((r) => setTimeout(r, 5000));
    expect(second.sent.map((s) => s.ref)).not.toContain(held.ref);
    const db = new Database(path.join(dir, 'tawasul.sqlite'), { readonly: true });
    const row = db.prepare(`select status, external_id as externalId from outbox where external_id = 'wamid.BEFORE-CRASH'`).get();
    db.close();
    expect(row).toEqual({ status: 'sent', externalId: 'wamid.BEFORE-CRASH' });
  }, 60_000);

  it('without any report it is sent again after the grace, once, with the same reference (never lost)', async () => {
    const dir = tempDir();
    const to = '966551234002';
    const held = await crashWhileProviderHolds(dir, to);
    const second = await graph(() => 'answer');
    const port = await freePort();
    const startedAt = Date.now();
    start(env(dir, second.url, port, 3000));
    await healthy(port);
    const again = await eventually(() => second.sent.find((s) => s.ref === held.ref), 15_000);
    expect(again.to).toBe(to);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2500);
    await new Promise((r) => setTimeout(r, 1500));
    expect(second.sent.filter((s) => s.ref === held.ref)).toHaveLength(1);
  }, 60_000);
});
