// Bench server process: the real gateway, or a reference Fastify route doing only the minimal SQLite transaction.
// argv: mode ('gateway' | 'reference'), then for the gateway a JSON object of extra settings (env names → values).
// stdout: one JSON line with the port, then one JSON line per command read from stdin (also one JSON line each).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import Database from 'better-sqlite3';
import { parseConfig, ROOT_DIR } from '../src/config.ts';
import { createGateway, type Gateway } from '../src/gateway.ts';
import { createRepo } from '../src/conversations/repo.ts';
import { openDb } from '../src/db/client.ts';
import type { Json } from '../src/flows/types.ts';
import { listConversations, type InboxQueue } from '../src/inbox/queues.ts';
import { bulkSeed } from './bulk.ts';

export type Command =
  | { cmd: 'rss' }
  | { cmd: 'outbox' }
  | { cmd: 'seed'; channel: string; addresses: string[] }
  | { cmd: 'notify'; key: string; params: Record<string, Json> }
  | { cmd: 'bulk'; people: number; perConversation: number }
  | { cmd: 'search'; queries: string[]; queue: InboxQueue };

const mode = process.argv[2];
// Exit normally on SIGTERM so --cpu-prof (BENCH_PROFILE_DIR) can write its profile.
process.on('SIGTERM', () => process.exit(0));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tawasul-bench-${mode}-`));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function serve(port: number, handle: (c: Command) => Promise<Record<string, unknown>>): void {
  const write = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
  write({ port });
  // One command at a time, answered in order.
  let chain = Promise.resolve();
  readline
    .createInterface({ input: process.stdin })
    .on('line', (line) => {
      chain = chain.then(async () => {
        write(await handle(JSON.parse(line) as Command).catch((err: unknown) => ({ error: String(err) })));
      });
    })
    // The bench process went away (finished or crashed): do not linger.
    .on('close', () => process.exit(0));
}

/** Contacts that wrote on `channel` just now (inside any reply window), each with an open conversation; no bot step. */
function seed(gateway: Gateway, channel: string, addresses: string[]): string[] {
  const repo = createRepo(gateway.db);
  const now = new Date();
  return gateway.db.$client.transaction(() =>
    addresses.map((address) => {
      const identity = repo.createContactWithIdentity({ channel, address, phone: `+${address}`, displayName: 'مستفيد', locale: 'ar', now });
      repo.createConversation({ identity, locale: 'ar', now });
      return identity.contactId;
    }),
  )();
}

if (mode === 'gateway') {
  const extra = JSON.parse(process.argv[3] ?? '{}') as Record<string, string>;
  // The load generator is one IP sending ~20 msg/s on each of 200 tokens: lift the abuse limits for it.
  const config = parseConfig({
    DATA_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    WEBCHAT_RATE_LIMIT: '1000000',
    WEBCHAT_IP_RATE_LIMIT: '100000000',
    WEBCHAT_SESSION_RATE_LIMIT: '1000000',
    ...extra,
  });
  const gateway = await createGateway(config);
  await gateway.listen();
  const addr = gateway.app.server.address();
  let contacts: string[] = [];
  serve(typeof addr === 'object' && addr ? addr.port : 0, async (c) => {
    switch (c.cmd) {
      case 'rss':
        return { rss: process.memoryUsage().rss };
      case 'outbox': {
        const rows = gateway.db.$client.prepare(`select channel, status, count(*) as n from outbox group by channel, status`).all() as { channel: string; status: string; n: number }[];
        return { outbox: rows };
      }
      case 'seed':
        contacts = seed(gateway, c.channel, c.addresses);
        return { seeded: contacts.length };
      case 'bulk':
        return bulkSeed(gateway.db, c.people, c.perConversation);
      case 'search': {
        // The inbox route's own query (GET /api/inbox/conversations?q=), timed one search at a time.
        const times: number[] = [];
        let found = 0;
        for (const q of c.queries) {
          const t = performance.now();
          const page = listConversations(gateway.db, { queue: c.queue, officerId: 'bench', q, limit: 25, now: new Date() });
          times.push(performance.now() - t);
          if (page.items.length > 0) found++;
        }
        return { times, found };
      }
      case 'notify': {
        // All queued at once, as an officer's bulk status change would: each call is its own transaction.
        const t = performance.now();
        const stored = await Promise.all(contacts.map((id) => gateway.conversations.notify(id, c.key, c.params)));
        return { notified: stored.filter((m) => m !== undefined).length, ms: performance.now() - t };
      }
    }
  });
} else {
  // Same file settings and schema as the gateway, then one route with one small transaction.
  openDb({ file: path.join(dir, 'ref.sqlite'), migrationsDir: path.join(ROOT_DIR, 'migrations') }).$client.close();
  const sqlite = new Database(path.join(dir, 'ref.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  const contactId = randomUUID();
  const identityId = randomUUID();
  sqlite.prepare(`insert into contacts (id, locale) values (?, 'ar')`).run(contactId);
  sqlite.prepare(`insert into contact_identities (id, contact_id, channel, address) values (?, ?, 'webchat', 'ref')`).run(identityId, contactId);
  const convs: string[] = [];
  for (let i = 0; i < 256; i++) {
    const id = randomUUID();
    sqlite.prepare(`insert into conversations (id, contact_id, identity_id, channel) values (?, ?, ?, 'webchat')`).run(id, contactId, identityId);
    convs.push(id);
  }
  const insertMessage = sqlite.prepare(
    `insert into messages (conversation_id, contact_id, channel, direction, sender_kind, text, external_id, delivery_status) values (?, ?, 'webchat', 'in', 'beneficiary', ?, ?, 'received')`,
  );
  const updateConv = sqlite.prepare(`update conversations set last_message_at = ?, updated_at = ? where id = ?`);
  const insertOutbox = sqlite.prepare(`insert into outbox (message_id, channel, address, body) values (?, 'webchat', 'ref', ?)`);
  const tx = sqlite.transaction((conv: string, text: string) => {
    const id = insertMessage.run(conv, contactId, text, randomUUID()).lastInsertRowid;
    const ts = new Date().toISOString();
    updateConv.run(ts, ts, conv);
    insertOutbox.run(id, JSON.stringify({ text }));
    return Number(id);
  });
  const app = Fastify({ logger: false });
  app.post('/ref/messages', async (req, reply) => {
    const body = req.body as { text: string; conv: number };
    const id = tx(convs[body.conv % convs.length] ?? '', body.text);
    return reply.code(202).send({ id });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  serve(typeof addr === 'object' && addr ? addr.port : 0, async (c) => (c.cmd === 'rss' ? { rss: process.memoryUsage().rss } : { error: `unknown command ${c.cmd}` }));
}
