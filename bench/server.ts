// Bench server process: the real gateway, or a reference Fastify route doing only the minimal SQLite transaction.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import Database from 'better-sqlite3';
import { parseConfig, ROOT_DIR } from '../src/config.ts';
import { createGateway } from '../src/gateway.ts';
import { openDb } from '../src/db/client.ts';

const mode = process.argv[2];
// Exit normally on SIGTERM so --cpu-prof (BENCH_PROFILE_DIR) can write its profile.
process.on('SIGTERM', () => process.exit(0));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tawasul-bench-${mode}-`));

function report(port: number): void {
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.stdin.on('data', (d) => {
    if (String(d).includes('rss')) process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage().rss })}\n`);
  });
}

if (mode === 'gateway') {
  // The load generator is one IP sending ~20 msg/s on each of 200 tokens: lift the abuse limits for it.
  const config = parseConfig({
    DATA_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    WEBCHAT_RATE_LIMIT: '1000000',
    WEBCHAT_IP_RATE_LIMIT: '100000000',
    WEBCHAT_SESSION_RATE_LIMIT: '1000000',
  });
  const gateway = await createGateway(config);
  await gateway.listen();
  const addr = gateway.app.server.address();
  report(typeof addr === 'object' && addr ? addr.port : 0);
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
  report(typeof addr === 'object' && addr ? addr.port : 0);
}
