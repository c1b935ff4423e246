// Leases on PostgreSQL between instances (here: separate stores, as separate processes would have), and on SQLite.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.ts';
import { createLeaseKeeper, type Held } from '../../src/db/leases.ts';
import { openPgStore } from '../../src/db/pg/store.ts';
import { openSqliteStore, type Store } from '../../src/db/store.ts';
import { createPgDatabase, PG_MIGRATIONS, withPostgres } from '../support/pg.ts';
import { tempDir } from '../support/temp-db.ts';

function recorder() {
  const events: string[] = [];
  return {
    events,
    run: (who: string) => ({
      start: (held: Held) => void events.push(`${who} starts ${held.name} #${held.token}`),
      stop: () => void events.push(`${who} stops`),
    }),
  };
}

describe.runIf(withPostgres)('leases between instances on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  const stores: Store[] = [];
  beforeAll(async () => {
    database = await createPgDatabase();
    for (let i = 0; i < 3; i++) stores.push(await openPgStore({ url: database.url, migrationsDir: PG_MIGRATIONS, max: 2 }));
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await database.drop();
  });

  it('one holder at a time; a dead holder is replaced after expiry with a higher token, and learns it lost', async () => {
    let clock = 1_000_000;
    const now = () => clock;
    const r = recorder();
    const keepers = stores.map((store, i) => createLeaseKeeper({ store, holder: `instance-${i}`, ttlMs: 10_000, now, intervalMs: 3_600_000 }));
    keepers.forEach((k, i) => k.keep('imap:charity@example.org', r.run(`instance-${i}`)));
    await Promise.all(keepers.map((k) => k.tick()));
    await Promise.all(keepers.map((k) => k.tick()));
    expect(r.events.filter((e) => e.includes('starts'))).toHaveLength(1);
    const first = keepers.findIndex((k) => k.holds().length === 1);
    expect(keepers.map((k) => k.holds().length)).toEqual(keepers.map((_, i) => (i === first ? 1 : 0)));

    // The holder freezes (kill -9, a long GC, a network split): the others keep trying; nothing moves before expiry.
    clock += 9_000;
    const others = keepers.filter((_, i) => i !== first);
    await Promise.all(others.map((k) => k.tick()));
    expect(others.every((k) => k.holds().length === 0)).toBe(true);
    clock += 2_000;
    await Promise.all(others.map((k) => k.tick()));
    const taken = others.flatMap((k) => k.holds());
    expect(taken).toEqual([{ name: 'imap:charity@example.org', token: 2 }]);

    // The old holder wakes up: its renewal fails, it stops, and does not take the lease back.
    await keepers[first]?.tick();
    expect(keepers[first]?.holds()).toEqual([]);
    expect(r.events.at(-1)).toBe(`instance-${first} stops`);
    await Promise.all(keepers.map((k) => k.close()));
  });

  it('a clean shutdown hands the lease over at once', async () => {
    const clock = 5_000_000;
    const r = recorder();
    const [a, b] = stores.slice(0, 2).map((store, i) => createLeaseKeeper({ store, holder: `host-${i}`, ttlMs: 10_000, now: () => clock, intervalMs: 3_600_000 }));
    a?.keep('telegram:polling', r.run('a'));
    await a?.tick();
    b?.keep('telegram:polling', r.run('b'));
    await b?.tick();
    expect(b?.holds()).toEqual([]);
    await a?.close();
    await b?.tick();
    expect(b?.holds()).toEqual([{ name: 'telegram:polling', token: 2 }]);
    await b?.close();
  });
});

describe('leases on SQLite', () => {
  it('the only instance holds every lease, keeps its token while renewing, and releases at close', async () => {
    const store = openSqliteStore({ file: path.join(tempDir(), 'tawasul.sqlite'), migrationsDir: path.join(ROOT_DIR, 'migrations') });
    let clock = 0;
    const r = recorder();
    const keeper = createLeaseKeeper({ store, holder: 'solo', ttlMs: 10_000, now: () => clock, intervalMs: 3_600_000 });
    keeper.keep('outbox:whatsapp:+966500000000', r.run('solo'));
    await keeper.tick();
    for (let i = 0; i < 5; i++) {
      clock += 3_000;
      await keeper.tick();
    }
    expect(keeper.holds()).toEqual([{ name: 'outbox:whatsapp:+966500000000', token: 1 }]);
    await keeper.close();
    expect(r.events).toEqual(['solo starts outbox:whatsapp:+966500000000 #1', 'solo stops']);
    await store.close();
  });
});
