// Sign-in throttling without lock-out: past a few failures per key, each attempt waits a growing delay.
import { eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { signInThrottle } from '../db/schema.ts';

/** Failures older than this are forgotten. */
export const THROTTLE_WINDOW_MS = 60 * 60 * 1000;
export const THROTTLE_MAX_DELAY_MS = 15 * 60 * 1000;

export interface ThrottleKey {
  key: string;
  /** Failures allowed before attempts have to wait. */
  freeFailures: number;
}

/** How long after its last failure a key with `failures` failures accepts the next attempt (2^(f-free) s, capped). */
export function throttleDelayMs(failures: number, freeFailures: number): number {
  if (failures < freeFailures) return 0;
  return Math.min(2 ** (failures - freeFailures) * 1000, THROTTLE_MAX_DELAY_MS);
}

interface Reservation {
  key: string;
  /** The row before this attempt (failures 0 when there was none or it had expired). */
  before: { failures: number; lastFailureAt: string | null };
  reserved: number;
}

export function createThrottle(db: Db, now: () => Date) {
  let lastSweep = 0;

  function current(key: string, at: number): { failures: number; lastFailureAt: string | null } {
    const row = db.select().from(signInThrottle).where(eq(signInThrottle.key, key)).get();
    if (!row || at - Date.parse(row.lastFailureAt) >= THROTTLE_WINDOW_MS) return { failures: 0, lastFailureAt: null };
    return { failures: row.failures, lastFailureAt: row.lastFailureAt };
  }

  return {
    /**
     * Either how long the caller must still wait (nothing recorded), or a reservation: the attempt is counted
     * as a failure up front, so parallel guesses cannot all slip in before the first one fails.
     */
    reserve(keys: readonly ThrottleKey[]): { waitMs: number } | { waitMs: 0; reservations: Reservation[] } {
      return db.transaction(() => {
        const at = now().getTime();
        let waitMs = 0;
        const states = keys.map((k) => ({ ...k, state: current(k.key, at) }));
        for (const { freeFailures, state } of states) {
          if (state.lastFailureAt === null) continue;
          const readyAt = Date.parse(state.lastFailureAt) + throttleDelayMs(state.failures, freeFailures);
          waitMs = Math.max(waitMs, readyAt - at);
        }
        if (waitMs > 0) return { waitMs };
        const iso = new Date(at).toISOString();
        const reservations = states.map(({ key, state }) => {
          const failures = state.failures + 1;
          db.insert(signInThrottle)
            .values({ key, failures, lastFailureAt: iso })
            .onConflictDoUpdate({ target: signInThrottle.key, set: { failures, lastFailureAt: iso } })
            .run();
          return { key, before: state, reserved: failures };
        });
        return { waitMs: 0 as const, reservations };
      });
    },

    /** The attempt succeeded: forget the key entirely (the officer's own email). */
    clear(key: string): void {
      db.delete(signInThrottle).where(eq(signInThrottle.key, key)).run();
    },

    /** An admin's reset: every delay of one account (from any address, and on its password change) is forgotten. */
    clearAccount(email: string, officerId: string): void {
      const prefix = `email-ip:${email}|`;
      db.delete(signInThrottle)
        .where(or(eq(signInThrottle.key, `email:${email}`), eq(signInThrottle.key, `password:${officerId}`), sql`substr(${signInThrottle.key}, 1, ${prefix.length}) = ${prefix}`))
        .run();
    },

    /** The attempt succeeded: take back its reservation on a shared key (an IP), leaving others' failures. */
    release(reservation: Reservation): void {
      db.transaction(() => {
        const row = db.select().from(signInThrottle).where(eq(signInThrottle.key, reservation.key)).get();
        if (!row) return;
        const failures = Math.max(0, row.failures - 1);
        if (failures === 0) {
          db.delete(signInThrottle).where(eq(signInThrottle.key, reservation.key)).run();
          return;
        }
        // Untouched since we reserved: put the previous failure time back, so a success never delays anyone.
        const untouched = row.failures === reservation.reserved && reservation.before.lastFailureAt !== null;
        db.update(signInThrottle)
          .set({ failures, lastFailureAt: untouched && reservation.before.lastFailureAt ? reservation.before.lastFailureAt : row.lastFailureAt })
          .where(eq(signInThrottle.key, reservation.key))
          .run();
      });
    },

    /** Drops expired rows now and then, so keys from passing IPs do not pile up. */
    sweep(): void {
      const at = now().getTime();
      if (at - lastSweep < 10 * 60 * 1000) return;
      lastSweep = at;
      db.delete(signInThrottle).where(lt(signInThrottle.lastFailureAt, new Date(at - THROTTLE_WINDOW_MS).toISOString())).run();
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
