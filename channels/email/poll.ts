// IMAP polling: fetch unseen mail from INBOX, emit each, and mark it \Seen only once emit has resolved.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Emit, Logger } from '../../src/core/channel.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import { htmlToText } from './html-text.ts';
import { stripQuoted } from './quote.ts';
import { replyKeyIn } from './send.ts';

export interface PollOptions {
  logger: Logger;
  /** A fresh, unconnected client per round; a poll connects, works and logs out. */
  client: () => ImapFlow;
  pollMs: number;
  backoff: { minMs: number; maxMs: number };
  ownAddress: string;
  now: () => Date;
  /** Called after a mail was stored, so replies to this address can thread under it. */
  remember: (address: string, parsed: ParsedMail, messageId: string) => void;
}

const MAX_TEXT = 20_000;

/** Auto-replies and our own mail are marked \Seen without emitting: answering them makes mail loops. */
function isAutomatic(mail: ParsedMail, ownAddress: string, from: string): boolean {
  const auto = String(mail.headers.get('auto-submitted') ?? 'no').toLowerCase();
  const precedence = String(mail.headers.get('precedence') ?? '').toLowerCase();
  return from === ownAddress || auto !== 'no' || /^(bulk|junk|list|auto_reply)$/.test(precedence) || mail.headers.has('x-autoreply');
}

export function toInbound(mail: ParsedMail, source: Buffer, receivedAt: Date): NormalizedInbound | null {
  const from = mail.from?.value[0];
  const address = from?.address?.trim().toLowerCase();
  if (!address) return null;
  const messageId = mail.messageId?.trim() || `sha256:${createHash('sha256').update(source).digest('hex')}`;
  const plain = mail.text ?? (typeof mail.html === 'string' ? htmlToText(mail.html) : '');
  const body = stripQuoted(plain).slice(0, MAX_TEXT);
  const attachments = mail.attachments.filter((a) => a.contentDisposition !== 'inline');
  const content: NormalizedInbound['content'] =
    body === '' && attachments.length > 0 ? { type: 'media', kind: 'document' } : { type: 'text', text: body || (mail.subject ?? '').trim() };
  const to = mail.to ? (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((t) => t.value.map((v) => v.address ?? '')) : [];
  return {
    channel: 'email',
    externalId: messageId.slice(0, 200),
    address: address.slice(0, 200),
    sender: from?.name ? { displayName: from.name.slice(0, 200) } : {},
    content,
    receivedAt,
    raw: { messageId, subject: mail.subject, inReplyTo: mail.inReplyTo, replyKey: to.map(replyKeyIn).find(Boolean), attachments: attachments.length },
  };
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
          const mail = await simpleParser(msg.source);
          const event = toInbound(mail, msg.source, opts.now());
          if (!event || isAutomatic(mail, opts.ownAddress, event.address)) {
            logger.info({ channel: 'email', uid }, 'email skipped (automatic, own, or without a sender)');
          } else {
            emitting = true;
            try {
              await emit(event);
            } catch (err) {
              // Left unseen: the same mail comes back on the next poll, and later ones wait so order holds.
              logger.error({ channel: 'email', uid, err, retryInMs: delay }, 'email not stored; will retry');
              failed = true;
              break;
            } finally {
              emitting = false;
            }
            opts.remember(event.address, mail, event.externalId);
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
