// An officer sends a file into a conversation: multipart in, checked by content, stored for the beneficiary, then
// handed to the conversation service like a reply. Audited.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import multipart, { type Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inboxRoutes as api } from '../api/inbox.ts';
import { eq } from 'drizzle-orm';
import { AppError } from '../core/errors.ts';
import { ensureFreeSpace } from '../files/disk.ts';
import { finishBody } from '../files/drain.ts';
import { downloadName, fromClient, sanitizeFilename, saveUpload, storedPath, tooLarge, type StoredFile } from '../files/uploads.ts';
import type { ConversationService } from '../conversations/service.ts';
import { MAX_REPLY_LENGTH } from '../conversations/officer.ts';
import type { Db } from '../db/client.ts';
import { attachments } from '../db/schema.ts';
import { officerOf, type InboxGuard } from './http.ts';
import { toInboxMessage, type InboxMessage } from './view.ts';

/** UPLOAD_MAX_BYTES' default; the composition root passes the configured value. */
export const DEFAULT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
// A caption is at most MAX_REPLY_LENGTH characters: room for four UTF-8 bytes each.
const CAPTION_BYTES = MAX_REPLY_LENGTH * 4;

export interface SendFileDeps {
  db: Db;
  conversations: Pick<ConversationService, 'replyWithFile'>;
  dataDir: string;
  maxBytes: number;
  /** UPLOAD_MIN_FREE_MB in bytes (0 = no check). */
  minFreeBytes: number;
  /** The inbox guard, run before the input is validated. */
  guard: ReturnType<InboxGuard>;
  audit: (req: FastifyRequest, action: string, target: { type: string; id: string }, details?: Record<string, unknown>) => void;
  /** Throws 404 / 409 before any byte is stored: the conversation must exist and be this officer's to answer. */
  ensureMayReply: (req: FastifyRequest, conversationId: string) => { contactId: string };
  deliveriesOf: (messageId: number) => InboxMessage['deliveries'];
}

export async function registerSendFile(app: FastifyInstance, deps: SendFileDeps): Promise<void> {
  const dir = path.resolve(deps.dataDir, 'uploads');

  /** Reads the parts in any order: one `file`, an optional `caption`; anything else is ignored. */
  async function read(req: FastifyRequest, id: string): Promise<{ file: StoredFile; name: string | undefined; caption: string }> {
    const length = Number(req.headers['content-length']);
    // Room for the multipart framing and the caption; the file itself is counted exactly while streaming.
    if (Number.isFinite(length) && length > deps.maxBytes + CAPTION_BYTES + 64 * 1024) throw tooLarge(deps.maxBytes);
    let stored: { file: StoredFile; name: string | undefined } | undefined;
    let caption = '';
    // One more byte than allowed, so an oversized file reaches our own counter and gets the same 413.
    const parts = req.parts({ limits: { fileSize: deps.maxBytes + 1, files: 1, fields: 5, fieldSize: CAPTION_BYTES, parts: 10, headerPairs: 50 } });
    try {
      for (;;) {
        let next: IteratorResult<Multipart>;
        try {
          next = await parts.next();
        } catch (err) {
          throw new AppError('ERR_VALIDATION', 'The multipart body could not be read (one file, in a field named "file").', { cause: err });
        }
        if (next.done || !next.value) break;
        const part = next.value;
        if (part.type === 'field') {
          if (part.fieldname !== 'caption') continue;
          if (part.valueTruncated) throw new AppError('ERR_PAYLOAD_TOO_LARGE', `A caption is at most ${MAX_REPLY_LENGTH} characters.`);
          caption = typeof part.value === 'string' ? part.value : '';
          continue;
        }
        if (part.fieldname !== 'file' || stored) {
          await part.toBuffer().catch(() => undefined);
          continue;
        }
        const stream = part.file;
        const file = await saveUpload(fromClient(stream), { dir, id, maxBytes: deps.maxBytes, now: new Date(), truncated: () => stream.truncated });
        stored = { file, name: sanitizeFilename(part.filename) };
      }
    } catch (err) {
      if (stored) await remove(stored.file);
      throw err;
    }
    if (!stored) throw new AppError('ERR_VALIDATION', 'Send the file in a multipart field named "file".');
    return { ...stored, caption };
  }

  async function remove(file: StoredFile): Promise<void> {
    const abs = storedPath(dir, file.storagePath);
    if (abs) await fs.rm(abs, { force: true });
  }

  // Own scope: multipart only here; the rest of the inbox keeps its JSON parser.
  await app.register(async (scope) => {
    await scope.register(multipart);
    // Anything but multipart reaches the handler unread, to be answered with the 400 that says what to send.
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    scope.withTypeProvider<ZodTypeProvider>().post('/api/inbox/conversations/:id/files', { preValidation: deps.guard, schema: api.sendFile }, async (req, reply) => {
      const conversationId = req.params.id;
      const { contactId } = deps.ensureMayReply(req, conversationId);
      if (!req.isMultipart()) {
        reply.header('connection', 'close');
        throw new AppError('ERR_VALIDATION', 'Send multipart/form-data with the file in a field named "file" (and an optional "caption").');
      }
      const attachmentId = randomUUID();
      let upload: Awaited<ReturnType<typeof read>>;
      const length = Number(req.headers['content-length']);
      try {
        await ensureFreeSpace(dir, deps.minFreeBytes, Number.isFinite(length) ? Math.min(length, deps.maxBytes) : deps.maxBytes);
      } catch (err) {
        // Refused before reading: the officer's browser gets the 507 instead of a reset while it is still sending.
        await finishBody(req, reply, deps.maxBytes + CAPTION_BYTES + 64 * 1024);
        throw err;
      }
      try {
        upload = await read(req, attachmentId);
      } catch (err) {
        // The rest of the body is not read: close the connection instead of draining up to the limit.
        reply.header('connection', 'close');
        throw err;
      }
      const { file, name, caption } = upload;
      deps.db
        .insert(attachments)
        .values({ id: attachmentId, contactId, originalName: name ?? null, mime: file.mime, size: file.size, sha256: file.sha256, storagePath: file.storagePath })
        .run();
      const me = officerOf(req);
      let message;
      try {
        // What the beneficiary's device saves it as ends in the detected type's extension, like every download.
        const sent = name ? downloadName(name, file.storagePath, attachmentId) : undefined;
        message = await deps.conversations.replyWithFile(conversationId, { id: me.id, displayName: me.displayName }, { attachmentId, mime: file.mime, ...(sent ? { name: sent } : {}), size: file.size }, caption);
      } catch (err) {
        // Nothing in the conversation refers to it: forget the row and the file rather than keep an orphan.
        deps.db.delete(attachments).where(eq(attachments.id, attachmentId)).run();
        await remove(file);
        throw err;
      }
      deps.audit(req, 'conversation.send_file', { type: 'conversation', id: conversationId }, { messageId: message.id, attachmentId, mime: file.mime, size: file.size });
      return reply.code(201).send({ message: { ...toInboxMessage(message), deliveries: deps.deliveriesOf(message.id) } });
    });
  });
}
