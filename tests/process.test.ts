// The real process as `npm start` runs it: bad configuration, health, graceful SIGTERM, and a crash between commit and send.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../src/config.ts';
import { FakeTelegramBotApi, textUpdate } from './fakes/telegram-bot-api.ts';
import { eventually } from './support/gateway.ts';
import { tempDir } from './support/temp-db.ts';
import { SECRET, TOKEN } from './telegram/support.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function start(env: Record<string, string>) {
  // Only what the test passes: no developer .env or stray TELEGRAM_* leaks in.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'src/main.ts')], {
    cwd: ROOT_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += String(d)));
  child.stdout?.on('data', (d: Buffer) => (stdout += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => stdout + stderr };
}

async function healthy(port: number): Promise<void> {
  await eventually(async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      return res.ok ? ((await res.json()) as { status: string }).status === 'ok' || undefined : undefined;
    } catch {
      return undefined;
    }
  }, 20_000);
}

describe('the gateway process', () => {
  it('refuses to start on bad configuration and lists every problem at once', async () => {
    const p = start({ PORT: 'eighty', DEFAULT_LOCALE: 'fr', PUBLIC_URL: 'not a url', TELEGRAM_BOT_TOKEN: 'nonsense', DATA_DIR: tempDir() });
    expect(await p.exited).toBe(1);
    const out = p.output();
    for (const name of ['PORT', 'DEFAULT_LOCALE', 'PUBLIC_URL', 'TELEGRAM_BOT_TOKEN']) expect(out).toContain(name);
    expect(out).not.toContain('nonsense'); // the value of a secret-like setting is never echoed
  });

  it('serves /health, and on SIGTERM finishes, closes the database cleanly and exits 0', async () => {
    const dir = tempDir();
    const port = await freePort();
    const p = start({ PORT: String(port), DATA_DIR: dir });
    await healthy(port);
    const session = (await (await fetch(`http://127.0.0.1:${port}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { token: string };
    const sent = await fetch(`http://127.0.0.1:${port}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ text: '٢' }),
    });
    expect(sent.status).toBe(202);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    const file = path.join(dir, 'tawasul.sqlite');
    // Checkpointed on close: everything is in the main file, nothing left in the WAL.
    expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
    const db = new Database(file, { readonly: true });
    const rows = db.prepare(`select direction, text from messages order by id`).all() as { direction: string; text: string }[];
    db.close();
    expect(rows.some((r) => r.direction === 'in' && r.text === '٢')).toBe(true);
    expect(rows.filter((r) => r.direction === 'out').length).toBeGreaterThan(2);
  });

  it('loses nothing when killed between commit and send: the reply goes out after restart, once', async () => {
    const dir = tempDir();
    const fake = new FakeTelegramBotApi({ token: TOKEN });
    const { apiRoot } = await fake.start();
    try {
      const env = { DATA_DIR: dir, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: apiRoot };
      // The provider accepts the connection but never answers: the send is in flight when the process dies.
      fake.failNext('sendMessage', { network: 'hang' }, 10);
      const port1 = await freePort();
      const first = start({ ...env, PORT: String(port1) });
      await healthy(port1);
      const res = await fetch(`http://127.0.0.1:${port1}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(textUpdate({ updateId: 900, chatId: 4242, text: 'السلام عليكم', firstName: 'ريم' })),
      });
      expect(res.status).toBe(200);
      await fake.waitFor('sendMessage', () => true, 5000);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(fake.calls('sendMessage').length).toBeGreaterThan(0);

      const fresh = new FakeTelegramBotApi({ token: TOKEN });
      const { apiRoot: apiRoot2 } = await fresh.start();
      try {
        const port2 = await freePort();
        const second = start({ ...env, TELEGRAM_API_ROOT: apiRoot2, PORT: String(port2) });
        await healthy(port2);
        const menu = await fresh.waitFor('sendMessage', (c) => Boolean(c.body.reply_markup), 8000);
        expect(String(menu.body.chat_id)).toBe('4242');
        // Telegram retries the same update after our crash: it is recognised and not answered twice.
        await fetch(`http://127.0.0.1:${port2}/webhooks/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify(textUpdate({ updateId: 900, chatId: 4242, text: 'السلام عليكم', firstName: 'ريم' })),
        });
        await new Promise((r) => setTimeout(r, 300));
        expect(fresh.calls('sendMessage').filter((c) => c.body.reply_markup)).toHaveLength(1);
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      } finally {
        await fresh.stop();
      }
    } finally {
      await fake.stop();
    }
  });
});
