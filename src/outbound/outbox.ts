// Writes rendered parts to the outbox inside the caller's transaction; the worker sends them later.
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type messages, outbox } from '../db/schema.ts';
import type { DeliveryUpdate } from '../core/channel.ts';
import type { OutboundMessage } from '../core/messages.ts';

/** A pending part as the worker schedules it; the body is read only when it is actually sent. */
export type OutboxRow = Pick<typeof outbox.$inferSelect, 'id' | 'messageId' | 'part' | 'channel' | 'address' | 'attempts' | 'createdAt'>;

/** A channel to try when the one before it refuses the message for good, with the parts rendered for it. */
export interface Fallback {
  channel: string;
  address: string;
  parts: OutboundMessage[];
}

/**
 * Our reference for a row, the same on every attempt: the id plus its creation time, so a database started
 * afresh never reuses a reference a provider (or a mail client de-duplicating Message-IDs) has already seen.
 */
export function outboxReference(row: Pick<OutboxRow, 'id' | 'createdAt'>): string {
  return `tw${row.id}-${Date.parse(row.createdAt).toString(36)}`;
}

function parseReference(ref: string): { id: number; stamp: string } | undefined {
  const m = /^tw(\d{1,15})-([0-9a-z]{1,12})$/.exec(ref);
  return m?.[1] && m[2] ? { id: Number(m[1]), stamp: m[2] } : undefined;
}

