// IMAP polling: fetch unseen mail from INBOX, emit its events, and mark it \Seen only once every emit has resolved.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Emit, FetchedMedia, Logger } from '../../src/core/channel.ts';
import { isAutomatic, toInbound } from './inbound.ts';

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
  /** Called after a mail was stored, so replies to this address can thread under it. */
  remember: (address: string, parsed: ParsedMail, messageId: string) => void;
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
          const msg = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
          if (!msg || !msg.source) continue;
          // cid: links stay as written (not inlined as data: URLs), so signature logos can be told from attachments.
          const mail = await simpleParser(msg.source, { keepCidLinks: true, skipTextToHtml: true });
          const inbound = toInbound(mail, msg.source, opts.now());
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
            opts.remember(inbound.address, mail, inbound.messageId);
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
