// `npm run bench`: inbound messages/s through POST /api/webchat/messages vs. a minimal reference route, with latency.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const SESSIONS = 200;
const CONCURRENCY = 64;
const SATURATE_MS = 6000;
const FIXED_RATE = 1000;
const FIXED_MS = 5000;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

interface Server {
  child: ChildProcess;
  port: number;
  rss(): Promise<number>;
}

async function startServer(mode: 'gateway' | 'reference'): Promise<Server> {
  const script = fileURLToPath(new URL('./server.ts', import.meta.url));
  const extra = mode === 'gateway' && process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', script, mode], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const waiters: ((v: Record<string, number>) => void)[] = [];
  lines.on('line', (l) => {
    try {
      waiters.shift()?.(JSON.parse(l) as Record<string, number>);
    } catch {
      /* not ours */
    }
  });
  const next = () => new Promise<Record<string, number>>((resolve) => waiters.push(resolve));
  const first = await next();
  return {
    child,
    port: first.port ?? 0,
    async rss() {
      const p = next();
      child.stdin!.write('rss\n');
      return (await p).rss ?? 0;
    },
  };
}

function request(port: number, path: string, body: unknown, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...(token ? { authorization: `Bearer ${token}` } : {}) } },
      (res) => {
        let out = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (out += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

type Send = (i: number) => Promise<number>;

async function saturate(send: Send): Promise<{ rate: number; p50: number; p99: number; errors: number }> {
  const lat: number[] = [];
  let errors = 0;
  let i = 0;
  const end = performance.now() + SATURATE_MS;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const status = await send(i++);
        if (status !== 202) errors++;
        lat.push(performance.now() - t);
      }
    }),
  );
  const secs = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return { rate: lat.length / secs, p50: percentile(lat, 50), p99: percentile(lat, 99), errors };
}

async function fixedRate(send: Send): Promise<{ rate: number; p50: number; p99: number; errors: number }> {
  const lat: number[] = [];
  let errors = 0;
  const total = Math.round((FIXED_RATE * FIXED_MS) / 1000);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / FIXED_RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      send(i).then((status) => {
        if (status !== 202) errors++;
        // Latency counts from when the request was due, so a stalled generator cannot hide queueing.
        lat.push(performance.now() - due);
      }),
    );
  }
  await Promise.all(pending);
  lat.sort((a, b) => a - b);
  return { rate: total / ((performance.now() - start) / 1000), p50: percentile(lat, 50), p99: percentile(lat, 99), errors };
}

function fmt(r: { rate: number; p50: number; p99: number; errors: number }): string {
  return `${r.rate.toFixed(0).padStart(6)} msg/s   p50 ${r.p50.toFixed(1).padStart(5)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   errors ${r.errors}`;
}

async function main(): Promise<void> {
  console.log(`Tawasul bench — ${SESSIONS} web chat sessions, ${CONCURRENCY} concurrent senders, Node ${process.version}`);

  const ref = await startServer('reference');
  await saturate((i) => request(ref.port, '/ref/messages', { text: 'مرحبا', conv: i }).then((r) => r.status)); // warm-up
  const refSat = await saturate((i) => request(ref.port, '/ref/messages', { text: 'مرحبا', conv: i }).then((r) => r.status));
  ref.child.kill('SIGTERM');

  const gw = await startServer('gateway');
  const tokens: string[] = [];
  for (let s = 0; s < SESSIONS; s++) {
    const r = await request(gw.port, '/api/webchat/sessions', { locale: s % 4 === 0 ? 'en' : 'ar' });
    tokens.push((JSON.parse(r.body) as { token: string }).token);
  }
  // Each visitor alternates: open enquiries ("1"), then back to the main menu ("0"): every message runs a bot step.
  const texts = ['1', '0', '2', 'القائمة'];
  const gwSend: Send = (i) => {
    const token = tokens[i % SESSIONS] ?? '';
    return request(gw.port, '/api/webchat/messages', { text: texts[Math.floor(i / SESSIONS) % texts.length] }, token).then((r) => r.status);
  };
  await saturate(gwSend); // warm-up
  const gwSat = await saturate(gwSend);
  const gwFixed = await fixedRate(gwSend);
  const rss = await gw.rss();
  gw.child.kill('SIGTERM');

  console.log('');
  console.log(`reference route (insert message + update conversation + insert outbox row):`);
  console.log(`  saturated      ${fmt(refSat)}`);
  console.log(`gateway POST /api/webchat/messages (store, bot step, replies queued and sent):`);
  console.log(`  saturated      ${fmt(gwSat)}`);
  console.log(`  at ${FIXED_RATE} msg/s  ${fmt(gwFixed)}`);
  console.log(`  ratio gateway/reference: ${(gwSat.rate / refSat.rate).toFixed(2)}`);
  console.log(`  gateway RSS after run: ${(rss / 1024 / 1024).toFixed(0)} MiB`);
  const sizeFile = new URL('../web/widget/dist/size.json', import.meta.url);
  if (fs.existsSync(sizeFile)) {
    const size = JSON.parse(fs.readFileSync(sizeFile, 'utf8')) as { raw: number; gzip: number };
    console.log(`widget.js (JS + CSS): ${(size.raw / 1024).toFixed(1)} KB raw, ${(size.gzip / 1024).toFixed(1)} KB gzipped (budget 20 KB)`);
  }
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('');
  console.log(`targets: >= 3,000 msg/s ${mark(gwSat.rate >= 3000)}; ratio >= 0.3 ${mark(gwSat.rate / refSat.rate >= 0.3)}; p99 < 50 ms at ${FIXED_RATE} msg/s ${mark(gwFixed.p99 < 50)}`);
  agent.destroy();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
