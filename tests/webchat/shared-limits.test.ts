// Web chat rate limits on PostgreSQL count across instances: a chat that alternates between two gateways gets the
// limit once, not once per gateway. Real HTTP on 127.0.0.1 to two Fastify instances sharing one database.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore } from '../../src/db/pg/store.ts';
import type { Store } from '../../src/db/store.ts';
import { registerBase } from '../../src/http/base.ts';
import { registerWebchatLimits } from '../../src/webchat/limits.ts';
import { countInWindow, sharedLimitStore } from '../../src/webchat/shared-limits.ts';
import { createPgDatabase, PG_MIGRATIONS, withPostgres } from '../support/pg.ts';

async function instance(store: Store | null): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  await registerBase(app, { https: false });
  await app.register(async (scope) => {
    const limits = await registerWebchatLimits(scope, { tokenRateLimit: 6, ipRateLimit: 1000, sessionRateLimit: 1000 }, store ? sharedLimitStore(store) : undefined);
    scope.post('/api/webchat/messages', async (req) => {
      await limits.perToken(req);
      return { ok: true };
    });
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: address };
}

async function alternate(urls: string[], times: number, token: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) {
    const res = await fetch(`${urls[i % urls.length]}/api/webchat/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    statuses.push(res.status);
    if (res.status === 429) expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ERR_RATE_LIMITED');
    else await res.arrayBuffer();
  }
  return statuses;
}

describe.runIf(withPostgres)('web chat limits shared through PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  const stores: Store[] = [];
  const apps: FastifyInstance[] = [];
  beforeAll(async () => {
    database = await createPgDatabase();
    for (let i = 0; i < 2; i++) stores.push(await openPgStore({ url: database.url, migrationsDir: PG_MIGRATIONS, max: 2 }));
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await Promise.all(stores.map((s) => s.close()));
    await database.drop();
  });

  it('two instances with the shared store give a chat its 6 messages a minute in all', async () => {
    const shared = await Promise.all(stores.map((s) => instance(s)));
    apps.push(...shared.map((s) => s.app));
    const statuses = await alternate(shared.map((s) => s.url), 10, 'chat-token-1');
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);
  });

  it('(without it, each instance would have allowed 6: the limit that sharing closes)', async () => {
    const local = await Promise.all([instance(null), instance(null)]);
    apps.push(...local.map((s) => s.app));
    const statuses = await alternate(local.map((s) => s.url), 10, 'chat-token-2');
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
  });

  it('a window reopens after it ends', async () => {
    const store = stores[0] as Store;
    expect(await countInWindow(store, 'token:t3', 60_000, 1_000)).toEqual({ current: 1, ttl: 60_000 });
    expect(await countInWindow(store, 'token:t3', 60_000, 31_000)).toEqual({ current: 2, ttl: 30_000 });
    expect(await countInWindow(store, 'token:t3', 60_000, 61_000)).toEqual({ current: 1, ttl: 60_000 });
  });
});
