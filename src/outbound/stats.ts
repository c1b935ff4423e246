// The outbox as /metrics reads it at scrape time: pending rows and the oldest due row per channel, dead letters.
import { and, countDistinct, eq, lte, min, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outbox } from '../db/schema.ts';

export interface OutboxChannelStats {
  channel: string;
  /** Rows waiting to be sent (due now or later: back-off, pacing, a reply window). */
  pending: number;
  /** How long the oldest row that is due now has waited past its due time, in seconds (0 when none is due). */
  oldestDueSeconds: number;
}

export interface OutboxStats {
  channels: OutboxChannelStats[];
  /** Messages that failed for good on every channel they could take (the inbox's failed list). */
  deadLetters: number;
}

export function createOutboxStats(db: Db) {
  const isPending = sql`${outbox.status} = 'pending'`;
  const stmt = {
    pending: db
      .select({ channel: outbox.channel, n: sql<number>`count(*)` })
      .from(outbox)
      .where(isPending)
      .groupBy(outbox.channel)
      .prepare(),
    oldestDue: db
      .select({ channel: outbox.channel, due: min(outbox.nextAttemptAt) })
      .from(outbox)
      .where(and(isPending, lte(outbox.nextAttemptAt, sql.placeholder('now'))))
      .groupBy(outbox.channel)
      .prepare(),
    dead: db.select({ n: countDistinct(outbox.messageId) }).from(outbox).where(eq(outbox.status, 'failed')).prepare(),
  };
  return {
    read(now: Date): OutboxStats {
      const byChannel = new Map<string, OutboxChannelStats>();
      for (const { channel, n } of stmt.pending.all()) byChannel.set(channel, { channel, pending: n, oldestDueSeconds: 0 });
      for (const { channel, due } of stmt.oldestDue.all({ now: now.toISOString() })) {
        const entry = byChannel.get(channel);
        if (entry && due) entry.oldestDueSeconds = Math.max(0, (now.getTime() - Date.parse(due)) / 1000);
      }
      return { channels: [...byChannel.values()], deadLetters: stmt.dead.get()?.n ?? 0 };
    },
  };
}

export type OutboxStatsReader = ReturnType<typeof createOutboxStats>;
