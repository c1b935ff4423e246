// Wake-ups between instances: after a commit an instance announces ids ("conversation 42 changed"); every instance,
// itself included, hears it and pushes to its own live clients, who then read the rows from the database.
//
// On PostgreSQL this is NOTIFY on one channel and LISTEN on a dedicated connection (never payloads, only a topic
// and ids, a few hundred bytes at most). On SQLite there is one process, so the bus is in memory. When the listening
// connection drops, it reconnects and says `resync`: listeners then read what they may have missed.
import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';

export const BUS_CHANNEL = 'tawasul_events';
/** Ids per NOTIFY: PostgreSQL allows 8000 bytes; we keep each well under 500. */
const IDS_PER_NOTICE = 12;

export interface Bus {
  /** After commit: tell every instance these ids of `topic` changed. */
  publish(topic: string, ids: readonly (string | number)[]): Promise<void>;
  /** `resync` is called after a gap in hearing (a reconnect), with no ids: read from the database. */
  subscribe(topic: string, onIds: (ids: string[]) => void, onResync?: () => void): () => void;
  close(): Promise<void>;
}

function emitterBus(emitter = new EventEmitter()) {
  emitter.setMaxListeners(0);
  return {
    emitter,
    subscribe(topic: string, onIds: (ids: string[]) => void, onResync?: () => void) {
      emitter.on(`ids:${topic}`, onIds);
      if (onResync) emitter.on('resync', onResync);
      return () => {
        emitter.off(`ids:${topic}`, onIds);
        if (onResync) emitter.off('resync', onResync);
      };
    },
  };
}

export function createMemoryBus(): Bus {
  const { emitter, subscribe } = emitterBus();
  return {
    async publish(topic, ids) {
      if (ids.length > 0) queueMicrotask(() => emitter.emit(`ids:${topic}`, ids.map(String)));
    },
    subscribe,
    async close() {
      emitter.removeAllListeners();
    },
  };
}

export interface PgBusOptions {
  url: string;
  /** The pool that sends NOTIFY (the store's). */
  pool: pg.Pool;
  reconnectMs?: number;
}

export async function createPgBus({ url, pool, reconnectMs = 500 }: PgBusOptions): Promise<Bus> {
  const { emitter, subscribe } = emitterBus();
  const notifier = drizzle(pool);
  let listener: pg.Client | null = null;
  let closed = false;

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: url, application_name: 'tawasul-listen' });
    client.on('notification', (msg) => {
      if (msg.channel !== BUS_CHANNEL || !msg.payload) return;
      const cut = msg.payload.indexOf(' ');
      if (cut <= 0) return;
      emitter.emit(`ids:${msg.payload.slice(0, cut)}`, msg.payload.slice(cut + 1).split(','));
    });
    client.on('error', () => {
      if (listener === client) reconnect();
    });
    client.on('end', () => {
      if (listener === client) reconnect();
    });
    await client.connect();
    await drizzle(client).execute(sql`listen ${sql.identifier(BUS_CHANNEL)}`);
    listener = client;
  }

  function reconnect(): void {
    listener = null;
    if (closed) return;
    setTimeout(() => {
      if (closed) return;
      listen().then(
        () => emitter.emit('resync'),
        () => reconnect(),
      );
    }, reconnectMs).unref();
  }

  await listen();
  return {
    async publish(topic, ids) {
      if (!/^[a-z_.:-]+$/.test(topic)) throw new Error(`bus topic "${topic}" must be a plain name`);
      for (let i = 0; i < ids.length; i += IDS_PER_NOTICE) {
        const payload = `${topic} ${ids.slice(i, i + IDS_PER_NOTICE).join(',')}`;
        await notifier.execute(sql`select pg_notify(${BUS_CHANNEL}, ${payload})`);
      }
    },
    subscribe,
    async close() {
      closed = true;
      const client = listener;
      listener = null;
      emitter.removeAllListeners();
      await client?.end().catch(() => {});
    },
  };
}
