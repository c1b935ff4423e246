// Pure: one parsed mail → the events it becomes (its new text, then one media event per attached file).
import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { FetchedMedia } from '../../src/core/channel.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import { mediaKindOf, mimeOf, realAttachments, safeFileName } from './attachments.ts';
import { bodyOf } from './body.ts';
import { replyKeyIn } from './send.ts';
import { isSenderProven } from './sender-trust.ts';

const ID_MAX = 200;

export interface MailEvent {
  event: NormalizedInbound;
  /** The bytes behind a media event's `ref`, to keep until the gateway fetches them. */
  media?: FetchedMedia;
}

export interface InboundMail {
  /** The sender, lower-cased: every event of the mail goes to this address so they share a conversation. */
  address: string;
  /** The mail's Message-ID, or a hash of its source when it has none (stable across fetches either way). */
  messageId: string;
  /** The receiving server proved the From address (see sender-trust.ts); otherwise every event is `unverified`. */
  proven: boolean;
  events: MailEvent[];
}

/** Auto-replies and our own mail are marked \Seen without emitting: answering them makes mail loops. */
export function isAutomatic(mail: ParsedMail, ownAddress: string, from: string): boolean {
  const auto = String(mail.headers.get('auto-submitted') ?? 'no').toLowerCase();
  const precedence = String(mail.headers.get('precedence') ?? '').toLowerCase();
  return from === ownAddress || auto !== 'no' || /^(?:bulk|junk|list|auto_reply)$/.test(precedence.trim()) || mail.headers.has('x-autoreply');
}

/** `${messageId}#${n}`, cut so the whole id fits; n counts real attachments from 1 in mail order. */
function partId(messageId: string, n: number): string {
  const suffix = `#${n}`;
  return `${messageId.slice(0, ID_MAX - suffix.length)}${suffix}`;
}

type Sender = NormalizedInbound['sender'];

/** The From address, lower-cased, and what the events say about its sender; null without an address. */
function senderOf(mail: ParsedMail, authservId: string | null): { address: string; sender: Sender; proven: boolean } | null {
  const from = mail.from?.value[0];
  const address = from?.address?.trim().toLowerCase().slice(0, ID_MAX);
  if (!address) return null;
  const proven = mail.from?.value.length === 1 && isSenderProven(mail.headerLines, address, authservId);
  const sender: Sender = { ...(from?.name ? { displayName: from.name.slice(0, 200) } : {}), ...(proven ? {} : { unverified: true as const }) };
  return { address, sender, proven };
}

/** The threading fields kept with every event of a mail. */
function rawOf(mail: ParsedMail, messageId: string) {
  const to = mail.to ? (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((t) => t.value.map((v) => v.address ?? '')) : [];
  return { messageId, subject: mail.subject, inReplyTo: mail.inReplyTo, replyKey: to.map(replyKeyIn).find(Boolean) };
}

/**
 * A mail over EMAIL_MAX_BYTES, known only by its headers (`head`, parsed from the few fields fetched): one event
 * that says it came and how big it was. `fallbackId` names it when it has no Message-ID (the server's uid).
 */
export function tooLargeInbound(head: ParsedMail, fallbackId: string, size: number, maxBytes: number, receivedAt: Date, authservId: string | null): InboundMail | null {
  const who = senderOf(head, authservId);
  if (!who) return null;
  const messageId = head.messageId?.trim() || fallbackId;
  const event: NormalizedInbound = {
    channel: 'email',
    externalId: messageId.slice(0, ID_MAX),
    address: who.address,
    sender: who.sender,
    content: { type: 'too_large', size, maxBytes },
    receivedAt,
    raw: { ...rawOf(head, messageId), size },
  };
  return { address: who.address, messageId, proven: who.proven, events: [{ event }] };
}

/** null for a mail without a sender address. A mail with files and no new text gives only media events. */
export function toInbound(mail: ParsedMail, source: Buffer, receivedAt: Date, authservId: string | null): InboundMail | null {
  const who = senderOf(mail, authservId);
  if (!who) return null;
  const { address, sender } = who;
  const messageId = mail.messageId?.trim() || `sha256:${createHash('sha256').update(source).digest('hex')}`;
  const body = bodyOf(mail);
  const attachments = realAttachments(mail);
  const raw = rawOf(mail, messageId);
  const base = { channel: 'email' as const, address, sender, receivedAt };

  const events: MailEvent[] = [];
  if (body.text !== '' || attachments.length === 0) {
    const content = { type: 'text' as const, text: body.text || (mail.subject ?? '').trim(), ...(body.truncated ? { truncated: true as const } : {}) };
    events.push({ event: { ...base, externalId: messageId.slice(0, ID_MAX), content, raw: { ...raw, attachments: attachments.length } } });
  }
  attachments.forEach((a, i) => {
    const id = partId(messageId, i + 1);
    const mime = mimeOf(a.contentType);
    const name = safeFileName(a.filename);
    events.push({
      event: {
        ...base,
        externalId: id,
        // The same string as the id: a replayed mail re-caches its bytes under the ref the stored message holds.
        content: { type: 'media', kind: mediaKindOf(mime), ref: id, mime, ...(name ? { name } : {}) },
        raw: { ...raw, attachment: i + 1, size: a.content.length },
      },
      media: { data: a.content, mime, ...(name ? { name } : {}) },
    });
  });
  return { address, messageId, proven: who.proven, events };
}
