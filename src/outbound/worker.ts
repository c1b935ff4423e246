// The outbound worker: the only caller of adapter.send(); paced per sender and recipient, retried with back-off.
import type { ChannelAdapter, Logger, SendContext } from '../core/channel.ts';
import { isAppError } from '../core/errors.ts';
import { NO_SEND_METRICS, type SendMetrics } from '../core/metrics.ts';
import { CHANNEL_IDS, type OutboundMessage } from '../core/messages.ts';
import { outboxReference, type Outbox, type OutboxRow } from './outbox.ts';
import { ChannelPacer } from './pacing.ts';

export interface WorkerOptions {
  outbox: Outbox;
  adapters: ReadonlyMap<string, ChannelAdapter>;
  logger: Logger;
  now?: () => Date;
  /** How often due retries are looked for when nothing nudges the worker. */
  pollMs?: number;
  maxAttempts?: number;
  /** Recipients sent to at once (rows for one recipient always go one by one, in order). */
  concurrency?: number;
  onSent?: (row: OutboxRow) => void;
  /** Source of randomness for back-off jitter (tests pass a fixed one). */
  random?: () => number;
  /** The bytes of a stored attachment, for messages that carry a file. */
  readMedia?: SendContext['readMedia'];
  /**
   * After a crash, how long a send that may have reached a provider which echoes our reference waits for that
   * report before it is sent again (default 2 minutes).
   */
  inDoubtGraceMs?: number;
  /** A channel refused a message for good and it was queued on the next channel (for live officer views). */
  onRerouted?: (row: OutboxRow, to: { channel: string; address: string }, error: string) => void;
  /** Send latency and outcomes per channel (the gateway's /metrics). */
  metrics?: SendMetrics;
}

export interface Worker {
  start(): void;
  /** Look for work now (called after a commit that wrote outbox rows). */
  nudge(): void;
  /** Process what is due once; resolves when those sends finished. For tests and shutdown. */
  runOnce(): Promise<number>;
  /** Stop taking work and wait for sends in flight. */
  stop(): Promise<void>;
}

const MIN_TICK_GAP_MS = 2;
// Due rows read per channel and tick; a recipient's rows beyond it wait for the next tick.
const PER_CHANNEL = 200;

/** Text only: no buttons, list or file (those keep their own message). */
function plainText(body: OutboundMessage): boolean {
  return body.buttons === undefined && body.list === undefined && body.media === undefined && body.text !== '';
}

export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}

