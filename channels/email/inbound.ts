// Pure: one parsed mail → the events it becomes (its new text, then one media event per attached file).
import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { FetchedMedia } from '../../src/core/channel.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import { mediaKindOf, mimeOf, realAttachments, safeFileName } from './attachments.ts';
import { htmlToText } from './html-text.ts';
import { stripQuoted } from './quote.ts';
import { replyKeyIn } from './send.ts';

const MAX_TEXT = 20_000;
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
  events: MailEvent[];
}

/** Auto-replies and our own mail are marked \Seen without emitting: answering them makes mail loops. */
export function isAutomatic(mail: ParsedMail, ownAddress: string, from: string): boolean {
  const auto = String(mail.headers.get('auto-submitted') ?? 'no').toLowerCase();
  const precedence = String(mail.headers.get('precedence') ?? '').toLowerCase();
  return from === ownAddress || auto !== 'no' || /^(bulk|junk|list|auto_reply)$/.test(precedence) || mail.headers.has('x-autoreply');
}

/** `${messageId}#${n}`, cut so the whole id fits; n counts real attachments from 1 in mail order. */
function partId(messageId: string, n: number): string {
  const suffix = `#${n}`;
  return `${messageId.slice(0, ID_MAX - suffix.length)}${suffix}`;
}

/** null for a mail without a sender address. A mail with files and no new text gives only media events. */
export function toInbound(mail: ParsedMail, source: Buffer, receivedAt: Date): InboundMail | null {
  const from = mail.from?.value[0];
  const address = from?.address?.trim().toLowerCase().slice(0, ID_MAX);
  if (!address) return null;
  const messageId = mail.messageId?.trim() || `sha256:${createHash('sha256').update(source).digest('hex')}`;
  const plain = mail.text ?? (typeof mail.html === 'string' ? htmlToText(mail.html) : '');
  // Outlook writes «[cid:image001.png@…]» where the HTML showed an inline image (a signature logo).
  const body = stripQuoted(plain.replace(/\[cid:[^\]\s]{1,256}\]/gi, '')).slice(0, MAX_TEXT);
  const attachments = realAttachments(mail);
  const to = mail.to ? (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((t) => t.value.map((v) => v.address ?? '')) : [];
  const raw = { messageId, subject: mail.subject, inReplyTo: mail.inReplyTo, replyKey: to.map(replyKeyIn).find(Boolean) };
  const base = { channel: 'email' as const, address, sender: from?.name ? { displayName: from.name.slice(0, 200) } : {}, receivedAt };

  const events: MailEvent[] = [];
  if (body !== '' || attachments.length === 0) {
    const content = { type: 'text' as const, text: body || (mail.subject ?? '').trim() };
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
  return { address, messageId, events };
}
