// The store on PostgreSQL: the SQLite builder surface of store.ts, run by drizzle's node-postgres session.
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Store, StoreDb, StoreTx } from '../store.ts';
import { closePg, openPg, type OpenPgOptions } from './client.ts';

type PgTx = Parameters<Parameters<NodePgDatabase['transaction']>[0]>[0];

function wrap(pgTx: PgTx): StoreTx {
  return Object.assign(Object.create(pgTx) as StoreTx, {
    // drizzle's nested transaction on node-postgres is a savepoint.
    savepoint: <T>(fn: (tx: StoreTx) => Promise<T>) => pgTx.transaction((inner) => fn(wrap(inner))),
  });
}

export async function openPgStore(options: OpenPgOptions): Promise<Store> {
  const db = await openPg(options);
  return {
    dialect: 'postgres',
    db: db as unknown as StoreDb,
    transaction: (fn) => db.transaction((pgTx) => fn(wrap(pgTx))),
    close: () => closePg(db),
  };
}
