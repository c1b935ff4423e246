// Web chat uploads: raw bytes or multipart in, checked by content, stored under DATA_DIR/uploads, handed to the
// conversation as a `file` message; and the owner's download of a stored file.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { UploadGate } from '../conversations/upload-gate.ts';
import { ensureFreeSpace } from '../files/disk.ts';
import { finishBody } from '../files/drain.ts';
import { attachmentDisposition } from '../files/disposition.ts';
import { CROSS_ORIGIN_DOWNLOAD_HELMET } from '../files/download-headers.ts';
import { downloadName, fromClient, sanitizeFilename, saveUpload, storedPath, tooLarge, type StoredFile } from '../files/uploads.ts';
import type { Attachments } from './attachments.ts';
import type { Reservation, UploadQuotas } from './quotas.ts';
import type { WebchatSession } from './sessions.ts';

export interface UploadRouteDeps {
  prefix: string;
  conversations: ConversationService;
  attachments: Attachments;
  maxBytes: number;
  gate: UploadGate;
  quotas: UploadQuotas;
  /** Free-space floor under DATA_DIR, in bytes (0 = no check). */
  minFreeBytes: number;
  auth(req: FastifyRequest): Promise<WebchatSession>;
  /** auth plus one unit of the token's rate limit. */
  authSend(req: FastifyRequest): Promise<WebchatSession>;
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// A request without a body (no Content-Type, no length) reaches the handler with no stream at all.
async function* nothing(): AsyncGenerator<Buffer> {}

function decodeName(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const MULTIPART_ROOM = 64 * 1024;

export async function registerUploadRoutes(app: FastifyInstance, deps: UploadRouteDeps): Promise<void> {
  const dir = deps.attachments.dir;

  /** The most the body may hold: the file, plus room for the multipart framing around it. */
  const bodyLimit = (req: FastifyRequest) => deps.maxBytes + (req.isMultipart() ? MULTIPART_ROOM : 0);

  async function store(req: FastifyRequest, id: string): Promise<{ file: StoredFile; name: string | undefined }> {
    const options = { dir, id, maxBytes: deps.maxBytes, now: new Date() };
    if (req.isMultipart()) {
      let part;
      try {
        // One more byte than allowed, so an oversized file reaches our own counter and gets the same 413.
        part = await req.file({ limits: { fileSize: deps.maxBytes + 1, files: 1, fields: 10, fieldSize: 1024, parts: 20, headerPairs: 50 } });
      } catch (err) {
        throw new AppError('ERR_VALIDATION', 'The multipart body could not be read.', { cause: err });
      }
      if (!part || part.fieldname !== 'file') throw new AppError('ERR_VALIDATION', 'Send the file in a multipart field named "file".');
      const stream = part.file;
      const file = await saveUpload(fromClient(stream), { ...options, truncated: () => stream.truncated });
      return { file, name: sanitizeFilename(part.filename) };
    }
    const body = req.body as Readable | undefined;
    const file = await saveUpload(fromClient(body ?? nothing()), options);
    return { file, name: sanitizeFilename(decodeName(req.headers['x-filename'])) };
  }

  // Own scope: any content type is accepted as a raw stream here (the type is judged by content), plus multipart.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    await scope.register(multipart);

    /** Everything that can refuse an upload without reading it, cheapest first; holds the quota it will use. */
    async function admit(req: FastifyRequest): Promise<{ session: WebchatSession; release: Reservation }> {
      const session = await deps.authSend(req);
      if (!deps.gate.accepts(session.identityId)) {
        throw new AppError('ERR_UPLOAD_NOT_EXPECTED', 'This chat is not waiting for a file now. Send files when the assistant asks for a document, or while an officer is answering you.');
      }
      const length = Number(req.headers['content-length']);
      const declared = Number.isFinite(length) && length >= 0 ? length : undefined;
      if (declared !== undefined && declared > bodyLimit(req)) throw tooLarge(deps.maxBytes);
      const expected = Math.min(declared ?? deps.maxBytes, deps.maxBytes);
      const release = deps.quotas.reserve(session.contactId, req.ip, expected);
      try {
        await ensureFreeSpace(dir, deps.minFreeBytes, expected);
      } catch (err) {
        release.cancel();
        throw err;
      }
      return { session, release };
    }

    scope.post(`${deps.prefix}/uploads`, async (req, reply) => {
      const id = randomUUID();
      let admitted: Awaited<ReturnType<typeof admit>> | undefined;
      let stored: { file: StoredFile; name: string | undefined };
      try {
        admitted = await admit(req);
        stored = await store(req, id);
      } catch (err) {
        admitted?.release.cancel();
        await finishBody(req, reply, bodyLimit(req));
        throw err;
      }
      const { session, release } = admitted;
      const { file, name } = stored;
      deps.attachments.insert({ id, contactId: session.contactId, originalName: name ?? null, mime: file.mime, size: file.size, sha256: file.sha256, storagePath: file.storagePath });
      let messageId: number;
      try {
        const result = await deps.conversations.receive({
          channel: 'webchat',
          externalId: `upload:${id}`,
          address: session.address,
          sender: {},
          content: { type: 'file', attachmentId: id, mime: file.mime, ...(name ? { name } : {}), size: file.size },
          receivedAt: new Date(),
          raw: null,
        });
        messageId = result.messageId;
      } catch (err) {
        // Nothing in the conversation refers to it: forget the row and the file rather than keep an orphan.
        release.cancel();
        deps.attachments.remove(id);
        const abs = storedPath(dir, file.storagePath);
        if (abs) await fs.rm(abs, { force: true });
        throw err;
      }
      release.settle(file.size);
      return reply.code(202).send({ id: messageId, attachment: { id, name: name ?? null, mime: file.mime, size: file.size } });
    });
  });

  app.get(`${deps.prefix}/uploads/:id`, { helmet: CROSS_ORIGIN_DOWNLOAD_HELMET }, async (req: FastifyRequest, reply: FastifyReply) => {
    const session = await deps.auth(req);
    const { id } = req.params as { id: string };
    const row = ID.test(id) ? deps.attachments.get(id) : undefined;
    // Someone else's file is reported exactly like a missing one.
    const abs = row && row.contactId === session.contactId ? storedPath(dir, row.storagePath) : undefined;
    if (!row || !abs) throw new AppError('ERR_NOT_FOUND', 'No such upload.');
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(abs, 'r');
    } catch {
      throw new AppError('ERR_NOT_FOUND', 'No such upload.');
    }
    return reply
      .header('content-type', row.mime)
      .header('content-length', String(row.size))
      .header('content-disposition', attachmentDisposition(downloadName(row.originalName, row.storagePath, id)))
      .header('cache-control', 'private, no-store')
      .send(handle.createReadStream());
  });
}
