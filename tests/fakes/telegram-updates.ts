// Builders for Telegram updates shaped exactly like real Bot API payloads (typed against telegraf's typegram).
import type { CallbackQuery, Chat, Message, Update, User } from 'telegraf/types';

interface From {
  updateId: number;
  chatId: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
  /** Unix seconds; defaults to now. */
  date?: number;
  messageId?: number;
}

function user(o: From): User {
  return {
    id: o.chatId,
    is_bot: false,
    first_name: o.firstName ?? 'عبدالله',
    ...(o.lastName !== undefined ? { last_name: o.lastName } : {}),
    ...(o.username !== undefined ? { username: o.username } : {}),
    language_code: o.languageCode ?? 'ar',
  };
}

function privateChat(o: From): Chat.PrivateChat {
  return {
    id: o.chatId,
    first_name: o.firstName ?? 'عبدالله',
    ...(o.lastName !== undefined ? { last_name: o.lastName } : {}),
    ...(o.username !== undefined ? { username: o.username } : {}),
    type: 'private',
  };
}

const now = () => Math.floor(Date.now() / 1000);

export function textUpdate(o: From & { text: string }): Update.MessageUpdate<Message.TextMessage> {
  return {
    update_id: o.updateId,
    message: {
      message_id: o.messageId ?? o.updateId % 100000,
      from: user(o),
      chat: privateChat(o),
      date: o.date ?? now(),
      text: o.text,
      // Telegram marks a leading /command as an entity; clients rely on it, so the fake does too.
      ...(o.text.startsWith('/') ? { entities: [{ offset: 0, length: o.text.split(' ')[0]?.length ?? 1, type: 'bot_command' as const }] } : {}),
    },
  };
}

/** A press on an inline button under message `messageId`, which the bot sent with `buttons` (id → label). */
export function callbackUpdate(
  o: From & { data: string; messageId: number; queryId?: string; buttons?: { id: string; label: string }[] },
): Update.CallbackQueryUpdate<CallbackQuery.DataQuery> {
  const buttons = o.buttons ?? [{ id: o.data, label: o.data }];
  return {
    update_id: o.updateId,
    callback_query: {
      id: o.queryId ?? `${o.chatId}${o.updateId}`.slice(-19),
      from: user(o),
      message: {
        message_id: o.messageId,
        from: { id: 7000000001, is_bot: true, first_name: 'Tawasul Test Bot', username: 'tawasul_test_bot' },
        chat: privateChat(o),
        date: o.date ?? now() - 60,
        text: 'اختر من القائمة',
        reply_markup: { inline_keyboard: buttons.map((b) => [{ text: b.label, callback_data: b.id }]) },
      },
      chat_instance: '-4817612209187203554',
      data: o.data,
    },
  };
}

/** The user shared a phone number; `userId` defaults to the sender (their own number), as with "Share my phone". */
export function contactUpdate(
  o: From & { phoneNumber: string; userId?: number | null },
): Update.MessageUpdate<Message.ContactMessage> {
  const userId = o.userId === undefined ? o.chatId : o.userId;
  return {
    update_id: o.updateId,
    message: {
      message_id: o.messageId ?? o.updateId % 100000,
      from: user(o),
      chat: privateChat(o),
      date: o.date ?? now(),
      contact: {
        phone_number: o.phoneNumber,
        first_name: o.firstName ?? 'عبدالله',
        ...(userId !== null ? { user_id: userId } : {}),
      },
    },
  };
}
