// Writes rendered parts to the outbox inside the caller's transaction; the worker sends them later.
import { and, asc, eq, gt, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { messages, outbox } from '../db/schema.ts';
import type { OutboundMessage } from '../core/messages.ts';

export type OutboxRow = Omit<typeof outbox.$inferSelect, 'body'> & { body: OutboundMessage };

export function createOutbox(db: Db) {
  const pendingDue = db
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, sql.placeholder('now'))))
    .orderBy(asc(outbox.id))
    .limit(sql.placeholder('limit'))
    .prepare();
  const deliveryOrder = ['received', 'queued', 'sent', 'delivered', 'read'] as const;

  function advanceMessage(messageId: number, status: (typeof messages.$inferSelect)['deliveryStatus']): void {
    const current = db.select({ s: messages.deliveryStatus }).from(messages).where(eq(messages.id, messageId)).get();
    if (!current || current.s === 'failed') return;
    const rank = (s: string) => deliveryOrder.indexOf(s as (typeof deliveryOrder)[number]);
    if (status === 'failed' || rank(status) > rank(current.s)) {
      db.update(messages).set({ deliveryStatus: status }).where(eq(messages.id, messageId)).run();
    }
  }

  return {
    /** Call inside the transaction that stored the message, so a crash never leaves one without the other. */
    enqueue(input: { messageId: number; channel: string; address: string; parts: OutboundMessage[]; now: Date }): void {
      const ts = input.now.toISOString();
      input.parts.forEach((body, part) => {
        db.insert(outbox)
          .values({ messageId: input.messageId, part, channel: input.channel, address: input.address, body, nextAttemptAt: ts, createdAt: ts, updatedAt: ts })
          .run();
      });
    },
    due(now: Date, limit: number): OutboxRow[] {
      return pendingDue.all({ now: now.toISOString(), limit }) as OutboxRow[];
    },
    markSent(row: OutboxRow, externalId: string | undefined, now: Date): void {
      db.transaction(() => {
        db.update(outbox)
          .set({ status: 'sent', attempts: row.attempts + 1, externalId: externalId ?? null, lastError: null, updatedAt: now.toISOString() })
          .where(eq(outbox.id, row.id))
          .run();
        const remaining = db
          .select({ n: sql<number>`count(*)` })
          .from(outbox)
          .where(and(eq(outbox.messageId, row.messageId), eq(outbox.status, 'pending')))
          .get();
        if ((remaining?.n ?? 0) === 0) advanceMessage(row.messageId, 'sent');
      });
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
