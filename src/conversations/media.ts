// Files beneficiaries send through a provider (WhatsApp photos and voice notes, email attachments): downloaded
// after the message is committed, stored under DATA_DIR/uploads and linked to the message for officers.
import { randomUUID } from 'node:crypto';
import type { ChannelAdapter, Logger } from '../core/channel.ts';
import { isAppError } from '../core/errors.ts';
import type { NormalizedInbound } from '../core/messages.ts';
import { ensureFreeSpace } from '../files/disk.ts';
import { providerFileType } from '../files/provider-types.ts';
import { sanitizeFilename, saveUpload } from '../files/uploads.ts';
import type { Db } from '../db/client.ts';

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
}

type MediaPayload = { media?: string; ref?: string; mime?: string; name?: string; attachment?: unknown; mediaError?: string };

export function createInboundMedia(deps: InboundMediaDeps) {
  const clock = deps.now ?? (() => new Date());
  const raw = deps.db.$client;
  const stmt = {
    message: raw.prepare(`select id, channel, contact_id as contactId, conversation_id as conversationId, payload from messages where id = ?`),
    setPayload: raw.prepare(`update messages set payload = ? where id = ?`),
    insertAttachment: raw.prepare(
      `insert into attachments (id, contact_id, conversation_id, message_id, original_name, mime, size, sha256, storage_path, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // Media committed but never stored (the process stopped in between): looked for once at start.
    unfetched: raw.prepare(
      `select id, channel from messages where direction = 'in' and created_at >= ? and json_extract(payload, '$.ref') is not null
       and json_extract(payload, '$.attachment') is null and json_extract(payload, '$.mediaError') is null order by id`,
    ),
  };
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  function record(messageId: number, patch: Partial<MediaPayload>, attachment?: unknown[]): void {
    raw.transaction(() => {
      const row = stmt.message.get(messageId) as { payload: string | null } | undefined;
      if (!row) return;
      const payload = { ...((row.payload ? JSON.parse(row.payload) : {}) as MediaPayload), ...patch };
      if (attachment) stmt.insertAttachment.run(...attachment);
      stmt.setPayload.run(JSON.stringify(payload), messageId);
    })();
  }

  /**
   * Download and store one message's media. Resolves true when stored or refused for good (too large, gone),
   * false when worth another try later. Never throws.
   */
  async function fetchOnce(messageId: number): Promise<boolean> {
    const msg = stmt.message.get(messageId) as { id: number; channel: string; contactId: string; conversationId: string; payload: string | null } | undefined;
    const payload = (msg?.payload ? JSON.parse(msg.payload) : {}) as MediaPayload;
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
      record(messageId, { attachment: { id, name, mime: stored.mime, size: stored.size }, mediaError: undefined }, [
        id,
        msg.contactId,
        msg.conversationId,
        msg.id,
        name,
        stored.mime,
        stored.size,
        stored.sha256,
        stored.storagePath,
        now.toISOString(),
      ]);
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
      const rows = stmt.unfetched.all(since) as { id: number; channel: string }[];
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
