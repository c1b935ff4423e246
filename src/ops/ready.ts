// The readiness report: the database answers, every shipped migration is applied, and the leases this instance holds.
import { sql } from 'drizzle-orm';
import type { Ready, LeaseState } from '../api/ops.ts';
import type { Db } from '../db/client.ts';
import type { migrationChecker } from '../db/migrations-state.ts';

export interface ReadinessDeps {
  db: Db;
  migrations: ReturnType<typeof migrationChecker>;
  leases: () => LeaseState;
}

export function createReadiness(deps: ReadinessDeps): () => Ready {
  return () => {
    const leases = deps.leases();
    const notReady = (database: Ready['database'], migrations: Ready['migrations'], pending?: string[]): Ready => ({
      status: 'not_ready',
      database,
      migrations,
      ...(pending ? { pendingMigrations: pending } : {}),
      leases,
    });
    if (!deps.db.$client.open) return notReady('closed', 'unknown');
    try {
      deps.db.get(sql`select 1`);
    } catch {
      return notReady('unreachable', 'unknown');
    }
    let pending: string[];
    try {
      pending = deps.migrations.check(deps.db).pending;
    } catch {
      // No __drizzle_migrations table: nothing was ever applied to this file.
      return notReady('ok', 'unknown');
    }
    if (pending.length > 0) return notReady('ok', 'pending', pending);
    return { status: 'ready', database: 'ok', migrations: 'ok', leases };
  };
}
