// Files beneficiaries send through a provider (WhatsApp photos and voice notes, email attachments): downloaded
// after the message is committed, stored under DATA_DIR/uploads and linked to the message for officers.
import { randomUUID } from 'node:crypto';
import type { ChannelAdapter, Logger } from '../core/channel.ts';
import { isAppError } from '../core/errors.ts';
import type { NormalizedInbound } from '../core/messages.ts';
import { ensureFreeSpace } from '../files/disk.ts';
import { providerFileType } from '../files/provider-types.ts';
import { sanitizeFilename, saveUpload } from '../files/uploads.ts';
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { attachments, messages } from '../db/schema.ts';
import { claimForApplication, incompleteApplication, nextMissingDocument, releaseReservation, type ProfileDocument, type Reservation } from './incomplete-upload.ts';

export interface InboundMediaDeps {
  db: Db;
  adapters: ReadonlyMap<string, Pick<ChannelAdapter, 'fetchMedia'>>;
  /** DATA_DIR/uploads. */
  uploadsDir: string;
  maxBytes: number;
  /** UPLOAD_MIN_FREE_MB in bytes: below it nothing is downloaded or stored, and the download is retried later. */
  minFreeBytes?: number;
  logger: Logger;
  now?: () => Date;
  /** Waits between download attempts of a webhook's media (the provider keeps it for days). */
  retryDelaysMs?: readonly number[];
  /** The profile's required documents: a file sent while an application is «ناقص» is tagged with the next missing one. */
  documents?: readonly ProfileDocument[];
}

type MediaPayload = Reservation & { media?: string; ref?: string; mime?: string; name?: string; attachment?: unknown; mediaError?: string };

