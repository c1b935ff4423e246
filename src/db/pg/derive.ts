// The PostgreSQL tables, derived from the one SQLite schema so there is a single definition to keep.
//
// Queries run on PostgreSQL with the SQLite table objects themselves (drizzle builds the SQL from the table's names
// and the PostgreSQL dialect; values go through the SQLite columns' own mappers). So every column keeps the storage
// those mappers expect: booleans are 0/1 integers, JSON is text, timestamps are ISO-8601 text. This file only turns
// the SQLite definitions into PostgreSQL DDL for drizzle-kit (drizzle.pg.config.ts), with the same names, keys,
// indexes (partial ones included) and foreign keys.
import { is, SQL, sql } from 'drizzle-orm';
import { type AnySQLiteColumn, getTableConfig, type SQLiteTable, SQLiteTable as SQLiteTableClass } from 'drizzle-orm/sqlite-core';
import { bigint, doublePrecision, foreignKey, index, type PgColumnBuilderBase, pgTable, primaryKey, text, uniqueIndex, unique } from 'drizzle-orm/pg-core';
import { now as sqliteNow } from '../schema/common.js';

/** ISO-8601 UTC with milliseconds and a Z, the same text SQLite's default writes. */
export const pgNow = sql`(to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;

type AnyColumn = AnySQLiteColumn & { columnType: string; autoIncrement?: boolean; default?: unknown; hasDefault: boolean; notNull: boolean; primary: boolean; isUnique: boolean; uniqueName?: string };

function columnFor(column: AnyColumn): PgColumnBuilderBase {
  const name = column.name;
  let builder;
  switch (column.columnType) {
    case 'SQLiteText':
    case 'SQLiteTextJson':
      builder = text(name);
      break;
    case 'SQLiteInteger':
    case 'SQLiteBoolean':
    case 'SQLiteTimestamp':
      // 64-bit everywhere: counters and millisecond times outgrow 32 bits; read back as numbers (see client.ts).
      builder = bigint(name, { mode: 'number' });
      break;
    case 'SQLiteReal':
      builder = doublePrecision(name);
      break;
    default:
      throw new Error(`derive: column ${name} has type ${column.columnType}, which has no PostgreSQL mapping yet`);
  }
  if (column.primary && column.autoIncrement) builder = (builder as ReturnType<typeof bigint>).generatedByDefaultAsIdentity();
  if (column.primary) builder = builder.primaryKey();
  if (column.notNull && !column.primary) builder = builder.notNull();
  if (column.hasDefault && column.default !== undefined) {
    const value = column.default;
    if (value === sqliteNow) builder = builder.default(pgNow);
    else if (is(value, SQL)) throw new Error(`derive: column ${name} has an SQL default with no PostgreSQL form`);
    else if (typeof value === 'boolean') builder = builder.default((value ? 1 : 0) as never);
    else builder = builder.default(value as never);
  }
  if (column.isUnique) builder = builder.unique(column.uniqueName);
  return builder;
}

/** One PostgreSQL table with the same shape as a SQLite table. */
export function derivePgTable(table: SQLiteTable) {
  const config = getTableConfig(table);
  const columns: Record<string, PgColumnBuilderBase> = {};
  const keyOf = new Map<string, string>();
  for (const [key, column] of Object.entries(table)) {
    if (!config.columns.includes(column as AnySQLiteColumn)) continue;
    columns[key] = columnFor(column as AnyColumn);
    keyOf.set((column as AnyColumn).name, key);
  }
  return pgTable(config.name, columns, (t) => {
    const cols = t as unknown as Record<string, Parameters<typeof index>[0] & never>;
    const pick = (names: AnySQLiteColumn[]) => names.map((c) => cols[keyOf.get(c.name) ?? c.name]) as [never, ...never[]];
    const extras = [];
    for (const ix of config.indexes) {
      const c = ix.config;
      const on = pick(c.columns as AnySQLiteColumn[]);
      const built = (c.unique ? uniqueIndex(c.name) : index(c.name)).on(...on);
      extras.push(c.where ? built.where(c.where) : built);
    }
    for (const u of config.uniqueConstraints) extras.push(unique(u.name).on(...pick(u.columns as AnySQLiteColumn[])));
    for (const pk of config.primaryKeys) extras.push(primaryKey({ columns: pick(pk.columns as AnySQLiteColumn[]) }));
    for (const fk of config.foreignKeys) {
      const ref = fk.reference();
      const foreign = foreignTables.get(ref.foreignTable);
      if (!foreign) throw new Error(`derive: ${config.name} references a table that is not derived yet`);
      const foreignCols = foreign as unknown as Record<string, never>;
      const foreignKeyOf = (c: AnySQLiteColumn) => Object.keys(ref.foreignTable).find((k) => (ref.foreignTable as unknown as Record<string, unknown>)[k] === c) ?? c.name;
      extras.push(
        foreignKey({ name: fk.getName(), columns: pick(ref.columns as AnySQLiteColumn[]), foreignColumns: (ref.foreignColumns as AnySQLiteColumn[]).map((c) => foreignCols[foreignKeyOf(c)]) as [never, ...never[]] }),
      );
    }
    return extras;
  });
}

const foreignTables = new Map<SQLiteTable, ReturnType<typeof derivePgTable>>();

/** Every SQLite table exported by a schema module, derived in an order that puts referenced tables first. */
export function derivePgSchema(schema: Record<string, unknown>): Record<string, ReturnType<typeof derivePgTable>> {
  const tables = Object.entries(schema).filter((entry): entry is [string, SQLiteTable] => is(entry[1], SQLiteTableClass));
  const out: Record<string, ReturnType<typeof derivePgTable>> = {};
  const pending = new Map(tables);
  while (pending.size > 0) {
    let progressed = false;
    for (const [key, table] of pending) {
      const refs = getTableConfig(table).foreignKeys.map((fk) => fk.reference().foreignTable);
      if (refs.every((r) => r === table || foreignTables.has(r))) {
        // A self-reference needs the table itself in the map while its foreign keys are built: drizzle builds
        // extras lazily, so registering a placeholder first and the real table right after is enough.
        const derived = derivePgTable(table);
        foreignTables.set(table, derived);
        out[key] = derived;
        pending.delete(key);
        progressed = true;
      }
    }
    if (!progressed) throw new Error(`derive: a foreign-key cycle among ${[...pending.keys()].join(', ')}`);
  }
  return out;
}
