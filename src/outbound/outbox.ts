// Writes rendered parts to the outbox inside the caller's transaction; the worker sends them later.
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type messages, outbox } from '../db/schema.ts';
import type { DeliveryUpdate } from '../core/channel.ts';
import type { OutboundMessage } from '../core/messages.ts';

/** A pending part as the worker schedules it; the body is read only when it is actually sent. */
export type OutboxRow = Pick<typeof outbox.$inferSelect, 'id' | 'messageId' | 'part' | 'channel' | 'address' | 'attempts'>;

export function createOutbox(db: Db) {
  // The worker runs these for every message part: statements prepared once, JSON encoded here.
  const raw = db.$client;
  const stmt = {
    due: raw.prepare(
      // INDEXED BY: for "order by id" SQLite would otherwise walk every row ever sent, oldest first.
      `select id, message_id as messageId, part, channel, address, attempts from outbox indexed by outbox_pending
       where status = 'pending' and next_attempt_at <= ? order by id limit ?`,
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
      `insert into outbox (message_id, part, channel, address, body, next_attempt_at, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    sent: raw.prepare(`update outbox set status = 'sent', attempts = attempts + 1, external_id = ?, last_error = null, updated_at = ? where id = ?`),
    pendingParts: raw.prepare(`select count(*) from outbox where message_id = ? and status = 'pending'`).pluck(),
    status: raw.prepare(`select delivery_status from messages where id = ?`).pluck(),
    setStatus: raw.prepare(`update messages set delivery_status = ? where id = ?`),
  };
  const deliveryOrder = ['received', 'queued', 'sent', 'delivered', 'read'];

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
    enqueue(input: { messageId: number; channel: string; address: string; parts: OutboundMessage[]; now: Date }): void {
      const ts = input.now.toISOString();
      input.parts.forEach((body, part) => {
        stmt.enqueue.run(input.messageId, part, input.channel, input.address, JSON.stringify(body), ts, ts, ts);
      });
    },
    /**
     * Provider delivery reports: each moves its message's status forward only (sent → delivered → read);
     * `failed` is final. Reports for ids we never sent are ignored. Returns the message ids that changed.
     */
    applyDeliveryUpdates(channel: string, updates: readonly DeliveryUpdate[], now: Date): number[] {
      const changed: number[] = [];
      raw.transaction(() => {
        for (const u of updates) {
          const row = stmt.byExternal.get(channel, u.externalId) as { id: number; messageId: number } | undefined;
          if (!row) continue;
          const before = stmt.status.get(row.messageId) as string | undefined;
          advanceMessage(row.messageId, u.status);
          if (u.status === 'failed' && u.error) stmt.rowError.run(u.error, now.toISOString(), row.id);
          if (stmt.status.get(row.messageId) !== before) changed.push(row.messageId);
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
    due(now: Date, limit: number): OutboxRow[] {
      return stmt.due.all(now.toISOString(), limit) as OutboxRow[];
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
    markRetry(row: OutboxRow, error: string, nextAttemptAt: Date, now: Date): void {
      const next = nextAttemptAt.toISOString();
      db.transaction(() => {
        db.update(outbox)
          .set({ attempts: row.attempts + 1, lastError: error, nextAttemptAt: next, updatedAt: now.toISOString() })
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
          .set({ status: 'failed', attempts: row.attempts + 1, lastError: error, updatedAt: now.toISOString() })
          .where(eq(outbox.id, row.id))
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
