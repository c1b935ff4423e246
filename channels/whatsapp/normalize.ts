// WhatsApp Cloud API webhook → NormalizedInbound / DeliveryUpdate: zod-parses only the fields the gateway uses.
import { z } from 'zod';
import type { DeliveryUpdate } from '../../src/core/channel.ts';
import type { InboundContent, MediaKind, NormalizedInbound } from '../../src/core/messages.ts';

const seconds = z.string().regex(/^\d{1,12}$/);

// A malformed media object (no id…) still leaves the message: it is kept by kind, without a file to download.
const mediaObject = z
  .object({
    id: z.string().min(1).max(500),
    mime_type: z.string().optional(),
    caption: z.string().optional(),
    filename: z.string().optional(),
  })
  .optional()
  .catch(undefined);
type MediaObject = z.infer<typeof mediaObject>;

const locationObject = z
  .object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() })
  .optional()
  .catch(undefined);

const messageSchema = z.object({
  from: z.string().regex(/^\d{1,32}$/),
  id: z.string().min(1).max(200),
  timestamp: seconds,
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
  // A quick-reply press on a template message: the payload is the id we set when sending the template.
  button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
  image: mediaObject,
  audio: mediaObject,
  video: mediaObject,
  document: mediaObject,
  sticker: mediaObject,
  location: locationObject,
});
type WhatsappMessage = z.infer<typeof messageSchema>;

const statusSchema = z.object({
  id: z.string().min(1).max(200),
  status: z.string(),
  timestamp: seconds.optional(),
  errors: z.array(z.object({ code: z.number().int().optional(), title: z.string().optional() })).optional(),
  // Our SendContext.reference, echoed from the sent message's biz_opaque_callback_data.
  biz_opaque_callback_data: z.string().optional(),
});

const messagesValueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string() }).optional(),
  contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(messageSchema).optional(),
  statuses: z.array(statusSchema).optional(),
});
type MessagesValue = z.infer<typeof messagesValueSchema>;

/** The envelope; changes for other fields (template status, account updates…) are not parsed, so they never fail. */
export const whatsappWebhookSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.object({ changes: z.array(z.object({ field: z.string(), value: z.unknown() })) })),
});

const FILES = ['image', 'audio', 'video', 'document', 'sticker'] as const satisfies readonly MediaKind[];
type FileKind = (typeof FILES)[number];
const isFile = (type: string): type is FileKind => (FILES as readonly string[]).includes(type);
// Not something a person wrote to us: reactions to our messages, number-change notices, deleted messages.
const IGNORED = new Set(['reaction', 'system', 'ephemeral', 'request_welcome']);

/** Message values for our own number; a WABA webhook may carry several numbers, and we can only answer from ours. */
function messageValues(body: unknown, phoneNumberId: string | undefined): MessagesValue[] {
  const hook = whatsappWebhookSchema.parse(body);
  const values: MessagesValue[] = [];
  for (const entry of hook.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const value = messagesValueSchema.parse(change.value);
      if (phoneNumberId !== undefined && value.metadata && value.metadata.phone_number_id !== phoneNumberId) continue;
      values.push(value);
    }
  }
  return values;
}

function content(m: WhatsappMessage): InboundContent | undefined {
  if (m.type === 'text' && m.text) return { type: 'text', text: m.text.body };
  if (m.type === 'interactive' && m.interactive) {
    const reply = m.interactive.button_reply ?? m.interactive.list_reply;
    if (reply && reply.id.length > 0 && reply.id.length <= 64) return { type: 'choice', id: reply.id, text: reply.title };
    return { type: 'media', kind: 'other' };
  }
  if (m.type === 'button' && m.button) {
    const id = m.button.payload ?? '';
    // Without a payload (or a payload we could never have set) the label is all we have: treat it as typed text.
    if (id.length > 0 && id.length <= 64) return { type: 'choice', id, text: m.button.text };
    return { type: 'text', text: m.button.text };
  }
  if (IGNORED.has(m.type)) return undefined;
  if (isFile(m.type)) return fileContent(m.type, m[m.type]);
  if (m.type === 'location') {
    const l = m.location;
    const caption = l ? [l.name, l.address, `${l.latitude},${l.longitude}`].filter((x) => x !== undefined && x.trim() !== '').join(' ') : '';
    return { type: 'media', kind: 'location', ...(caption ? { caption: caption.slice(0, 4096) } : {}) };
  }
  // Contacts, orders, unsupported types: kept for officers, and the bot asks the beneficiary to write instead.
  return { type: 'media', kind: 'other' };
}

