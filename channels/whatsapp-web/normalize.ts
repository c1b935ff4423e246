// whatsapp-web.js Message (and ack) → the gateway's normalized shapes; pure, no client calls.
import { z } from 'zod';
import type { DeliveryUpdate } from '../../src/core/channel.ts';
import type { InboundContent, MediaKind, NormalizedInbound } from '../../src/core/messages.ts';


const MEDIA_KINDS: Record<string, MediaKind> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'audio',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  vcard: 'other',
  multi_vcard: 'other',
};

// Only the fields we read; the real Message also holds a client reference, so it is never kept as `raw`.
const messageSchema = z.object({
  id: z.object({ _serialized: z.string().min(1).max(200) }),
  from: z.string().min(1).max(200),
  fromMe: z.boolean().optional(),
  isStatus: z.boolean().optional(),
  body: z.string().optional(),
  type: z.string().optional(),
  hasMedia: z.boolean().optional(),
  timestamp: z.number().optional(),
  notifyName: z.string().optional(),
  pushname: z.string().optional(),
  _data: z.object({ notifyName: z.string().optional() }).loose().optional(),
});

/** Why a message was dropped, or the event to emit. Groups, status broadcasts, our own sends and system notices are dropped. */
export function normalizeWaMessage(msg: unknown): { event: NormalizedInbound } | { skip: string } {
  const parsed = messageSchema.safeParse(msg);
  if (!parsed.success) return { skip: 'unexpected shape' };
  const m = parsed.data;
  if (m.fromMe) return { skip: 'sent by us' };
  if (m.isStatus || m.from.endsWith('@broadcast')) return { skip: 'status broadcast' };
  if (!m.from.endsWith('@c.us') && !m.from.endsWith('@lid')) return { skip: 'group or channel' };

  let content: InboundContent;
  const type = m.type ?? 'chat';
  if (type === 'chat' && !m.hasMedia) content = { type: 'text', text: m.body ?? '' };
  else if (MEDIA_KINDS[type] !== undefined) content = { type: 'media', kind: MEDIA_KINDS[type] };
  else if (m.hasMedia) content = { type: 'media', kind: 'other' };
  else return { skip: `message type ${type}` };

  const displayName = m._data?.notifyName ?? m.notifyName ?? m.pushname;
  const sender: NormalizedInbound['sender'] = {};
  if (displayName) sender.displayName = displayName.slice(0, 200);
  // '@lid' ids hide the number, so only '@c.us' yields a phone.
  if (m.from.endsWith('@c.us')) sender.phone = `+${m.from.slice(0, -'@c.us'.length).replace(/\D/g, '')}`;

  return {
    event: {
      channel: 'whatsapp-web',
      externalId: m.id._serialized,
      address: m.from,
      sender,
      content,
      receivedAt: m.timestamp ? new Date(m.timestamp * 1000) : new Date(),
      raw: { id: m.id._serialized, from: m.from, type, timestamp: m.timestamp },
    },
  };
}

const ACK_STATUS: Record<number, DeliveryUpdate['status']> = { [-1]: 'failed', 1: 'sent', 2: 'delivered', 3: 'read', 4: 'read' };

/** ack 0 (pending, still on this device) and unknown values give null. */
export function ackToUpdate(msg: unknown, ack: unknown): DeliveryUpdate | null {
  const id = z.object({ id: z.object({ _serialized: z.string().min(1) }) }).safeParse(msg);
  if (!id.success || typeof ack !== 'number') return null;
  const status = ACK_STATUS[ack];
  return status ? { externalId: id.data.id._serialized, status, at: new Date() } : null;
}

/** The worker may hand us a bare number (proactive sends); WhatsApp Web wants a chat id. */
export function toChatId(address: string): string {
  return /^\+?\d{6,15}$/.test(address) ? `${address.replace(/^\+/, '')}@c.us` : address;
}
