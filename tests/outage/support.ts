// Shared timeline and checks for the provider-outage tests: health watching, log capture, outbox reads, waiting.
import { Writable } from 'node:stream';
import { pino, type Logger as PinoLogger } from 'pino';
import type { TestGateway } from '../support/gateway.ts';

/** The provider is down this long (real time). */
export const OUTAGE_MS = 60_000;
/**
 * When, into the outage, beneficiaries' messages enter the gateway. The worker retries after 1, 2, 4, 8, 16, 32,
 * 64 s (±20 % jitter each): a message first tried at 12 s has its 6th retry after 12 + 0.8 × 63 = 62.4 s (past the
 * outage, whatever the jitter) and its 5th before 12 + 1.2 × 31 = 49.2 s, so it is delivered between 62.4 and
 * 87.6 s (plus request timeouts in `hang` mode). A message first tried at 0 s could instead see its 6th retry
 * at 50.4 s, still inside the outage, and wait up to 77 s more: the schedule, not the channel, would then
 * decide whether 90 s is enough.
 */
export const SEND_AT_MS = 12_000;
/** Everything must be delivered this long after the outage began. */
export const DELIVERED_BY_MS = 120_000;
/** Set-up, warm-up, the outage, the deadline and tear-down. */
export const TEST_TIMEOUT_MS = 170_000;
/** Client request timeout in `hang` mode (the adapters' default is 15 s). */
export const HANG_TIMEOUT_MS = 2_000;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

export interface LogLine {
  level: number;
  msg?: string;
  channel?: string;
  err?: unknown;
  error?: unknown;
  [key: string]: unknown;
}

/** A pino logger at info level that keeps every line in memory (retries, failures, IMAP poll errors). */
export function memoryLogger(): { logger: PinoLogger; lines: LogLine[]; messages(msg: string): LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  return { logger, lines, messages: (msg) => lines.filter((l) => l.msg === msg) };
}

export interface HealthReport {
  checks: number;
  failures: { at: number; error: string }[];
  slowestMs: number;
}

/** GETs /health every `everyMs` until stopped; a check fails on a non-200 or after 3 s without an answer. */
export function watchHealth(gw: TestGateway, everyMs = 500): { stop(): Promise<HealthReport> } {
  const report: HealthReport = { checks: 0, failures: [], slowestMs: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      try {
        const res = await fetch(`${gw.url()}/health`, { signal: AbortSignal.timeout(3000) });
        const body = (await res.json()) as { status?: string };
        if (res.status !== 200 || body.status !== 'ok') report.failures.push({ at: started, error: `HTTP ${res.status}` });
      } catch (err) {
        report.failures.push({ at: started, error: err instanceof Error ? err.message : String(err) });
      }
      report.checks++;
      report.slowestMs = Math.max(report.slowestMs, Date.now() - started);
      await sleep(everyMs - (Date.now() - started));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return report;
    },
  };
}

export interface OutboxRow {
  id: number;
  messageId: number;
  address: string;
  status: string;
  attempts: number;
  text: string;
  lastError: string | null;
  externalId: string | null;
}

/** The channel's outbox rows in id order (the order messages must reach each recipient). */
export function outboxRows(gw: TestGateway, channel: string): OutboxRow[] {
  const rows = gw.db.$client
    .prepare(`select id, message_id as messageId, address, status, attempts, body, last_error as lastError, external_id as externalId from outbox where channel = ? order by id`)
    .all(channel) as (Omit<OutboxRow, 'text'> & { body: string })[];
  return rows.map(({ body, ...row }) => ({ ...row, text: String((JSON.parse(body) as { text?: unknown }).text ?? '') }));
}

export function byAddress<T>(items: T[], address: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = address(item);
    out.set(key, [...(out.get(key) ?? []), item]);
  }
  return out;
}

/** What may differ between the text we queued and what the provider got: bidi marks, line ends, outer spaces. */
/**
 * What a provider is sent for these rows, in order: one text per send. SMS combines consecutive rows to one recipient
 * into one send (they share its provider id), joined by a blank line; elsewhere each row is its own send.
 */
export function sends(rows: readonly OutboxRow[]): { address: string; text: string }[] {
  const out: { address: string; text: string; key: string }[] = [];
  for (const r of rows) {
    const key = r.externalId ?? `row${r.id}`;
    const last = out.at(-1);
    if (last && r.externalId !== null && last.key === key && last.address === r.address) last.text = `${last.text}\n\n${norm(r.text)}`;
    else out.push({ address: r.address, text: norm(r.text), key });
  }
  return out.map(({ address, text }) => ({ address, text }));
}

export function norm(text: string): string {
  return text.replace(/[\u200e\u200f\u061c\u2066-\u2069]/g, '').replace(/\r\n?/g, '\n').trim();
}

/** Rows or messages the gateway gave up on: must stay empty through an outage of a minute. */
export function failures(gw: TestGateway): { outbox: unknown[]; messages: unknown[] } {
  const db = gw.db.$client;
  return {
    outbox: db.prepare(`select id, channel, address, status, attempts, last_error from outbox where status not in ('pending', 'sent')`).all(),
    messages: db.prepare(`select id, channel, delivery_status from messages where delivery_status = 'failed'`).all(),
  };
}

/** Polls until `check` is truthy or `deadline` (epoch ms) passes; returns whether it held. */
export async function until(check: () => boolean, deadline: number, everyMs = 100): Promise<boolean> {
  for (;;) {
    if (check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

/** Waits until `count()` has not changed for `quietMs` (bounded by `maxMs`): the channel has settled. */
export async function settle(count: () => number, quietMs = 1500, maxMs = 20_000): Promise<void> {
  const end = Date.now() + maxMs;
  let last = count();
  let since = Date.now();
  while (Date.now() < end) {
    await sleep(100);
    const now = count();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
  throw new Error('the channel did not settle');
}
