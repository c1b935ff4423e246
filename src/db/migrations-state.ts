// Whether the database has every migration this build ships: drizzle's journal against its __drizzle_migrations table.
import fs from 'node:fs';
import path from 'node:path';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Db } from './client.ts';

// Drizzle's own bookkeeping table (not in schema.ts, so drizzle-kit never generates a migration for it). Its
// created_at is the journal entry's `when`.
const drizzleMigrations = sqliteTable('__drizzle_migrations', {
  // SQLite leaves its id column null (declared SERIAL, not INTEGER): rows are told apart by created_at.
  id: integer('id'),
  hash: text('hash').notNull(),
  createdAt: integer('created_at'),
});

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

export interface MigrationState {
  /** Migrations this build ships. */
  expected: number;
  /** Shipped migrations the database has not applied (their tags). */
  pending: string[];
}

/** Reads the journal once; `check(db)` compares it with what the database applied (throws when it cannot read). */
export function migrationChecker(migrationsDir: string) {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as Journal;
  return {
    check(db: Db): MigrationState {
      const applied = new Set(db.select({ at: drizzleMigrations.createdAt }).from(drizzleMigrations).all().map((r) => Number(r.at)));
      const pending = journal.entries.filter((e) => !applied.has(e.when)).map((e) => e.tag);
      return { expected: journal.entries.length, pending };
    },
  };
}
