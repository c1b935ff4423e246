// Normalized message shapes shared by every channel, the conversation service and the outbound worker.
import { z } from 'zod';

/** Channel ids are kebab-case literals; the explicit channel list in src/channels.ts must use these. */
export const CHANNEL_IDS = ['webchat', 'telegram', 'whatsapp', 'whatsapp-web', 'sms', 'email'] as const;
export const channelIdSchema = z.enum(CHANNEL_IDS);
export type ChannelId = z.infer<typeof channelIdSchema>;

/** Notifications try channels in this order after the preferred and the last-used one (NOTIFY_CHANNEL_ORDER). */
export const DEFAULT_NOTIFY_ORDER: readonly ChannelId[] = ['whatsapp', 'whatsapp-web', 'telegram', 'sms', 'email', 'webchat'];

export const LOCALES = ['ar', 'en'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;

/** What the beneficiary sent: free text, or a press on a choice the bot offered (by its stable id). */
export const inboundContentSchema = z.discriminatedUnion('type', [
  /** `truncated`: the channel kept only the start of a longer text (officers are shown that it was shortened). */
  z.object({ type: z.literal('text'), text: z.string(), truncated: z.literal(true).optional() }),
  z.object({ type: z.literal('choice'), id: z.string().min(1).max(64), text: z.string().optional() }),
  /** A document the beneficiary uploaded through our own web form (stored under DATA_DIR, type checked by content). */
  z.object({
    type: z.literal('file'),
    attachmentId: z.string().min(1).max(64),
    mime: z.string().max(100),
    name: z.string().max(255).optional(),
    size: z.number().int().nonnegative(),
  }),
  /**
   * Something the bot cannot read (a photo, voice note, sticker, location…); kept for officers. When the provider
   * holds the bytes, `ref` is what the channel's `fetchMedia(ref)` needs to download them (a WhatsApp media id, an
   * email part); the gateway stores the file under DATA_DIR after the message is committed.
   */
  z.object({
    type: z.literal('media'),
    kind: z.enum(['image', 'audio', 'video', 'document', 'sticker', 'location', 'other']),
    ref: z.string().min(1).max(500).optional(),
    /** What the provider says the file is (checked against the bytes where the type is known). */
    mime: z.string().max(100).optional(),
    /** The sender's file name, display only. */
    name: z.string().max(255).optional(),
    /** Text sent with the media (a photo's caption); shown to officers, not read by the bot. */
    caption: z.string().max(4096).optional(),
  }),
  /**
   * A message the channel refused to download because it is over its size limit (an email over EMAIL_MAX_BYTES):
   * stored so officers see it arrived, and answered with a polite note saying it was too large.
   */
  z.object({ type: z.literal('too_large'), size: z.number().int().nonnegative(), maxBytes: z.number().int().positive() }),
]);
export type InboundContent = z.infer<typeof inboundContentSchema>;
export type MediaKind = Extract<InboundContent, { type: 'media' }>['kind'];

/** One inbound event after a channel verified and normalized it. */
export const normalizedInboundSchema = z.object({
  channel: channelIdSchema,
  /** Provider id used to drop replays (Telegram update_id, WhatsApp wamid, Twilio MessageSid...). Unique per channel. */
  externalId: z.string().min(1).max(200),
  /** Where replies go on this channel (chat id, phone number, webchat identity). */
  address: z.string().min(1).max(200),
  sender: z.object({
    displayName: z.string().max(200).optional(),
    phone: z.string().max(32).optional(),
    locale: z.string().max(20).optional(),
    /**
     * True when the channel could not prove that `address` belongs to whoever sent this (an email whose From no
     * DMARC or aligned DKIM pass vouched for). Such a message is stored under an identity of its own, marked for
     * officers, and never joins an existing beneficiary.
     */
    unverified: z.literal(true).optional(),
    /** The client's network address where the channel knows it (the web chat): for per-network limits, never stored. */
    ip: z.string().max(64).optional(),
  }),
  content: inboundContentSchema,
  receivedAt: z.date(),
  raw: z.unknown(),
});
export type NormalizedInbound = z.infer<typeof normalizedInboundSchema>;

export interface OutboundButton {
  /** Stable choice id, ASCII, <= 64 bytes (Telegram callback_data). */
  id: string;
  label: string;
}

/** A stored file sent with a message (its bytes come from SendContext.readMedia). */
export interface OutboundMedia {
  attachmentId: string;
  kind: 'image' | 'document' | 'audio' | 'video';
  mime: string;
  /** File name to show the recipient (documents). */
  name?: string;
  size: number;
}

/** One rendered message part, already cut to the channel's capabilities. */
export interface OutboundMessage {
  /** The text, or the caption when `media` is set. */
  text: string;
  /** Quick-reply buttons (fit the channel's `buttons` capability). */
  buttons?: OutboundButton[];
  /** A pick-list (WhatsApp list message): rows fit the channel's `list` capability; `button` opens the list. */
  list?: { button: string; rows: OutboundButton[] };
  /** Only on channels whose capabilities say `media: true`; other channels get the text alone. */
  media?: OutboundMedia;
}

export interface SendResult {
  /** The provider's id for what was sent, when it returns one. */
  externalId?: string;
}