export function createWorker(opts: WorkerOptions): Worker {
  const now = opts.now ?? (() => new Date());
  const random = opts.random ?? Math.random;
  const pollMs = opts.pollMs ?? 500;
  const maxAttempts = opts.maxAttempts ?? 10;
  const concurrency = opts.concurrency ?? 32;
  const metrics = opts.metrics ?? NO_SEND_METRICS;
  const pacers = new Map<string, ChannelPacer>();
  const busyRecipients = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let scheduled: NodeJS.Immediate | undefined;
  let wakeAt: NodeJS.Timeout | undefined;
  let lastTickAt = 0;
  let coalescing: NodeJS.Timeout | undefined;
  let stopped = true;
  let lastDisabledSweep = 0;
  let ticking: Promise<number> | undefined;

  function pacerFor(adapter: ChannelAdapter): ChannelPacer {
    let p = pacers.get(adapter.id);
    if (!p) {
      p = new ChannelPacer(adapter.capabilities.rate, Date.now());
      pacers.set(adapter.id, p);
    }
    return p;
  }

  let wakeAtTime = 0;
  /** Look again in `ms`; the earliest wake wins (a pacing wait of 12 ms must not sit behind a 60 s retry). */
  function wakeIn(ms: number): void {
    if (stopped) return;
    const at = Date.now() + ms;
    if (wakeAt && wakeAtTime <= at) return;
    if (wakeAt) clearTimeout(wakeAt);
    wakeAtTime = at;
    wakeAt = setTimeout(() => {
      wakeAt = undefined;
      worker.nudge();
    }, ms);
  }

  /**
   * The rows that go in the next send from `rows[at]`: that row alone, or on a channel that combines texts, it and the
   * plain-text rows after it while the joined text fits (same recipient, in order; each is recorded sent with it).
   */
  function nextBatch(rows: readonly OutboxRow[], at: number, adapter: ChannelAdapter): { rows: OutboxRow[]; body: OutboundMessage } | undefined {
    const first = rows[at];
    if (!first) return undefined;
    let body = opts.outbox.body(first.id);
    const batch = [first];
    if (!adapter.capabilities.combineTexts || !plainText(body)) return { rows: batch, body };
    for (let i = at + 1; i < rows.length; i++) {
      const row = rows[i];
      if (!row) break;
      const next = opts.outbox.body(row.id);
      const text = `${body.text}\n\n${next.text}`;
      if (!plainText(next) || text.length > adapter.capabilities.maxTextLength) break;
      body = { text };
      batch.push(row);
    }
    return { rows: batch, body };
  }

  async function sendOne(rows: readonly OutboxRow[], body: OutboundMessage, adapter: ChannelAdapter): Promise<boolean> {
    const t = now();
    const row = rows[0];
    if (!row) return true;
    const started = performance.now();
    const took = () => (performance.now() - started) / 1000;
    try {
      // Only channels with a reply window need to know when the recipient last wrote (one query per send).
      const lastInboundAt = adapter.capabilities.replyWindowHours === null ? undefined : opts.outbox.lastInboundAt(row.channel, row.address);
      const echoed = adapter.capabilities.reference === 'echoed';
      // Committed before the call: if we die after the provider accepted, the restart knows this one is in doubt.
      if (echoed) opts.outbox.claim(rows.map((r) => r.id), t);
      const context: SendContext = { reference: outboxReference(row), ...(lastInboundAt ? { lastInboundAt } : {}), ...(opts.readMedia ? { readMedia: opts.readMedia } : {}) };
      const result = await adapter.send(row.address, body, context);
      metrics.sent(row.channel, took(), rows.length);
      for (const r of rows) sentUnrecorded.set(r.id, { row: r, externalId: result.externalId });
      scheduleRecord();
      for (const r of rows) opts.onSent?.(r);
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const retryable = isAppError(err) ? err.retryable : true;
      const seconds = took();
      if (!retryable || row.attempts + 1 >= maxAttempts) {
        // Refused for good here: the next channel of the beneficiary's, when the message has one (WhatsApp → SMS).
        const to = opts.outbox.reroute(row, message, now());
        metrics.failed(row.channel, seconds, to ? 'rerouted' : 'failed');
        if (to) {
          opts.logger.info({ outboxId: row.id, channel: row.channel, to: to.channel, err: message }, 'outbound message rerouted to the next channel');
          opts.onRerouted?.(row, to, message);
          worker.nudge();
          // The rest of this recipient's rows may have moved too: the next tick reads them afresh.
          return false;
        }
        opts.logger.warn({ outboxId: row.id, channel: row.channel, err: message }, 'outbound message failed');
        opts.outbox.markFailed(row, message, now());
        // Its later parts failed with it; the group's list is stale now, so the next tick reads afresh.
        worker.nudge();
        return false;
      }
      // Jitter (±20 %) keeps many recipients that failed together from retrying in lockstep.
      metrics.failed(row.channel, seconds, 'retry');
      const jittered = Math.round(backoffMs(row.attempts + 1) * (0.8 + 0.4 * random()));
      const delay = Math.max(jittered, isAppError(err) ? (err.retryAfterMs ?? 0) : 0);
      opts.logger.info({ outboxId: row.id, channel: row.channel, delay, err: message }, 'outbound send will be retried');
      opts.outbox.markRetry(row, message, new Date(t.getTime() + delay), now());
      wakeIn(delay);
      return false;
    }
  }

  /** Sends one recipient's rows in order; resolves true when it stopped only to respect a rate (a wake is set). */
  async function sendGroup(key: string, rows: OutboxRow[], adapter: ChannelAdapter): Promise<boolean> {
    try {
      const pacer = pacerFor(adapter);
      for (let at = 0; at < rows.length; ) {
        const row = rows[at];
        if (!row) break;
        const wait = pacer.tryTake(row.address, Date.now());
        if (wait > 0) {
          wakeIn(wait);
          return true;
        }
        const ticket = pacer.lastTicket;
        const batch = nextBatch(rows, at, adapter);
        if (!batch) break;
        // A failed send moves only its first row (retry, reroute or fail): the rest of the batch is read afresh.
        const carryOn = await sendOne(batch.rows, batch.body, adapter).finally(() => pacer.settle(ticket, Date.now()));
        if (!carryOn) return false;
        at += batch.rows.length;
      }
      return false;
    } finally {
      busyRecipients.delete(key);
    }
  }

  // Sent rows are recorded in batches; until then they are remembered here so no tick picks them again.
  const sentUnrecorded = new Map<number, { row: OutboxRow; externalId: string | undefined }>();
  let recordScheduled = false;
  function recordSent(): void {
    recordScheduled = false;
    if (sentUnrecorded.size === 0) return;
    const items = [...sentUnrecorded.values()];
    opts.outbox.markSentMany(items, now());
    for (const { row } of items) sentUnrecorded.delete(row.id);
  }
  function scheduleRecord(): void {
    if (recordScheduled) return;
    recordScheduled = true;
    setImmediate(recordSent);
  }

  async function tick(): Promise<number> {
    recordSent();
    const t = now();
    const due: OutboxRow[] = [];
    // Rows of a channel switched off are looked at only once per poll interval, not on every commit's tick.
    const sweepDisabled = Date.now() - lastDisabledSweep >= pollMs;
    if (sweepDisabled) lastDisabledSweep = Date.now();
    for (const channel of CHANNEL_IDS) {
      const adapter = opts.adapters.get(channel);
      if (!adapter) {
        // The channel is not configured now; keep its rows for when it is. Waiting for a channel is not an
        // attempt: a row that waited an hour still gets every retry once the channel is back.
        if (sweepDisabled) for (const row of opts.outbox.due(channel, t, 100)) opts.outbox.markRetry(row, `channel ${row.channel} is not enabled`, new Date(t.getTime() + 60_000), t, false);
        continue;
      }
      // A channel held back by its own rate is not even read (a campaign's backlog never hides another
      // channel's rows, and waiting costs no queries): it wakes the worker when it may send again.
      const wait = pacerFor(adapter).senderWait(Date.now());
      if (wait > 0) {
        wakeIn(wait);
        continue;
      }
      due.push(...opts.outbox.due(channel, t, PER_CHANNEL));
    }
    const rows = due.filter((r) => !sentUnrecorded.has(r.id));
    const groups = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const key = `${row.channel}\u0000${row.address}`;
      if (busyRecipients.has(key)) continue;
      const g = groups.get(key);
      if (g) g.push(row);
      else groups.set(key, [row]);
    }
    const tasks: Promise<void>[] = [];
    for (const [key, group] of groups) {
      if (busyRecipients.size >= concurrency) {
        wakeIn(10);
        break;
      }
      const first = group[0];
      if (!first) continue;
      const adapter = opts.adapters.get(first.channel);
      if (!adapter) continue;
      busyRecipients.add(key);
      const task: Promise<void> = sendGroup(key, group, adapter).then(
        (paced) => {
          inFlight.delete(task);
          // Rows that arrived for this recipient while it was busy are picked up by the next tick; a group held
          // back by the rate has its wake set already (nudging now would only re-read what cannot go yet).
          if (!stopped && !paced) worker.nudge();
        },
        () => {
          inFlight.delete(task);
          if (!stopped) worker.nudge();
        },
      );
      inFlight.add(task);
      tasks.push(task);
    }
    for (const pacer of pacers.values()) pacer.sweep(Date.now());
    await Promise.all(tasks);
    return tasks.length;
  }

  const worker: Worker = {
    start() {
      if (!stopped) return;
      stopped = false;
      const grace = opts.inDoubtGraceMs ?? 120_000;
      const doubtful = opts.outbox.recoverInDoubt((channel) => (opts.adapters.get(channel)?.capabilities.reference === 'echoed' ? grace : 0), now());
      if (doubtful > 0) opts.logger.warn({ rows: doubtful }, 'sends in doubt after a restart: waiting for the provider to confirm them before sending again');
      timer = setInterval(() => worker.nudge(), pollMs);
      worker.nudge();
    },
    nudge() {
      if (stopped || scheduled || coalescing) return;
      // Under load every commit nudges; one look at the outbox every couple of milliseconds is plenty.
      const since = Date.now() - lastTickAt;
      if (since < MIN_TICK_GAP_MS) {
        coalescing = setTimeout(() => {
          coalescing = undefined;
          worker.nudge();
        }, MIN_TICK_GAP_MS - since);
        return;
      }
      scheduled = setImmediate(() => {
        lastTickAt = Date.now();
        scheduled = undefined;
        // Do not await the sends here: new rows for other recipients can start while slow ones run.
        ticking = tick()
          .catch((err: unknown) => {
            opts.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'outbound worker tick failed');
            return 0;
          });
      });
    },
    async runOnce() {
      const n = await tick();
      await Promise.all([...inFlight]);
      recordSent();
      return n;
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (scheduled) clearImmediate(scheduled);
      if (wakeAt) clearTimeout(wakeAt);
      if (coalescing) clearTimeout(coalescing);
      coalescing = undefined;
      timer = undefined;
      scheduled = undefined;
      wakeAt = undefined;
      await ticking;
      await Promise.all([...inFlight]);
      recordSent();
    },
  };
  return worker;
}