export function createInboundMedia(deps: InboundMediaDeps) {
  const clock = deps.now ?? (() => new Date());
  const { db } = deps;
  const messageById = (id: number) =>
    db
      .select({ id: messages.id, channel: messages.channel, contactId: messages.contactId, conversationId: messages.conversationId, payload: messages.payload })
      .from(messages)
      .where(eq(messages.id, id))
      .get();
  const payloadOf = (row: { payload: unknown } | undefined): MediaPayload => (row?.payload && typeof row.payload === 'object' ? (row.payload as MediaPayload) : {});
  /** Media committed but never stored (the process stopped in between): looked for once at start. */
  const unfetchedSince = (since: string) =>
    db
      .select({ id: messages.id, channel: messages.channel })
      .from(messages)
      .where(
        and(
          eq(messages.direction, 'in'),
          gte(messages.createdAt, since),
          sql`json_extract(${messages.payload}, '$.ref') is not null`,
          sql`json_extract(${messages.payload}, '$.attachment') is null`,
          sql`json_extract(${messages.payload}, '$.mediaError') is null`,
        ),
      )
      .orderBy(asc(messages.id))
      .all();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  function record(messageId: number, patch: Partial<MediaPayload>, attachment?: typeof attachments.$inferInsert): void {
    db.transaction((tx) => {
      const row = tx.select({ payload: messages.payload }).from(messages).where(eq(messages.id, messageId)).get();
      if (!row) return;
      // A key set to undefined is dropped, as JSON.stringify always did.
      const payload = JSON.parse(JSON.stringify({ ...payloadOf(row), ...patch })) as MediaPayload;
      if (attachment) {
        tx.insert(attachments).values(attachment).run();
        // Same SQLite connection, so these run inside this transaction.
        // Taken for the document it was reserved for when it came in; else (older messages) the next missing one.
        const reserved = payload.forApplication;
        const incomplete = reserved ? { id: reserved } : incompleteApplication(db, attachment.contactId);
        const document = reserved ? (deps.documents ?? []).find((d) => d.id === payload.forDocument) : incomplete && nextMissingDocument(db, incomplete.id, deps.documents ?? []);
        if (incomplete) claimForApplication(db, { attachmentId: attachment.id, applicationId: incomplete.id, document, now: clock().toISOString() });
      } else if (patch.mediaError) {
        releaseReservation(db, payload);
      }
      tx.update(messages).set({ payload }).where(eq(messages.id, messageId)).run();
    });
  }

  /**
   * Download and store one message's media. Resolves true when stored or refused for good (too large, gone),
   * false when worth another try later. Never throws.
   */
  async function fetchOnce(messageId: number): Promise<boolean> {
    const msg = messageById(messageId);
    const payload = payloadOf(msg);
    if (!msg || !payload.ref || payload.attachment) return true;
    const adapter = deps.adapters.get(msg.channel);
    if (!adapter?.fetchMedia) return false;
    try {
      // Not even downloaded while the disk is nearly full: the provider keeps the file, so a later try can fetch it.
      await ensureFreeSpace(deps.uploadsDir, deps.minFreeBytes ?? 0);
      const file = await adapter.fetchMedia(payload.ref, { maxBytes: deps.maxBytes });
      await ensureFreeSpace(deps.uploadsDir, deps.minFreeBytes ?? 0, file.data.length);
      const id = randomUUID();
      const now = clock();
      const claimed = file.mime ?? payload.mime;
      const stored = await saveUpload(
        (async function* () {
          yield file.data;
        })(),
        { dir: deps.uploadsDir, id, maxBytes: deps.maxBytes, now, classify: (head) => providerFileType(head, claimed) },
      );
      const name = sanitizeFilename(payload.name ?? file.name) ?? null;
      record(messageId, { attachment: { id, name, mime: stored.mime, size: stored.size }, mediaError: undefined }, {
        id,
        contactId: msg.contactId,
        conversationId: msg.conversationId,
        messageId: msg.id,
        originalName: name,
        mime: stored.mime,
        size: stored.size,
        sha256: stored.sha256,
        storagePath: stored.storagePath,
        createdAt: now.toISOString(),
      });
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const tooLarge = isAppError(err) && err.code === 'ERR_PAYLOAD_TOO_LARGE';
      const final = tooLarge || (isAppError(err) && (err.code === 'ERR_NOT_FOUND' || !err.retryable));
      deps.logger.warn({ messageId, channel: msg.channel, err: message }, final ? 'media could not be stored' : 'media download failed, will retry');
      if (final) record(messageId, { mediaError: tooLarge ? 'too_large' : 'unavailable' });
      return final;
    }
  }

  function later(messageId: number, attempt: number): void {
    const delays = deps.retryDelaysMs ?? [0, 2_000, 15_000, 60_000, 300_000];
    const delay = delays[attempt];
    if (stopped) return;
    if (delay === undefined) {
      record(messageId, { mediaError: 'unavailable' });
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      void fetchOnce(messageId).then((done) => {
        if (!done) later(messageId, attempt + 1);
      });
    }, delay);
    timers.add(timer);
  }

  const wanted = (event: NormalizedInbound) => event.content.type === 'media' && !!event.content.ref && !!deps.adapters.get(event.channel)?.fetchMedia;

  return {
    /** Webhooks: the provider already has its 200; download in the background, retrying for a while. */
    fetchLater(event: NormalizedInbound, messageId: number): void {
      if (wanted(event)) later(messageId, 0);
    },
    /**
     * Long-lived receivers (IMAP): the bytes are at hand; store them before the source is acknowledged. Also
     * called for a replayed event, whose file a crash may have kept from being stored the first time.
     */
    async fetchNow(event: NormalizedInbound, messageId: number): Promise<void> {
      if (!wanted(event)) return;
      if (!(await fetchOnce(messageId))) later(messageId, 1);
    },
    /**
     * At start: media of the last week that a stop interrupted is fetched again, for channels whose provider
     * keeps the file (WhatsApp). Mail is read again from the mailbox instead, and stored through fetchNow.
     */
    resume(channels: readonly string[], days = 7): number {
      // The query reads a week of messages: not worth it when no channel keeps its files for us.
      if (channels.length === 0) return 0;
      const since = new Date(clock().getTime() - days * 86_400_000).toISOString();
      const rows = unfetchedSince(since);
      const ids = rows.filter((r) => channels.includes(r.channel)).map((r) => r.id);
      for (const id of ids) later(id, 0);
      return ids.length;
    },
    stop(): void {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

export type InboundMedia = ReturnType<typeof createInboundMedia>;
