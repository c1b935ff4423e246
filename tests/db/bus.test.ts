// Wake-ups between instances: what one instance announces after a commit, every instance hears, including after its
// listening connection was cut (it reconnects and asks its listeners to resync from the database).
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bus, createMemoryBus, createPgBus } from '../../src/db/bus.ts';
import { createPgDatabase, withPostgres } from '../support/pg.ts';

function collect(bus: Bus, topic: string) {
  const got: string[] = [];
  let resyncs = 0;
  bus.subscribe(topic, (ids) => got.push(...ids), () => resyncs++);
  return { got, resyncs: () => resyncs };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check(), what).toBe(true);
}

describe.runIf(withPostgres)('the bus on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let pools: pg.Pool[];
  let buses: Bus[];
  beforeAll(async () => {
    database = await createPgDatabase();
    pools = [new pg.Pool({ connectionString: database.url, max: 2 }), new pg.Pool({ connectionString: database.url, max: 2 })];
    buses = await Promise.all(pools.map((pool) => createPgBus({ url: database.url, pool, reconnectMs: 50 })));
  });
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
    await Promise.all(pools.map((p) => p.end()));
    await database.drop();
  });

  it('an announcement on one instance reaches both, in order, in small notices', async () => {
    const a = collect(buses[0] as Bus, 'conversation');
    const b = collect(buses[1] as Bus, 'conversation');
    const other = collect(buses[1] as Bus, 'officer');
    const ids = Array.from({ length: 40 }, (_, i) => `c-${i}`);
    await buses[0]?.publish('conversation', ids);
    await until(() => a.got.length === 40 && b.got.length === 40, 'both instances heard all 40 ids');
    expect(b.got).toEqual(ids);
    expect(other.got).toEqual([]);
  });

  it('a cut listening connection comes back and asks for a resync; later announcements arrive', async () => {
    const b = collect(buses[1] as Bus, 'widget');
    const admin = drizzle(new pg.Client({ connectionString: database.url }));
    await admin.$client.connect();
    await admin.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'tawasul-listen' and datname = current_database()`);
    await admin.$client.end();
    await until(() => b.resyncs() >= 1, 'the listener reconnected and asked for a resync');
    await buses[0]?.publish('widget', ['w-1']);
    await until(() => b.got.includes('w-1'), 'an announcement after the reconnect arrived');
  });
});

describe('the bus in one process (SQLite)', () => {
  it('delivers to subscribers of the topic after the publishing call returns', async () => {
    const bus = createMemoryBus();
    const got = collect(bus, 'conversation');
    await bus.publish('conversation', ['1', '2']);
    await until(() => got.got.length === 2, 'heard');
    await bus.close();
  });
});
