// Opens PostgreSQL (DATABASE_URL), applies migrations/pg once under an advisory lock, and hands out the drizzle handle.
//
// The handle runs the SQLite table objects of src/db/schema.ts (see derive.ts): their column mappers expect 0/1,
// JSON text and ISO text, which is what the derived PostgreSQL columns store. 64-bit integers and numerics come back
// as JavaScript numbers, as SQLite's do (our counters and times stay far below 2^53).
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { sql } from 'drizzle-orm';

const INT8 = 20;
const NUMERIC = 1700;
pg.types.setTypeParser(INT8, (value) => Number(value));
pg.types.setTypeParser(NUMERIC, (value) => Number(value));

/** One key for "Tawasul is migrating this database" (any 64-bit constant no other program uses). */
export const MIGRATION_LOCK_KEY = 7_042_015_001;

export type PgDb = NodePgDatabase & { $client: pg.Pool };

export interface OpenPgOptions {
  url: string;
  migrationsDir: string;
  /** Pool size per instance; PostgreSQL's default 100 connections allow a dozen instances at 8. */
  max?: number;
}

export async function openPg({ url, migrationsDir, max = 8 }: OpenPgOptions): Promise<PgDb> {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'tawasul' });
  // An idle client that loses its server must not take the process down; the pool replaces it.
  pool.on('error', () => {});
  try {
    await migrateOnce(pool, migrationsDir);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return drizzle(pool) as PgDb;
}

/** Several instances starting together: the first takes the lock and migrates, the others wait and find it done. */
export async function migrateOnce(pool: pg.Pool, migrationsDir: string): Promise<void> {
  const client = await pool.connect();
  const db = drizzle(client);
  try {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migrate(db, { migrationsFolder: migrationsDir });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  } finally {
    client.release();
  }
}

export async function closePg(db: PgDb): Promise<void> {
  await db.$client.end();
}
