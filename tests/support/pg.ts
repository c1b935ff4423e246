// A throw-away PostgreSQL database per test file, on the server TEST_DATABASE_URL names (default: the local one).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { ROOT_DIR } from '../../src/config.ts';

/**
 * The PostgreSQL tests run when TEST_DATABASE_URL names a server (CI sets it; .ci/run starts PostgreSQL when it is
 * not running). Each test file gets its own throw-away database on it. Without it, `npm test` needs SQLite only.
 */
export const PG_URL = process.env.TEST_DATABASE_URL;
export const PG_ADMIN_URL = PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const withPostgres = PG_URL !== undefined && PG_URL !== '';
export const PG_MIGRATIONS = path.join(ROOT_DIR, 'migrations', 'pg');

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates `tawasul_t_<random>` and returns its URL and a drop() that removes it (and its connections). */
export async function createPgDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `tawasul_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await drizzle(admin).execute(sql`create database ${sql.identifier(name)}`);
  await admin.end();
  return {
    url: withDatabase(PG_ADMIN_URL, name),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await drizzle(c).execute(sql`drop database if exists ${sql.identifier(name)} with (force)`);
      await c.end();
    },
  };
}
