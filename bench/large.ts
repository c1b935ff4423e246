// The gateway with years of history: web chat ingest on an empty database and again with 1,000,000 stored messages
// in 100,000 conversations, in the same process; then the inbox search (by name, mobile, national ID) on it.
import { person } from './bulk.ts';
import { closeAgent, fmt, percentile, postJson, saturate, startServer, type RunResult, type Send } from './load.ts';

export const PEOPLE = Number(process.env.BENCH_LARGE_PEOPLE ?? 100_000);
export const PER_CONVERSATION = 10;
const SESSIONS = 200;
const WARM_MS = 3000;
const RUN_MS = 6000;
const SEARCHES = Number(process.env.BENCH_LARGE_SEARCHES ?? 100);
const is202 = (s: number) => s === 202;
const TEXTS = ['1', '0', '2', 'القائمة'];

export interface LargeFigures {
  empty: RunResult;
  full: RunResult;
  seeded: { contacts: number; messages: number; ms: number };
  search: Record<string, { p50: number; p99: number; found: number; count: number }>;
  rss: number;
}

async function ingest(port: number): Promise<RunResult> {
  const tokens: string[] = [];
  for (let s = 0; s < SESSIONS; s++) tokens.push((JSON.parse((await postJson(port, '/api/webchat/sessions', { locale: 'ar' })).body) as { token: string }).token);
  let seq = 0;
  const send: Send = () => {
    const i = seq++;
    return postJson(port, '/api/webchat/messages', { text: TEXTS[Math.floor(i / SESSIONS) % TEXTS.length] ?? '0' }, tokens[i % SESSIONS] ?? '').then((r) => r.status);
  };
  await saturate(send, WARM_MS, is202);
  return saturate(send, RUN_MS, is202);
}

export async function large(): Promise<LargeFigures> {
  const gw = await startServer('gateway');
  const empty = await ingest(gw.port);
  const step = (what: string) => process.stderr.write(`  [large] ${what} at ${new Date().toISOString().slice(11, 19)}\n`);
  step('seeding');
  const seeded = (await gw.send({ cmd: 'bulk', people: PEOPLE, perConversation: PER_CONVERSATION })) as unknown as LargeFigures['seeded'];
  // The seeding kept the keep-alive sockets idle past the server's timeout: start with fresh ones.
  closeAgent();
  step('seeded; ingest');
  const full = await ingest(gw.port);
  step('searching');
  // People spread over the whole history; names as an officer types them (a first and a family name, no hamza care).
  const pick = (k: number) => person(Math.floor(((k * 7919) % SEARCHES) * (PEOPLE / SEARCHES)) + (k % 97));
  const kinds: Record<string, string[]> = {
    name: Array.from({ length: SEARCHES }, (_, k) => pick(k).name.split(' ').slice(-2).join(' ')),
    mobile: Array.from({ length: SEARCHES }, (_, k) => `0${pick(k).mobile.slice(4)}`),
    'national ID': Array.from({ length: SEARCHES }, (_, k) => pick(k).nationalId),
  };
  const search: LargeFigures['search'] = {};
  for (const [kind, queries] of Object.entries(kinds)) {
    const answer = (await gw.send({ cmd: 'search', queries, queue: 'closed' })) as { times: number[]; found: number };
    const sorted = [...answer.times].sort((a, b) => a - b);
    search[kind] = { p50: percentile(sorted, 50), p99: percentile(sorted, 99), found: answer.found, count: queries.length };
  }
  const rss = await gw.rss();
  gw.stop();
  return { empty, full, seeded, search, rss };
}

export function printLarge(f: LargeFigures): void {
  console.log(`SQLite with history (${f.seeded.messages.toLocaleString('en')} messages in ${f.seeded.contacts.toLocaleString('en')} conversations, seeded in ${(f.seeded.ms / 1000).toFixed(1)} s):`);
  console.log(`  web chat, empty database   ${fmt(f.empty)}`);
  console.log(`  web chat, with the history ${fmt(f.full)}   (${((f.full.rate / f.empty.rate) * 100).toFixed(0)} % of empty)`);
  for (const [kind, s] of Object.entries(f.search)) console.log(`  inbox search by ${kind.padEnd(11)} p50 ${s.p50.toFixed(1).padStart(6)} ms   p99 ${s.p99.toFixed(1).padStart(6)} ms   found ${s.found}/${s.count}`);
  console.log(`  RSS ${(f.rss / 1024 / 1024).toFixed(0)} MiB`);
}