export function createOutbox(db: Db) {
  // The worker runs these for every message part: statements prepared once, JSON encoded here.
  const raw = db.$client;
  const stmt = {
    // INDEXED BY: walking one channel's pending rows in due order; SQLite would otherwise walk every row ever sent.
    due: raw.prepare(
      `select id, message_id as messageId, part, channel, address, attempts, created_at as createdAt from outbox indexed by outbox_channel_due
       where channel = ? and status = 'pending' and next_attempt_at <= ? order by next_attempt_at, id limit ?`,
    ),
    body: raw.prepare(`select body from outbox where id = ?`).pluck(),
    failedList: raw.prepare(
      `select o.message_id as messageId, m.conversation_id as conversationId, o.channel, o.address, o.last_error as error, max(o.updated_at) as updatedAt
       from outbox o join messages m on m.id = o.message_id where o.status = 'failed' group by o.message_id order by updatedAt desc limit ?`,
    ),
    requeue: raw.prepare(`update outbox set status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ? where message_id = ? and status = 'failed'`),
    byExternal: raw.prepare(`select id, message_id as messageId from outbox where channel = ? and external_id = ?`),
    rowError: raw.prepare(`update outbox set last_error = ?, updated_at = ? where id = ?`),
    lastInbound: raw.prepare(`select last_inbound_at from contact_identities where channel = ? and address = ?`).pluck(),
    enqueue: raw.prepare(
      `insert into outbox (message_id, part, channel, address, body, next_attempt_at, created_at, updated_at, fallbacks) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    sent: raw.prepare(`update outbox set status = 'sent', attempts = attempts + 1, external_id = ?, last_error = null, claimed_at = null, updated_at = ? where id = ?`),
    // The latest time a pending row to this recipient is due: a new message is never due before it.
    queueEnd: raw.prepare(`select max(next_attempt_at) from outbox indexed by outbox_recipient_pending where channel = ? and address = ? and status = 'pending'`).pluck(),
    claim: raw.prepare(`update outbox set claimed_at = ? where id = ? and status = 'pending'`),
    inDoubt: raw.prepare(
      `select id, message_id as messageId, part, channel, address, attempts, created_at as createdAt, claimed_at as claimedAt from outbox indexed by outbox_channel_due
       where status = 'pending' and claimed_at is not null`,
    ),
    defer: raw.prepare(`update outbox set next_attempt_at = ?, updated_at = ? where id = ?`),
    unclaim: raw.prepare(`update outbox set claimed_at = null where id = ?`),
    claimedById: raw.prepare(`select id, message_id as messageId, created_at as createdAt from outbox where id = ? and channel = ? and status = 'pending' and claimed_at is not null`),
    usedFallbacks: raw.prepare(`update outbox set fallbacks = null where message_id = ? and channel = ? and address = ?`),
    latestFallbacks: raw.prepare(`select fallbacks from outbox where message_id = ? and fallbacks is not null order by id desc limit 1`).pluck(),
    reroute: raw.prepare(
      `update outbox set status = 'rerouted', last_error = coalesce(?, last_error), claimed_at = null, updated_at = ? where message_id = ? and channel = ? and address = ? and status in ('pending', 'failed')`,
    ),
    pendingParts: raw.prepare(`select count(*) from outbox where message_id = ? and status = 'pending'`).pluck(),
    status: raw.prepare(`select delivery_status from messages where id = ?`).pluck(),
    setStatus: raw.prepare(`update messages set delivery_status = ? where id = ?`),
  };
  const deliveryOrder = ['received', 'queued', 'sent', 'delivered', 'read'];

  /** Now, or later when an earlier message to this recipient is still backing off (messages never overtake). */
  function dueAfterQueue(channel: string, address: string, now: string): string {
    const end = stmt.queueEnd.get(channel, address) as string | null | undefined;
    return end && end > now ? end : now;
  }

  /** Delivery status only moves forward (queued → sent → delivered → read); failed is final. */
  function advanceMessage(messageId: number, status: (typeof messages.$inferSelect)['deliveryStatus']): void {
    const current = stmt.status.get(messageId) as string | undefined;
    if (current === undefined || current === 'failed') return;
    if (status === 'failed' || deliveryOrder.indexOf(status) > deliveryOrder.indexOf(current)) stmt.setStatus.run(status, messageId);
  }
  // Many sends are recorded in one transaction: a commit per sent part cost more than the send itself.
  const markSentTx = raw.transaction((items: { row: OutboxRow; externalId: string | undefined }[], ts: string) => {
    for (const { row, externalId } of items) stmt.sent.run(externalId ?? null, ts, row.id);
    for (const { row } of items) if ((stmt.pendingParts.get(row.messageId) as number) === 0) advanceMessage(row.messageId, 'sent');
  });

  return {
    /** Call inside the transaction that stored the message, so a crash never leaves one without the other. */
    enqueue(input: { messageId: number; channel: string; address: string; parts: OutboundMessage[]; now: Date; fallbacks?: readonly Fallback[] }): void {
      const ts = input.now.toISOString();
      const due = dueAfterQueue(input.channel, input.address, ts);
      const fallbacks = input.fallbacks && input.fallbacks.length > 0 ? JSON.stringify(input.fallbacks) : null;
      input.parts.forEach((body, part) => {
        stmt.enqueue.run(input.messageId, part, input.channel, input.address, JSON.stringify(body), due, ts, ts, part === 0 ? fallbacks : null);
      });
    },
    /**
     * This channel refused the message for good: when a fallback is left, its parts are queued now and the
     * refused rows become `rerouted` (officers see both); returns where it went, or undefined (no fallback left).
     */
    reroute(row: OutboxRow, error: string, now: Date): { channel: string; address: string } | undefined {
      return raw.transaction(() => {
        const json = stmt.latestFallbacks.get(row.messageId) as string | undefined;
        const list = json ? (JSON.parse(json) as Fallback[]) : [];
        // Only fallbacks queued with this channel's rows apply; a later group's list was already used.
        const [next, ...rest] = list;
        if (!next || (next.channel === row.channel && next.address === row.address)) return undefined;
        const ts = now.toISOString();
        stmt.reroute.run(error, ts, row.messageId, row.channel, row.address);
        const restJson = rest.length > 0 ? JSON.stringify(rest) : null;
        const due = dueAfterQueue(next.channel, next.address, ts);
        // Clear the list on the rows that used it, so the next refusal reads the next group's list.
        stmt.usedFallbacks.run(row.messageId, row.channel, row.address);
        next.parts.forEach((body, part) => {
          stmt.enqueue.run(row.messageId, part, next.channel, next.address, JSON.stringify(body), due, ts, ts, part === 0 ? restJson : null);
        });
        return { channel: next.channel, address: next.address };
      })();
    },
    /** Just before a send whose provider echoes our reference: committed, so a crash leaves the row in doubt. */
    claim(ids: readonly number[], now: Date): void {
      if (ids.length === 0) return;
      const ts = now.toISOString();
      raw.transaction(() => {
        for (const id of ids) stmt.claim.run(ts, id);
      })();
    },
    /**
     * After a restart: rows claimed but never recorded. `deferMs(channel)` says how long to wait for the
     * provider's report carrying our reference before sending again (0: send again now). Returns how many.
     */
    recoverInDoubt(deferMs: (channel: string) => number, now: Date): number {
      const rows = stmt.inDoubt.all() as (OutboxRow & { claimedAt: string })[];
      raw.transaction(() => {
        for (const row of rows) {
          const wait = deferMs(row.channel);
          if (wait > 0) stmt.defer.run(new Date(Math.max(now.getTime(), Date.parse(row.claimedAt)) + wait).toISOString(), now.toISOString(), row.id);
          else stmt.unclaim.run(row.id);
        }
      })();
      return rows.length;
    },
    /**
     * Provider delivery reports: each moves its message's status forward only (sent → delivered → read);
     * `failed` is final. Reports for ids we never sent are ignored. Returns the message ids that changed.
     */
    applyDeliveryUpdates(channel: string, updates: readonly DeliveryUpdate[], now: Date): number[] {
      const changed: number[] = [];
      raw.transaction(() => {
        for (const u of updates) {
          // Texts combined into one send (SMS) share its id: the report is about each of them.
          const rows = stmt.byExternal.all(channel, u.externalId) as { id: number; messageId: number }[];
          let row = rows[0];
          if (!row && u.reference) {
            // A send whose commit was lost (a crash, or the report beat our bookkeeping): the provider has it.
            const ref = parseReference(u.reference);
            const claimed = ref && (stmt.claimedById.get(ref.id, channel) as { id: number; messageId: number; createdAt: string } | undefined);
            if (claimed && outboxReference(claimed) === u.reference) {
              stmt.sent.run(u.externalId, now.toISOString(), claimed.id);
              if ((stmt.pendingParts.get(claimed.messageId) as number) === 0) advanceMessage(claimed.messageId, 'sent');
              row = claimed;
            }
          }
          if (!row) continue;
          for (const r of rows.length > 0 ? rows : [row]) {
            const before = stmt.status.get(r.messageId) as string | undefined;
            advanceMessage(r.messageId, u.status);
            if (u.status === 'failed' && u.error) stmt.rowError.run(u.error, now.toISOString(), r.id);
            if (stmt.status.get(r.messageId) !== before) changed.push(r.messageId);
          }
        }
      })();
      return changed;
    },
    /**
     * Dead letters: failed messages, newest first, for officers to see and retry.
     */
    failed(limit: number): { messageId: number; conversationId: string; channel: string; address: string; error: string | null; updatedAt: string }[] {
      return stmt.failedList.all(limit) as { messageId: number; conversationId: string; channel: string; address: string; error: string | null; updatedAt: string }[];
    },
    /** An officer's retry of a failed message: its failed parts go back to the queue now. Returns how many. */
    retryFailed(messageId: number, now: Date): number {
      return raw.transaction(() => {
        const n = stmt.requeue.run(now.toISOString(), now.toISOString(), messageId).changes;
        if (n > 0) stmt.setStatus.run('queued', messageId);
        return n;
      })();
    },
    /** When this address last wrote to us on this channel (ISO), for reply windows. */
    lastInboundAt(channel: string, address: string): string | undefined {
      return (stmt.lastInbound.get(channel, address) as string | null | undefined) ?? undefined;
    },
    /** One channel's due rows, in due order (a recipient's rows never overtake each other: enqueue and retries keep them in order). */
    due(channel: string, now: Date, limit: number): OutboxRow[] {
      return stmt.due.all(channel, now.toISOString(), limit) as OutboxRow[];
    },
    body(id: number): OutboundMessage {
      return JSON.parse(stmt.body.get(id) as string) as OutboundMessage;
    },
    markSent(row: OutboxRow, externalId: string | undefined, now: Date): void {
      markSentTx([{ row, externalId }], now.toISOString());
    },
    markSentMany(items: { row: OutboxRow; externalId: string | undefined }[], now: Date): void {
      if (items.length > 0) markSentTx(items, now.toISOString());
    },
    markRetry(row: OutboxRow, error: string, nextAttemptAt: Date, now: Date, counts = true): void {
      const next = nextAttemptAt.toISOString();
      db.transaction(() => {
        db.update(outbox)
          .set({ attempts: counts ? row.attempts + 1 : row.attempts, lastError: error, nextAttemptAt: next, claimedAt: null, updatedAt: now.toISOString() })
          .where(eq(outbox.id, row.id))
          .run();
        // Later rows to the same recipient wait too, so messages never arrive out of order.
        db.update(outbox)
          .set({ nextAttemptAt: next })
          .where(
            and(
              eq(outbox.channel, row.channel),
              eq(outbox.address, row.address),
              eq(outbox.status, 'pending'),
              gt(outbox.id, row.id),
              lt(outbox.nextAttemptAt, next),
            ),
          )
          .run();
      });
    },
    markFailed(row: OutboxRow, error: string, now: Date): void {
      db.transaction(() => {
        db.update(outbox)
          .set({ status: 'failed', attempts: row.attempts + 1, lastError: error, claimedAt: null, updatedAt: now.toISOString() })
          .where(eq(outbox.id, row.id))
          .run();
        // The rest of the message waits with it, so an officer's retry sends every part, in order.
        db.update(outbox)
          .set({ status: 'failed', lastError: 'not sent: an earlier part of this message failed', updatedAt: now.toISOString() })
          .where(and(eq(outbox.messageId, row.messageId), eq(outbox.channel, row.channel), eq(outbox.address, row.address), eq(outbox.status, 'pending'), gt(outbox.id, row.id)))
          .run();
        advanceMessage(row.messageId, 'failed');
      });
    },
    pendingCount(): number {
      return db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.status, 'pending')).get()?.n ?? 0;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
