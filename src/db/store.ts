// The store: one async data-access surface over SQLite (the embedded default) and PostgreSQL (DATABASE_URL).
//
// Code is written once, against drizzle's SQLite builder with the SQLite tables, and always awaits: on PostgreSQL the
// same builder calls run through drizzle's node-postgres session (see pg/derive.ts for why the tables fit), on SQLite
// better-sqlite3 answers synchronously and the await costs a microtask. Only `await query` is portable: `.get()`,
// `.all()`, `.run()` exist on SQLite alone (tests/architecture.test.ts keeps them out of src/).
//
// Transactions are async on both. better-sqlite3 has one connection, so a transaction that awaits could otherwise
// let unrelated work slip into it; here SQLite has two connections: `db` reads (opened read-only, so it sees only
// committed rows and any write outside a transaction fails loudly), and the writer, used only inside
// `transaction()`, one transaction at a time (a FIFO lock). PostgreSQL's transactions are its own.
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import Database from 'better-sqlite3';
import { closeDb, openDb, type Db } from './client.ts';
import type * as schema from './schema.ts';

/** The portable surface: drizzle's SQLite builder, awaited. */
export type StoreDb = BaseSQLiteDatabase<'async', unknown, typeof schema>;

/** Inside a transaction: the same surface, plus savepoints that roll back alone. */
export interface StoreTx extends Omit<StoreDb, 'transaction'> {
  savepoint<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Reads anywhere; on SQLite it cannot write. */
  readonly db: StoreDb;
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A FIFO lock: each holder runs alone, in arrival order. */
function createLock() {
  let tail: Promise<void> = Promise.resolve();
  return async function withLock<T>(fn: () => Promise<T>): Promise<T> {
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  };
}

export interface SqliteStoreOptions {
  file: string;
  migrationsDir: string;
}

export function openSqliteStore({ file, migrationsDir }: SqliteStoreOptions): Store & { writer: Db } {
  const writer = openDb({ file, migrationsDir });
  const readerClient = new Database(file, { readonly: true, fileMustExist: true });
  readerClient.pragma('busy_timeout = 5000');
  readerClient.pragma('cache_size = -16000');
  const reader = drizzle(readerClient);
  const withLock = createLock();
  let depth = 0;

  const savepoint = async <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => {
    const name = sql.raw(`sp${++depth}`);
    writer.run(sql`savepoint ${name}`);
    try {
      const result = await fn(tx);
      writer.run(sql`release ${name}`);
      return result;
    } catch (error) {
      writer.run(sql`rollback to ${name}`);
      writer.run(sql`release ${name}`);
      throw error;
    } finally {
      depth--;
    }
  };
  const tx = Object.assign(Object.create(writer) as StoreTx, { savepoint });

  return {
    dialect: 'sqlite',
    db: reader as unknown as StoreDb,
    writer,
    transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
      return withLock(async () => {
        writer.run(sql`begin immediate`);
        try {
          const result = await fn(tx);
          writer.run(sql`commit`);
          return result;
        } catch (error) {
          if (writer.$client.inTransaction) writer.run(sql`rollback`);
          throw error;
        }
      });
    },
    async close() {
      await withLock(async () => {
        if (readerClient.open) readerClient.close();
        closeDb(writer);
      });
    },
  };
}
