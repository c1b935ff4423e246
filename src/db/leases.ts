// Leases: exactly one instance at a time runs each singleton (a sender's pacing, IMAP, whatsapp-web.js, polling).
//
// A lease is a row (schema/coordination.ts). Taking and renewing are single upserts, atomic on both stores. The
// holder renews every third of the lease's life; when it dies, the lease expires and the next instance that tries
// takes it with a higher fencing token. On SQLite, with one process, the first try always wins and nobody competes.
import { and, eq, lt, or, sql } from 'drizzle-orm';
import { leases } from './schema.ts';
import type { Store } from './store.ts';

export interface LeaseOptions {
  store: Store;
  /** This instance, e.g. hostname:pid:random. */
  holder: string;
  ttlMs?: number;
  now?: () => number;
}

export interface Held {
  name: string;
  token: number;
}

/** Take `name` if it is free or expired (or already ours); the token of the hold, or null when someone else has it. */
export async function tryAcquire({ store, holder, ttlMs = 10_000, now = Date.now }: LeaseOptions, name: string): Promise<Held | null> {
  const at = now();
  const rows = await store.transaction((tx) =>
    tx
      .insert(leases)
      .values({ name, holder, token: 1, expiresAt: at + ttlMs })
      .onConflictDoUpdate({
        target: leases.name,
        set: {
          holder,
          expiresAt: at + ttlMs,
          // Ours still: the same token. Taken over: the next one.
          token: sql`case when ${leases.holder} = ${holder} and ${leases.expiresAt} >= ${at} then ${leases.token} else ${leases.token} + 1 end`,
        },
        setWhere: or(eq(leases.holder, holder), lt(leases.expiresAt, at)),
      })
      .returning({ token: leases.token }),
  );
  const token = rows[0]?.token;
  return token === undefined ? null : { name, token };
}

/** Extend a hold; false when it was lost (expired and taken, or released). */
export async function renew({ store, holder, ttlMs = 10_000, now = Date.now }: LeaseOptions, held: Held): Promise<boolean> {
  const rows = await store.transaction((tx) =>
    tx
      .update(leases)
      .set({ expiresAt: now() + ttlMs })
      .where(and(eq(leases.name, held.name), eq(leases.holder, holder), eq(leases.token, held.token)))
      .returning({ token: leases.token }),
  );
  return rows.length === 1;
}

/** Give a hold up at once (a clean shutdown), so the next instance need not wait for it to expire. */
export async function release({ store, holder }: LeaseOptions, held: Held): Promise<void> {
  await store.transaction((tx) =>
    tx
      .update(leases)
      .set({ expiresAt: 0 })
      .where(and(eq(leases.name, held.name), eq(leases.holder, holder), eq(leases.token, held.token))),
  );
}

export interface LeaseKeeper {
  /** The singleton runs while the lease is held: `start` when taken, `stop` when lost or at shutdown. */
  keep(name: string, run: { start(held: Held): void | Promise<void>; stop(): void | Promise<void> }): void;
  holds(): Held[];
  /** One round: renew what is held, try what is not. The timer calls it; tests call it with their clock. */
  tick(): Promise<void>;
  close(): Promise<void>;
}

export function createLeaseKeeper(options: LeaseOptions & { intervalMs?: number }): LeaseKeeper {
  const ttl = options.ttlMs ?? 10_000;
  const wanted = new Map<string, { start(held: Held): void | Promise<void>; stop(): void | Promise<void>; held: Held | null }>();
  let running: Promise<void> | null = null;
  let closed = false;

  async function round(): Promise<void> {
    for (const [name, entry] of wanted) {
      if (closed) return;
      try {
        if (entry.held) {
          if (await renew(options, entry.held)) continue;
          entry.held = null;
          await entry.stop();
        }
        const held = await tryAcquire(options, name);
        if (held) {
          entry.held = held;
          await entry.start(held);
        }
      } catch {
        // The database is unreachable: a holder that cannot renew must assume it lost the lease before it expires.
        if (entry.held) {
          entry.held = null;
          await entry.stop();
        }
      }
    }
  }

  const tick = (): Promise<void> => {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? Math.max(50, Math.floor(ttl / 3)));
  timer.unref();

  return {
    keep(name, run) {
      wanted.set(name, { ...run, held: null });
      void tick();
    },
    holds: () => [...wanted.values()].flatMap((e) => (e.held ? [e.held] : [])),
    tick,
    async close() {
      clearInterval(timer);
      await running;
      closed = true;
      for (const entry of wanted.values()) {
        if (!entry.held) continue;
        const held = entry.held;
        entry.held = null;
        await entry.stop();
        await release(options, held).catch(() => {});
      }
    },
  };
}
