// A real SQLite file in a fresh temp folder, migrated like production.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ROOT_DIR } from '../../src/config.ts';
import { closeDb, openDb, type Db } from '../../src/db/client.ts';
import { contactIdentities, contacts, conversations, messages } from '../../src/db/schema.ts';

export function tempDir(prefix = 'tawasul-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function openTempDb(dir = tempDir()): { db: Db; dir: string; file: string; close(): void } {
  const file = path.join(dir, 'tawasul.sqlite');
  const db = openDb({ file, migrationsDir: path.join(ROOT_DIR, 'migrations') });
  return { db, dir, file, close: () => closeDb(db) };
}

/** Insert one outbound message row (for worker tests that do not go through a flow). */
export function seedMessage(db: Db, channel = 'telegram', address = '42'): number {
  const contactId = randomUUID();
  const identityId = randomUUID();
  const conversationId = randomUUID();
  db.insert(contacts).values({ id: contactId }).run();
  db.insert(contactIdentities).values({ id: identityId, contactId, channel, address }).run();
  db.insert(conversations).values({ id: conversationId, contactId, identityId, channel }).run();
  return db.insert(messages).values({ conversationId, contactId, channel, direction: 'out', senderKind: 'bot', text: 'x', deliveryStatus: 'queued' }).returning().get().id;
}
