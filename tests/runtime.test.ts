// `npm start` from a plain shell runs the gateway on the Node 24 the lock file pins (not the machine's older
// system Node), and the native SQLite module loads under it: the gateway opens its database file and answers.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../src/config.ts';
import { eventually } from './support/gateway.ts';
import { tempDir } from './support/temp-db.ts';

const kills: Array<() => void> = [];
afterEach(() => {
  for (const kill of kills.splice(0)) kill();
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

// The PATH of a fresh shell: whatever npm test put in front of it (node_modules/.bin) taken out again.
function shellPath(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.includes(`${path.sep}node_modules${path.sep}`) && !dir.endsWith(`${path.sep}node_modules`))
    .join(path.delimiter);
}

describe('the runtime', () => {
  it('npm start runs the gateway on Node ≥ 24 and it opens its SQLite file', async () => {
    const port = await freePort();
    const dataDir = tempDir();
    const child = spawn('npm', ['start', '--ignore-scripts', '--silent'], {
      cwd: ROOT_DIR,
      env: { PATH: shellPath(), HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    kills.push(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += String(d)));
    child.stderr.on('data', (d: Buffer) => (out += String(d)));
    const listening = await eventually(() => {
      for (const line of out.split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; node?: string; database?: string };
        if (entry.msg === 'Tawasul is listening') return entry;
      }
      return undefined;
    }, 60_000);
    const major = Number(/^v(\d+)\./.exec(listening.node ?? '')?.[1]);
    expect(major).toBeGreaterThanOrEqual(24);
    expect(listening.database).toBe(path.join(dataDir, 'tawasul.sqlite'));
    expect(fs.statSync(path.join(dataDir, 'tawasul.sqlite')).size).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    // A web chat session is a row in that file: the native module really reads and writes it.
    const session = await fetch(`http://127.0.0.1:${port}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(session.status).toBe(201);
  }, 90_000);
});
