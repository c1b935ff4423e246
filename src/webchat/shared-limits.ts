// A @fastify/rate-limit store in the database, so that every instance counts the same window: a visitor cannot get
// N times the limit by landing on N instances. Used when the gateway runs on PostgreSQL; one process keeps the
// library's in-memory store.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { lt, sql } from 'drizzle-orm';
import { rateLimits } from '../db/schema.ts';
import type { Store } from '../db/store.ts';

/** Windows are at most an hour; rows idle for two are gone. Swept about once per this many counts. */
const SWEEP_EVERY = 1_000;
const SWEEP_AFTER_MS = 2 * 3_600_000;

export async function countInWindow(store: Store, key: string, windowMs: number, at: number): Promise<{ current: number; ttl: number }> {
  const rows = await store.transaction((tx) =>
    tx
      .insert(rateLimits)
      .values({ key, count: 1, windowStart: at })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${rateLimits.windowStart} + ${windowMs} <= ${at} then 1 else ${rateLimits.count} + 1 end`,
          windowStart: sql`case when ${rateLimits.windowStart} + ${windowMs} <= ${at} then ${at} else ${rateLimits.windowStart} end`,
        },
      })
      .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart }),
  );
  const row = rows[0] ?? { count: 1, windowStart: at };
  return { current: row.count, ttl: Math.max(0, row.windowStart + windowMs - at) };
}

export function sharedLimitStore(store: Store, now: () => number = Date.now): FastifyRateLimitStoreCtor {
  let counted = 0;
  const sweep = (at: number) => store.transaction((tx) => tx.delete(rateLimits).where(lt(rateLimits.windowStart, at - SWEEP_AFTER_MS)));
  class SharedStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const at = now();
      countInWindow(store, key, timeWindow, at).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
      if (++counted % SWEEP_EVERY === 0) void sweep(at).catch(() => {});
    }
    child(): FastifyRateLimitStore {
      // One table for every limit: the keys carry the limit's name (limits.ts).
      return this;
    }
  }
  return SharedStore as unknown as FastifyRateLimitStoreCtor;
}
