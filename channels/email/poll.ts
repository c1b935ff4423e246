// IMAP polling: fetch unseen mail from INBOX, emit its events, and mark it \Seen only once every emit has resolved.
import { setImmediate as breathe, setTimeout as sleep } from 'node:timers/promises';
import type { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Emit, FetchedMedia, Logger } from '../../src/core/channel.ts';
import { isAutomatic, toInbound, tooLargeInbound, type InboundMail } from './inbound.ts';

// What is read of a mail before deciding whether to download it: enough to answer, thread and judge the sender.
const HEAD_FIELDS = ['from', 'to', 'subject', 'message-id', 'in-reply-to', 'references', 'date', 'authentication-results', 'auto-submitted', 'precedence', 'x-autoreply'];
// cid: links stay as written (not inlined as data: URLs), so signature logos can be told from attachments; the
// text of HTML is read by html-text.ts within a window, never by mailparser over the whole part.
const PARSE = { keepCidLinks: true, skipTextToHtml: true, skipHtmlToText: true, skipTextLinks: true } as const;

export interface PollOptions {
  logger: Logger;
  /** A fresh, unconnected client per round; a poll connects, works and logs out. */
  client: () => ImapFlow;
  pollMs: number;
  backoff: { minMs: number; maxMs: number };
  ownAddress: string;
  now: () => Date;
  /** Keeps an attachment's bytes under its ref; called just before that media event is emitted. */
  stash: (ref: string, media: FetchedMedia) => void;
  /** Called after a mail was stored, so replies to this address can thread under it (`proven`: see sender-trust.ts). */
  remember: (address: string, parsed: ParsedMail, messageId: string, proven: boolean) => void;
  /** EMAIL_MAX_BYTES: a larger mail is not downloaded; one event says it came. */
  maxBytes: number;
  /** EMAIL_AUTHSERV_ID (see sender-trust.ts). */
  authservId: string | null;
}

interface Fetched {
  mail: ParsedMail;
  inbound: InboundMail | null;
}

/**
 * One mail by uid: its size and a few headers first, then (when it is within the limit) its source, asked for with
 * a byte limit so that a server that under-reports the size still cannot make us download more.
 */
async function fetchMail(client: ImapFlow, uid: number, opts: PollOptions): Promise<Fetched | undefined> {
  const meta = await client.fetchOne(String(uid), { uid: true, size: true, headers: HEAD_FIELDS }, { uid: true });
  if (!meta) return undefined;
  const tooLarge = async (size: number): Promise<Fetched> => {
    opts.logger.warn({ channel: 'email', uid, size, maxBytes: opts.maxBytes }, 'email over EMAIL_MAX_BYTES: not downloaded; its sender is told');
    const head = await simpleParser(meta.headers || Buffer.alloc(0), PARSE);
    const validity = client.mailbox ? String(client.mailbox.uidValidity) : '0';
    return { mail: head, inbound: tooLargeInbound(head, `imap:${validity}:${uid}`, size, opts.maxBytes, opts.now(), opts.authservId) };
  };
  if ((meta.size ?? 0) > opts.maxBytes) return tooLarge(meta.size ?? 0);
  const msg = await client.fetchOne(String(uid), { uid: true, source: { start: 0, maxLength: opts.maxBytes + 1 } }, { uid: true });
  if (!msg || !msg.source) return undefined;
  if (msg.source.length > opts.maxBytes) return tooLarge(Math.max(meta.size ?? 0, msg.source.length));
  const mail = await simpleParser(msg.source, PARSE);
  // Timers and sockets get their turn between the parse and the text passes.
  await breathe();
  return { mail, inbound: toInbound(mail, msg.source, opts.now(), opts.authservId) };
}

/** Runs until `signal` aborts; never throws for IMAP or emit failures (it logs and backs off instead). */
export async function runImapPolling(emit: Emit, signal: AbortSignal, opts: PollOptions): Promise<void> {
  const { logger, backoff } = opts;
  let delay = backoff.minMs;
  while (!signal.aborted) {
    let failed = false;
    const client = opts.client();
    let emitting = false;
    // Closing the socket rejects whatever IMAP command is waiting, so stop() never waits out a slow server.
    const onAbort = () => emitting || client.close();
    signal.addEventListener('abort', onAbort, { once: true });
    client.on('error', (err: unknown) => logger.warn({ channel: 'email', err }, 'IMAP connection error'));
    try {
      await client.connect();
      const lock = await client.getMailboxLock('INBOX');
      try {
        const uids = (await client.search({ seen: false }, { uid: true })) || [];
        for (const uid of [...uids].sort((a, b) => a - b)) {
          if (signal.aborted) break;
          const fetched = await fetchMail(client, uid, opts);
          if (!fetched) continue;
          const { mail, inbound } = fetched;
          if (!inbound || isAutomatic(mail, opts.ownAddress, inbound.address)) {
            logger.info({ channel: 'email', uid }, 'email skipped (automatic, own, or without a sender)');
          } else {
            emitting = true;
            try {
              // The gateway fetches a media event's bytes before its emit resolves, so they are stashed one at a time.
              for (const { event, media } of inbound.events) {
                if (media && event.content.type === 'media' && event.content.ref) opts.stash(event.content.ref, media);
                await emit(event);
              }
            } catch (err) {
              // Left unseen: the same mail comes back on the next poll, and later ones wait so order holds.
              logger.error({ channel: 'email', uid, err, retryInMs: delay }, 'email not stored; will retry');
              failed = true;
              break;
            } finally {
              emitting = false;
            }
            opts.remember(inbound.address, mail, inbound.messageId, inbound.proven);
          }
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        }
      } finally {
        lock.release();
      }
      await client.logout();
    } catch (err) {
      if (signal.aborted) break;
      failed = true;
      logger.warn({ channel: 'email', error: err instanceof Error ? err.message : String(err), retryInMs: delay }, 'IMAP poll failed');
      client.close();
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (signal.aborted) {
      client.close();
      break;
    }
    await sleep(failed ? delay : opts.pollMs, undefined, { signal }).catch(() => undefined);
    delay = failed ? Math.min(delay * 2, backoff.maxMs) : backoff.minMs;
  }
}
