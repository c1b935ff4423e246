// Telegram update → NormalizedInbound: zod-parses only the fields the gateway uses.
import { z } from 'zod';
import type { InboundContent, MediaKind, NormalizedInbound } from '../../src/core/messages.ts';

const userSchema = z.object({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});
type TelegramUser = z.infer<typeof userSchema>;

const chatSchema = z.object({ id: z.number().int(), type: z.string() });

const inlineKeyboardSchema = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }))),
});

const messageSchema = z.object({
  message_id: z.number().int(),
  date: z.number().int(),
  chat: chatSchema,
  from: userSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  contact: z
    .object({ phone_number: z.string(), first_name: z.string(), user_id: z.number().int().optional() })
    .optional(),
  // Only whether these are present matters: the bot says it cannot read them, officers see the kind.
  photo: z.unknown().optional(),
  voice: z.unknown().optional(),
  audio: z.unknown().optional(),
  video: z.unknown().optional(),
  video_note: z.unknown().optional(),
  document: z.unknown().optional(),
  sticker: z.unknown().optional(),
  location: z.unknown().optional(),
});


function mediaKind(m: z.infer<typeof messageSchema>): MediaKind | undefined {
  if (m.photo !== undefined) return 'image';
  if (m.voice !== undefined || m.audio !== undefined) return 'audio';
  if (m.video !== undefined || m.video_note !== undefined) return 'video';
  if (m.document !== undefined) return 'document';
  if (m.sticker !== undefined) return 'sticker';
  if (m.location !== undefined) return 'location';
  return undefined;
}

const callbackQuerySchema = z.object({
  id: z.string().min(1),
  from: userSchema,
  // Also matches an InaccessibleMessage (date 0) that Telegram sends for old messages.
  message: z
    .object({ message_id: z.number().int(), chat: chatSchema, reply_markup: inlineKeyboardSchema.optional() })
    .optional(),
  chat_instance: z.string(),
  data: z.string().optional(),
});

/** Other update kinds (edited_message, my_chat_member, …) are not parsed, so they never fail. */
export const telegramUpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: messageSchema.optional(),
  callback_query: callbackQuerySchema.optional(),
});

function sender(from: TelegramUser | undefined): NormalizedInbound['sender'] {
  if (!from) return {};
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim() || from.username;
  return {
    ...(name ? { displayName: name.slice(0, 200) } : {}),
    ...(from.language_code ? { locale: from.language_code.slice(0, 20) } : {}),
  };
}

/** Telegram sends contact numbers with or without '+'; anything not E.164-shaped is not trusted as a phone. */
export function toE164(phone: string): string | undefined {
  const digits = phone.replace(/[\s().-]/g, '');
  const e164 = digits.startsWith('+') ? digits : `+${digits}`;
  return /^\+[1-9]\d{6,14}$/.test(e164) ? e164 : undefined;
}

/**
 * Parses one update. Throws a ZodError when the body is not a Telegram update at all (the webhook route
 * answers 400); returns [] for update kinds the gateway ignores, group chats and bots. Media without a
 * caption becomes a `media` event, so the beneficiary is told to write instead of being ignored.
 */
export function normalizeTelegramUpdate(body: unknown, now: () => Date = () => new Date()): NormalizedInbound[] {
  const update = telegramUpdateSchema.parse(body);
  const externalId = String(update.update_id);

  if (update.message) {
    const m = update.message;
    // Beneficiary data must not flow through group chats, and a group is not one beneficiary.
    if (m.chat.type !== 'private' || m.from?.is_bot) return [];
    const who = sender(m.from);
    let content: InboundContent;
    if (m.text !== undefined) content = { type: 'text', text: m.text };
    else if (m.contact) {
      const phone = toE164(m.contact.phone_number);
      content = { type: 'text', text: phone ?? m.contact.phone_number };
      // A user may share someone else's contact card; only their own number identifies them.
      if (phone && m.contact.user_id !== undefined && m.contact.user_id === m.from?.id) who.phone = phone;
    } else if (m.caption !== undefined) content = { type: 'text', text: m.caption };
    else {
      const kind = mediaKind(m);
      // Service messages (members joining, pinned messages…) are not something a person sent us.
      if (!kind) return [];
      content = { type: 'media', kind };
    }
    const receivedAt = new Date(m.date * 1000);
    return [{ channel: 'telegram', externalId, address: String(m.chat.id), sender: who, content, receivedAt, raw: body }];
  }

  if (update.callback_query) {
    const q = update.callback_query;
    const chat = q.message?.chat;
    if ((chat && chat.type !== 'private') || q.from.is_bot) return [];
    // Games send no data; data over 64 chars was never set by this bot.
    if (q.data === undefined || q.data.length === 0 || q.data.length > 64) return [];
    const label = q.message?.reply_markup?.inline_keyboard.flat().find((b) => b.callback_data === q.data)?.text;
    return [
      {
        channel: 'telegram',
        externalId,
        address: String(chat?.id ?? q.from.id),
        sender: sender(q.from),
        content: { type: 'choice', id: q.data, ...(label !== undefined ? { text: label } : {}) },
        // message.date is when the bot's keyboard was sent, not when it was pressed.
        receivedAt: now(),
        raw: body,
      },
    ];
  }
  return [];
}

/** The callback query id in a normalized event's raw update, for answerCallbackQuery. */
export function callbackQueryId(raw: unknown): string | undefined {
  const parsed = z.object({ callback_query: z.object({ id: z.string().min(1) }) }).safeParse(raw);
  return parsed.success ? parsed.data.callback_query.id : undefined;
}
