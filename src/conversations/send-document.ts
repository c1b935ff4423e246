// A document the gateway made (an official letter, a beneficiary's access copy) sent into a conversation as an
// officer's file: stored under DATA_DIR/uploads like any file an officer sends, recorded for the beneficiary, then
// queued through replyWithFile (the outbox). If queueing fails, the row and the file go: nothing keeps an orphan copy.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { attachments } from '../db/schema.ts';
import { saveUpload, storedPath } from '../files/uploads.ts';
import type { OfficerRef } from './officer.ts';
import type { ConversationService } from './service.ts';

export interface SendDocumentDeps {
  db: Db;
  conversations: Pick<ConversationService, 'replyWithFile'>;
  uploadsDir: string;
}

export interface GeneratedDocument {
  bytes: Buffer;
  /** The largest such a document should be; saveUpload refuses more. */
  maxBytes: number;
  contactId: string;
  conversationId: string;
  name: string;
  caption: string;
  now: Date;
}

export async function sendGeneratedDocument(deps: SendDocumentDeps, officer: OfficerRef, doc: GeneratedDocument) {
  const attachmentId = randomUUID();
  const file = await saveUpload(
    (async function* () {
      yield doc.bytes;
    })(),
    { dir: deps.uploadsDir, id: attachmentId, maxBytes: doc.maxBytes, now: doc.now },
  );
  deps.db.insert(attachments).values({ id: attachmentId, contactId: doc.contactId, originalName: doc.name, mime: file.mime, size: file.size, sha256: file.sha256, storagePath: file.storagePath }).run();
  try {
    const message = await deps.conversations.replyWithFile(doc.conversationId, officer, { attachmentId, mime: file.mime, name: doc.name, size: file.size }, doc.caption);
    return { message, attachmentId, size: file.size };
  } catch (err) {
    deps.db.delete(attachments).where(eq(attachments.id, attachmentId)).run();
    const abs = storedPath(deps.uploadsDir, file.storagePath);
    if (abs) await fs.rm(abs, { force: true });
    throw err;
  }
}
