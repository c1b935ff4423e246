// The store's transactions behave the same on SQLite and PostgreSQL: atomic, serialised, savepoints that roll back
// alone; and on SQLite a write outside a transaction is refused instead of slipping into someone else's.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore } from '../../src/db/pg/store.ts';
import { contacts } from '../../src/db/schema.ts';
import { openSqliteStore, type Store } from '../../src/db/store.ts';
import { createPgDatabase, PG_MIGRATIONS, withPostgres } from '../support/pg.ts';
import { tempDir } from '../support/temp-db.ts';
import path from 'node:path';
import { ROOT_DIR } from '../../src/config.ts';

const stores: { name: string; open(): Promise<{ store: Store; done(): Promise<void> }> }[] = [
  {
    name: 'SQLite',
    async open() {
      const store = openSqliteStore({ file: path.join(tempDir(), 'tawasul.sqlite'), migrationsDir: path.join(ROOT_DIR, 'migrations') });
      return { store, done: () => store.close() };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const database = await createPgDatabase();
      const store = await openPgStore({ url: database.url, migrationsDir: PG_MIGRATIONS });
      return {
        store,
        async done() {
          await store.close();
          await database.drop();
        },
      };
    },
  },
];

for (const kind of stores.filter((k) => k.name === 'SQLite' || withPostgres)) {
  describe(`store on ${kind.name}`, () => {
    let store: Store;
    let done: () => Promise<void>;
    beforeAll(async () => {
      ({ store, done } = await kind.open());
    });
    afterAll(() => done());
    const names = async () => (await store.db.select({ n: contacts.displayName }).from(contacts).orderBy(contacts.displayName)).map((r) => r.n);

    it('commits a transaction as a whole, and a failing one leaves nothing', async () => {
      await store.transaction(async (tx) => {
        await tx.insert(contacts).values({ id: 'a', displayName: 'أحمد' });
        await tx.insert(contacts).values({ id: 'b', displayName: 'بدر' });
      });
      await expect(
        store.transaction(async (tx) => {
          await tx.insert(contacts).values({ id: 'c', displayName: 'جود' });
          await tx.insert(contacts).values({ id: 'a', displayName: 'مكرر' });
        }),
      ).rejects.toThrow();
      expect(await names()).toEqual(['أحمد', 'بدر']);
    });

    it('a savepoint that fails rolls back alone', async () => {
      await store.transaction(async (tx) => {
        await tx.insert(contacts).values({ id: 'd', displayName: 'دانة' });
        await expect(tx.savepoint(async (sp) => {
          await sp.insert(contacts).values({ id: 'e', displayName: 'إياد' });
          throw new Error('this item fails');
        })).rejects.toThrow('this item fails');
        await tx.savepoint(async (sp) => {
          await sp.insert(contacts).values({ id: 'f', displayName: 'فهد' });
        });
      });
      expect(await names()).toEqual(['أحمد', 'بدر', 'دانة', 'فهد']);
    });

    it('concurrent transactions that read then write do not lose updates', async () => {
      await store.transaction(async (tx) => {
        await tx.insert(contacts).values({ id: 'counter', displayName: '0' });
      });
      const bump = () =>
        store.transaction(async (tx) => {
          // Read-modify-write: only correct when nobody else's transaction interleaves (locks the row on PostgreSQL).
          const [row] = await (kind.name === 'PostgreSQL'
            ? (tx.select().from(contacts).where(eq(contacts.id, 'counter')) as unknown as { for(m: string): Promise<{ displayName: string | null }[]> }).for('update')
            : tx.select().from(contacts).where(eq(contacts.id, 'counter')));
          await new Promise((r) => setImmediate(r));
          await tx.update(contacts).set({ displayName: String(Number(row?.displayName) + 1) }).where(eq(contacts.id, 'counter'));
        });
      await Promise.all(Array.from({ length: 20 }, bump));
      const [row] = await store.db.select().from(contacts).where(eq(contacts.id, 'counter'));
      expect(row?.displayName).toBe('20');
      const [{ n } = { n: 0 }] = await store.db.select({ n: count() }).from(contacts);
      expect(n).toBe(5);
    });

    if (kind.name === 'SQLite') {
      it('refuses a write outside a transaction instead of joining whichever one is open', async () => {
        await expect(Promise.resolve().then(() => store.db.insert(contacts).values({ id: 'x' }).then((r) => r))).rejects.toThrow(/readonly/);
      });
    }
  });
}
