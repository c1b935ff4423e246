// Load-generation helpers for `npm run bench`: bench server child processes, HTTP requests, saturated and fixed-rate runs.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Command } from './server.ts';

export const CONCURRENCY = 64;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

export interface Server {
  child: ChildProcess;
  port: number;
  send(command: Command): Promise<Record<string, unknown>>;
  rss(): Promise<number>;
  stop(): void;
}

/** Starts bench/server.ts in its own process; `settings` are extra env-style settings for the gateway. */
export async function startServer(mode: 'gateway' | 'reference', settings: Record<string, string> = {}, profile = false): Promise<Server> {
  const script = fileURLToPath(new URL('./server.ts', import.meta.url));
  const extra = profile && process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', script, mode, JSON.stringify(settings)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const waiters: ((v: Record<string, unknown>) => void)[] = [];
  lines.on('line', (l) => {
    try {
      waiters.shift()?.(JSON.parse(l) as Record<string, unknown>);
    } catch {
      /* not ours */
    }
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`bench server (${mode}) exited with ${code}`))));
  exited.catch(() => undefined);
  const next = () => Promise.race([new Promise<Record<string, unknown>>((resolve) => waiters.push(resolve)), exited]);
  const first = await next();
  const send = async (command: Command) => {
    const p = next();
    child.stdin!.write(`${JSON.stringify(command)}\n`);
    const answer = await p;
    if (typeof answer.error === 'string') throw new Error(`bench server: ${answer.error}`);
    return answer;
  };
  return {
    child,
    port: typeof first.port === 'number' ? first.port : 0,
    send,
    async rss() {
      const answer = await send({ cmd: 'rss' });
      return typeof answer.rss === 'number' ? answer.rss : 0;
    },
    stop() {
      child.removeAllListeners('exit');
      child.kill('SIGTERM');
    },
  };
}

export function post(port: number, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let out = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (out += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function postJson(port: number, path: string, body: unknown, token?: string): Promise<{ status: number; body: string }> {
  return post(port, path, JSON.stringify(body), { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** One request; resolves to its HTTP status. */
export type Send = (i: number) => Promise<number>;

export interface RunResult {
  rate: number;
  p50: number;
  p99: number;
  /** Responses whose status was not the expected one. */
  errors: number;
}

/** CONCURRENCY senders back to back for `ms`, and until at least `minCount` requests were sent. */
export async function saturate(send: Send, ms: number, ok: (status: number) => boolean, minCount = 0): Promise<RunResult> {
  const lat: number[] = [];
  let errors = 0;
  let i = 0;
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end || i < minCount) {
        const t = performance.now();
        const status = await send(i++);
        if (!ok(status)) errors++;
        lat.push(performance.now() - t);
      }
    }),
  );
  const secs = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return { rate: lat.length / secs, p50: percentile(lat, 50), p99: percentile(lat, 99), errors };
}

/** `rate` requests per second for `ms`, whatever the answers' latency. */
export async function fixedRate(send: Send, rate: number, ms: number, ok: (status: number) => boolean): Promise<RunResult> {
  const lat: number[] = [];
  let errors = 0;
  const total = Math.round((rate * ms) / 1000);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      send(i).then((status) => {
        if (!ok(status)) errors++;
        // Latency counts from when the request was due, so a stalled generator cannot hide queueing.
        lat.push(performance.now() - due);
      }),
    );
  }
  await Promise.all(pending);
  lat.sort((a, b) => a - b);
  return { rate: total / ((performance.now() - start) / 1000), p50: percentile(lat, 50), p99: percentile(lat, 99), errors };
}

export function fmt(r: RunResult, errorLabel = 'errors'): string {
  return `${r.rate.toFixed(0).padStart(6)} msg/s   p50 ${r.p50.toFixed(1).padStart(5)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   ${errorLabel} ${r.errors}`;
}

export function closeAgent(): void {
  agent.destroy();
}
