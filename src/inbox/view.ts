// How the inbox shows a stored message and a channel address (a small copy of the web chat view, plus the channel).
import type { MessageRow } from '../conversations/repo.ts';
import type { InboxDelivery } from './delivery-view.ts';

export interface InboxAttachment {
  id: string;
  name?: string;
  mime: string;
  size: number;
}

export interface InboxMessage {
  id: number;
  conversationId: string;
  channel: string;
  direction: 'in' | 'out';
  sender: MessageRow['senderKind'];
  senderName?: string;
  text: string;
  choices?: { id: string; label: string }[];
  attachment?: InboxAttachment;
  /** What the beneficiary sent when it was not text (image, voice note…), which officers may need to ask about. */
  media?: string;
  /** The channel could not prove the sender owns the address (an email no DMARC/DKIM pass vouched for). */
  unverifiedSender?: true;
  /** The channel kept only the start of a longer text. */
  truncated?: true;
  /** A message the channel did not download because it was over its size limit (bytes). */
  tooLarge?: { size: number; maxBytes: number };
  status: MessageRow['deliveryStatus'];
  createdAt: string;
  /** Where an outbound message was queued and what became of it there, in order (empty for inbound ones). */
  deliveries?: InboxDelivery[];
}

interface Payload {
  choices?: { id: string; label: string }[];
  senderName?: unknown;
  media?: unknown;
  attachment?: { id?: unknown; name?: unknown; mime?: unknown; size?: unknown };
  unverifiedSender?: unknown;
  truncated?: unknown;
  tooLarge?: { size?: unknown; maxBytes?: unknown };
}

function tooLargeOf(t: Payload['tooLarge']): InboxMessage['tooLarge'] {
  return t && typeof t.size === 'number' && typeof t.maxBytes === 'number' ? { size: t.size, maxBytes: t.maxBytes } : undefined;
}

function attachmentOf(a: Payload['attachment']): InboxAttachment | undefined {
  if (!a || typeof a.id !== 'string' || typeof a.mime !== 'string' || typeof a.size !== 'number') return undefined;
  return { id: a.id, ...(typeof a.name === 'string' ? { name: a.name } : {}), mime: a.mime, size: a.size };
}

/** `officerName` fills in the name for officer messages stored without one. */
export function toInboxMessage(m: MessageRow, officerName?: string | null): InboxMessage {
  const payload = (m.payload && typeof m.payload === 'object' ? m.payload : {}) as Payload;
  const senderName = typeof payload.senderName === 'string' ? payload.senderName : (officerName ?? undefined);
  const attachment = attachmentOf(payload.attachment);
  const tooLarge = tooLargeOf(payload.tooLarge);
  return {
    id: m.id,
    conversationId: m.conversationId,
    channel: m.channel,
    direction: m.direction,
    sender: m.senderKind,
    ...(senderName ? { senderName } : {}),
    text: m.text,
    ...(Array.isArray(payload.choices) ? { choices: payload.choices } : {}),
    ...(attachment ? { attachment } : {}),
    ...(typeof payload.media === 'string' ? { media: payload.media } : {}),
    ...(payload.unverifiedSender === true ? { unverifiedSender: true as const } : {}),
    ...(payload.truncated === true ? { truncated: true as const } : {}),
    ...(tooLarge ? { tooLarge } : {}),
    status: m.deliveryStatus,
    createdAt: m.createdAt,
  };
}
