// Officers open a file a beneficiary sent in a conversation (an ID copy, income proof): streamed, audited.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inboxRoutes as api } from '../api/inbox.ts';
import type { InboxGuard } from './http.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import { attachments, conversations } from '../db/schema.ts';
import { attachmentDisposition } from '../files/disposition.ts';
import { DOWNLOAD_HELMET } from '../files/download-headers.ts';
import { downloadName } from '../files/uploads.ts';

interface AttachmentRow {
  id: string;
  mime: string;
  size: number;
  storage_path: string;
  original_name: string | null;
}

/** RFC 6266/5987 so Arabic file names survive; the ASCII fallback never carries quotes or path parts. */
export function registerInboxFiles(
  server: FastifyInstance,
  deps: {
    db: Db;
    dataDir: string;
    /** The inbox guard, run before the input is validated. */
    guard: ReturnType<InboxGuard>;
    audit: (req: FastifyRequest, action: string, target: { type: string; id: string }, details?: Record<string, unknown>) => void;
  },
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const uploads = path.resolve(deps.dataDir, 'uploads');
  // Only files of the conversation's own beneficiary, so an id guessed from elsewhere opens nothing.
  const find = deps.db
    .select({ id: attachments.id, mime: attachments.mime, size: attachments.size, storage_path: attachments.storagePath, original_name: attachments.originalName })
    .from(attachments)
    .innerJoin(conversations, eq(conversations.contactId, attachments.contactId))
    .where(and(eq(conversations.id, sql.placeholder('conversationId')), eq(attachments.id, sql.placeholder('attachmentId'))))
    .prepare();

  app.get('/api/inbox/conversations/:id/attachments/:attachmentId', { helmet: DOWNLOAD_HELMET, schema: api.attachment, preValidation: deps.guard }, async (req, reply) => {
    const { id, attachmentId } = req.params;
    const row: AttachmentRow | undefined = find.get({ conversationId: id, attachmentId });
    const abs = row ? path.resolve(uploads, row.storage_path) : undefined;
    if (!row || !abs || !abs.startsWith(uploads + path.sep)) throw new AppError('ERR_NOT_FOUND', 'File not found.');
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(abs, 'r');
    } catch {
      throw new AppError('ERR_NOT_FOUND', 'The file is missing from the uploads folder.');
    }
    deps.audit(req, 'attachment.view', { type: 'attachment', id: row.id }, { conversationId: id });
    return reply
      .header('content-type', row.mime)
      .header('content-length', String(row.size))
      .header('content-disposition', attachmentDisposition(downloadName(row.original_name, row.storage_path, row.id)))
      .header('cache-control', 'private, no-store')
      .send(handle.createReadStream());
  });
}
