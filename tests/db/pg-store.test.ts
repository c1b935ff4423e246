// PostgreSQL: the derived schema covers every table, its migrations apply once when instances start together, and the
// queries written against the SQLite tables run unchanged on it.
import { execFileSync } from 'node:child_process';
import { is, and, desc, eq, sql } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableConfig as getPgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.ts';
import { closePg, openPg, type PgDb } from '../../src/db/pg/client.ts';
import * as pgSchema from '../../src/db/pg/schema.ts';
import * as schema from '../../src/db/schema.ts';
import type { StoreDb } from '../../src/db/store.ts';
import { contactIdentities, contacts, conversations, messages } from '../../src/db/schema.ts';
import { createPgDatabase, PG_MIGRATIONS, withPostgres } from '../support/pg.ts';

const sqliteTables = Object.values(schema as Record<string, unknown>).filter((t): t is SQLiteTable => is(t, SQLiteTable));
const pgTables = Object.values(pgSchema as Record<string, unknown>).filter((t): t is PgTable => is(t, PgTable));

describe('the PostgreSQL schema', () => {
  it('has every SQLite table, column for column, with the same indexes', () => {
    expect(pgTables.map((t) => getPgTableConfig(t).name).sort()).toEqual(sqliteTables.map((t) => getTableConfig(t).name).sort());
    for (const table of sqliteTables) {
      const s = getTableConfig(table);
      const p = getPgTableConfig(pgTables.find((t) => getPgTableConfig(t).name === s.name) as PgTable);
      expect(p.columns.map((c) => [c.name, c.notNull]), s.name).toEqual(s.columns.map((c) => [c.name, c.notNull]));
      expect(p.indexes.map((i) => i.config.name).sort(), s.name).toEqual(s.indexes.map((i) => i.config.name).sort());
      expect(p.foreignKeys.length, s.name).toBe(s.foreignKeys.length);
    }
  });

  it('has its migrations generated: drizzle-kit finds nothing left to generate', () => {
    const out = execFileSync('npx', ['drizzle-kit', 'generate', '--config', 'drizzle.pg.config.ts'], { cwd: ROOT_DIR, encoding: 'utf8' });
    expect(out).toMatch(/No schema changes/);
  });
});

describe.runIf(withPostgres)('PostgreSQL store', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let dbs: PgDb[] = [];
  beforeAll(async () => {
    database = await createPgDatabase();
  });
  afterAll(async () => {
    await Promise.all(dbs.map(closePg));
    await database.drop();
  });

  it('three instances starting together migrate the database once', async () => {
    dbs = await Promise.all([1, 2, 3].map(() => openPg({ url: database.url, migrationsDir: PG_MIGRATIONS, max: 2 })));
    const rows = await dbs[0]!.execute<{ n: number }>(sql`select count(*) as n from drizzle.__drizzle_migrations`);
    const journal = (await import('../../migrations/pg/meta/_journal.json', { with: { type: 'json' } })).default as { entries: unknown[] };
    expect(rows.rows[0]?.n).toBe(journal.entries.length);
  });

  it('runs the SQLite tables’ queries: defaults, booleans, JSON, upserts, partial unique indexes, joins', async () => {
    const db = dbs[0] as unknown as StoreDb;
    const [contact] = await db.insert(contacts).values({ id: 'c1', displayName: 'سارة العتيبي', phone: '+966512345678', phoneVerified: true }).returning();
    expect(contact).toMatchObject({ locale: 'ar', phoneVerified: true, phoneRegisteredBy: null });
    expect(contact?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await db.insert(contactIdentities).values({ id: 'i1', contactId: 'c1', channel: 'whatsapp', address: '966512345678' });
    await db
      .insert(contactIdentities)
      .values({ id: 'i2', contactId: 'c1', channel: 'whatsapp', address: '966512345678', displayName: 'سارة' })
      .onConflictDoUpdate({ target: [contactIdentities.channel, contactIdentities.address, contactIdentities.unverified], set: { displayName: sql`excluded.display_name` } });
    await db.insert(conversations).values({ id: 'v1', contactId: 'c1', identityId: 'i1', channel: 'whatsapp', flowState: { flow: 'apply', step: 'name', answers: { city: 'الرياض' } } });
    const first = await db.insert(messages).values({ conversationId: 'v1', contactId: 'c1', channel: 'whatsapp', direction: 'in', senderKind: 'beneficiary', text: 'السلام عليكم', externalId: 'wamid.1', deliveryStatus: 'received' }).onConflictDoNothing().returning({ id: messages.id });
    const replay = await db.insert(messages).values({ conversationId: 'v1', contactId: 'c1', channel: 'whatsapp', direction: 'in', senderKind: 'beneficiary', text: 'السلام عليكم', externalId: 'wamid.1', deliveryStatus: 'received' }).onConflictDoNothing().returning({ id: messages.id });
    expect(first).toHaveLength(1);
    expect(typeof first[0]?.id).toBe('number');
    expect(replay, 'a replayed webhook is dropped by the partial unique index').toHaveLength(0);
    const rows = await db
      .select({ name: contacts.displayName, verified: contacts.phoneVerified, identity: contactIdentities.displayName, state: conversations.flowState, count: sql<number>`count(${messages.id})` })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .innerJoin(contactIdentities, eq(contactIdentities.id, conversations.identityId))
      .leftJoin(messages, eq(messages.conversationId, conversations.id))
      .where(and(eq(contacts.phoneVerified, true), eq(conversations.channel, 'whatsapp')))
      .groupBy(contacts.displayName, contacts.phoneVerified, contactIdentities.displayName, conversations.flowState)
      .orderBy(desc(contacts.displayName));
    expect(rows).toEqual([{ name: 'سارة العتيبي', verified: true, identity: 'سارة', state: { flow: 'apply', step: 'name', answers: { city: 'الرياض' } }, count: 1 }]);
  });
});