/** A file Meta holds: its media id is the ref fetchMedia downloads (voice notes are audio with voice: true). */
function fileContent(kind: FileKind, o: MediaObject): InboundContent {
  if (!o) return { type: 'media', kind };
  const mime = o.mime_type && o.mime_type.length <= 100 ? o.mime_type : undefined;
  const name = kind === 'document' && o.filename ? o.filename.slice(0, 255) : undefined;
  const caption = o.caption ? o.caption.slice(0, 4096) : undefined;
  return { type: 'media', kind, ref: o.id, ...(mime ? { mime } : {}), ...(name ? { name } : {}), ...(caption ? { caption } : {}) };
}

/** `from` is the user's number in digits; only an E.164-shaped one is trusted as a phone. */
function phoneOf(from: string): string | undefined {
  return /^[1-9]\d{6,14}$/.test(from) ? `+${from}` : undefined;
}

/**
 * Parses one webhook. Throws a ZodError when the body is not a WhatsApp webhook (the route answers 400);
 * a webhook carrying only statuses, or changes for other fields, gives []. Media carries its media id as `ref`
 * (the adapter's fetchMedia downloads it); a location carries its name, address and coordinates as the caption.
 */
export function normalizeWhatsappWebhook(body: unknown, phoneNumberId?: string): NormalizedInbound[] {
  const events: NormalizedInbound[] = [];
  for (const value of messageValues(body, phoneNumberId)) {
    for (const m of value.messages ?? []) {
      const c = content(m);
      if (!c) continue;
      const name = value.contacts?.find((k) => k.wa_id === m.from)?.profile?.name ?? value.contacts?.[0]?.profile?.name;
      const phone = phoneOf(m.from);
      events.push({
        channel: 'whatsapp',
        externalId: m.id,
        address: m.from,
        sender: { ...(name ? { displayName: name.slice(0, 200) } : {}), ...(phone ? { phone } : {}) },
        content: c,
        receivedAt: new Date(Number(m.timestamp) * 1000),
        raw: m,
      });
    }
  }
  return events;
}

const STATUSES = new Set<DeliveryUpdate['status']>(['sent', 'delivered', 'read', 'failed']);
const isStatus = (s: string): s is DeliveryUpdate['status'] => STATUSES.has(s as DeliveryUpdate['status']);

/** Delivery reports for messages we sent; unknown status values (e.g. `deleted`) are skipped. */
export function whatsappStatuses(body: unknown, phoneNumberId?: string): DeliveryUpdate[] {
  const updates: DeliveryUpdate[] = [];
  for (const value of messageValues(body, phoneNumberId)) {
    for (const s of value.statuses ?? []) {
      if (!isStatus(s.status)) continue;
      const err = s.errors?.[0];
      const error = s.status === 'failed' && err ? [err.code, err.title].filter((x) => x !== undefined).join(' ') : undefined;
      updates.push({
        externalId: s.id,
        status: s.status,
        ...(s.timestamp ? { at: new Date(Number(s.timestamp) * 1000) } : {}),
        ...(error ? { error } : {}),
        ...(s.biz_opaque_callback_data ? { reference: s.biz_opaque_callback_data } : {}),
      });
    }
  }
  return updates;
}
