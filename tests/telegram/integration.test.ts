// The whole gateway with the real telegraf client against the fake Bot API: webhook in, replies out over real sockets.
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/db/schema.ts';
import { FakeTelegramBotApi, callbackUpdate, textUpdate, type RecordedCall } from '../fakes/telegram-bot-api.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { SECRET, TOKEN } from './support.ts';

let fake: FakeTelegramBotApi;
let gw: TestGateway;
let updateId = 5000;

beforeAll(async () => {
  fake = new FakeTelegramBotApi({ token: TOKEN });
  const { apiRoot } = await fake.start();
  gw = await startGateway({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_MODE: 'webhook', TELEGRAM_API_ROOT: apiRoot });
  await gw.listen();
});
afterAll(async () => {
  await gw.close();
  await fake.stop();
});

function webhook(update: unknown, secret: string | null = SECRET): Promise<Response> {
  return fetch(`${gw.url()}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    body: JSON.stringify(update),
  });
}

function sentTo(chatId: number): RecordedCall[] {
  return fake.calls('sendMessage').filter((c) => String(c.body.chat_id) === String(chatId));
}

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
function buttons(call: RecordedCall | undefined): string[] {
  const markup = call?.body.reply_markup as Keyboard | undefined;
  return markup?.inline_keyboard.flat().map((b) => b.callback_data) ?? [];
}

/** Send one update and wait until the bot has sent `n` more messages to this chat (bounded). */
async function say(chatId: number, update: unknown, n = 1): Promise<RecordedCall[]> {
  const before = sentTo(chatId).length;
  const res = await webhook(update);
  expect(res.status).toBe(200);
  await eventually(() => sentTo(chatId).length >= before + n || undefined, 8000);
  // Replies can be more than the `n` awaited (a greeting before the menu): take them all, so the next turn starts clean.
  for (let seen = sentTo(chatId).length, i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 150));
    if (sentTo(chatId).length === seen) break;
    seen = sentTo(chatId).length;
  }
  return sentTo(chatId).slice(before);
}

/**
 * Presses «apply» and, when the privacy notice (flows/privacy.yaml) comes before the first personal question, accepts
 * it as the beneficiary does with its inline button; returns what followed (the intro and the name question).
 */
async function apply(chatId: number, messageId: number, queryId?: string): Promise<RecordedCall[]> {
  const [notice] = await say(chatId, callbackUpdate({ updateId: ++updateId, chatId, data: 'apply', messageId, ...(queryId ? { queryId } : {}) }));
  expect(buttons(notice)).toEqual(['privacy_accept', 'privacy_decline']);
  return say(chatId, callbackUpdate({ updateId: ++updateId, chatId, data: 'privacy_accept', messageId: messageId + 1000 }), 2);
}

const text = (chatId: number, t: string) => textUpdate({ updateId: ++updateId, chatId, text: t, firstName: 'عبدالله', languageCode: 'ar' });

function messageCount(): number {
  return gw.db.select({ n: count() }).from(messages).get()?.n ?? 0;
}

describe('Telegram through the gateway', () => {
  it('refuses a webhook with a wrong or missing secret (401) and stores nothing', async () => {
    const n = messageCount();
    expect((await webhook(text(1001, 'مرحبا'), 'wrong-secret')).status).toBe(401);
    expect((await webhook(text(1001, 'مرحبا'), null)).status).toBe(401);
    expect(messageCount()).toBe(n);
    await new Promise((r) => setTimeout(r, 100));
    expect(sentTo(1001)).toHaveLength(0);
  });

  it('answers a sticker with a smile, not with «we read text only»', async () => {
    const chat = 1009;
    await say(chat, text(chat, 'السلام عليكم'), 2);
    const base = text(chat, 'x');
    const { text: _dropped, ...message } = base.message;
    const sticker = { update_id: ++updateId, message: { ...message, message_id: updateId, sticker: { file_id: 'CAACAgIAAx0', file_unique_id: 'AgAD', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } } };
    const [reply] = await say(chat, sticker);
    expect(String(reply?.body.text)).toContain('كيف نقدر نخدمك');
    expect(String(reply?.body.text)).not.toContain('لا نستطيع قراءة');
  });

  it('answers a first message with a greeting by name and the menu as inline buttons', async () => {
    const sent = await say(1002, text(1002, 'السلام عليكم'), 2);
    const all = sent.map((c) => String(c.body.text)).join('\n');
    expect(all).toContain('عبدالله');
    const menu = sent.find((c) => c.body.reply_markup);
    expect(buttons(menu)).toEqual(['enquiries', 'apply', 'status', 'volunteer', 'feedback', 'officer']);
  });

  it('drops a replayed update: one stored message, one set of replies', async () => {
    const u = text(1003, 'القائمة');
    await say(1003, u, 2);
    const stored = messageCount();
    const replies = sentTo(1003).length;
    expect((await webhook(u)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(messageCount()).toBe(stored);
    expect(sentTo(1003)).toHaveLength(replies);
  });

  it('answers the callback query of a button press and moves on', async () => {
    await say(1004, text(1004, 'مرحبا'), 2);
    const sent = await apply(1004, 100, 'cbq-1004');
    await fake.waitFor('answerCallbackQuery', (c) => c.body.callback_query_id === 'cbq-1004', 2000);
    expect(String(sent.at(-1)?.body.text)).toMatch(/اسم/);
  });

  // Some twenty replies to one chat at Telegram's one message a second per chat (the adapter's rate) take close to
  // the default 20 s on their own.
  it('runs a whole Arabic application over Telegram, then shows its status to the applicant', async () => {
    const chat = 1005;
    await say(chat, text(chat, 'السلام عليكم'), 2);
    await apply(chat, 101);
    await say(chat, text(chat, 'عبدالله بن سعد'));
    // A wrong ID in Arabic-Indic digits gets the reason and the question again.
    const wrong = await say(chat, text(chat, '١٢٣٤٥٦٧٨٩٠'), 2);
    expect(String(wrong[0]?.body.text)).toMatch(/رقم/);
    await say(chat, text(chat, '١٠٥٥٥٥٥٥٥٩'));
    await say(chat, text(chat, '0551234567'));
    await say(chat, text(chat, 'الرياض'));
    await say(chat, text(chat, '5'));
    const housing = await say(chat, text(chat, '4000'));
    expect(buttons(housing.at(-1))).toEqual(['owned', 'rented', 'family_home', 'other']);
    await say(chat, callbackUpdate({ updateId: ++updateId, chatId: chat, data: 'rented', messageId: 102 }));
    const summary = await say(chat, callbackUpdate({ updateId: ++updateId, chatId: chat, data: 'financial', messageId: 103 }), 2);
    // ID copies are not taken over Telegram (a cross-border transfer): the beneficiary is told where to hand them in.
    expect(String(summary[0]?.body.text)).toMatch(/موقع الجمعية|مقر الجمعية/);
    expect(String(summary.at(-1)?.body.text)).toContain('1055555559');
    await say(chat, callbackUpdate({ updateId: ++updateId, chatId: chat, data: 'confirm', messageId: 104 }));
    const done = await say(chat, callbackUpdate({ updateId: ++updateId, chatId: chat, data: 'accept', messageId: 105 }), 2);
    const confirmation = String(done[0]?.body.text);
    const reference = confirmation.match(/TW-\d{4}-[0-9A-HJKMNP-TV-Z]{7}/)?.[0];
    expect(reference).toBeDefined();
    // Plain-text channel: the reference is isolated so it does not reorder inside Arabic.
    expect(confirmation).toContain(`\u2066${reference}\u2069`);
    await say(chat, callbackUpdate({ updateId: ++updateId, chatId: chat, data: 'status', messageId: 106 }));
    const status = await say(chat, text(chat, reference ?? ''));
    expect(String(status[0]?.body.text)).toContain('تم استلام الطلب');
  }, 45_000);

  it('answers a voice note politely, asking for text, without losing the pending question', async () => {
    const chat = 1007;
    await say(chat, text(chat, 'مرحبا'), 2);
    await apply(chat, 110);
    const voice = {
      update_id: ++updateId,
      message: { message_id: 55, from: { id: chat, is_bot: false, first_name: 'أم فهد', language_code: 'ar' }, chat: { id: chat, first_name: 'أم فهد', type: 'private' }, date: Math.floor(Date.now() / 1000), voice: { file_id: 'AwACAgQAAxkBAAI', file_unique_id: 'AgADx', duration: 7, mime_type: 'audio/ogg', file_size: 20480 } },
    };
    const reply = await say(chat, voice);
    expect(String(reply[0]?.body.text)).toMatch(/اكتب/);
    // The name question is still the one being answered.
    const next = await say(chat, text(chat, 'نورة محمد'));
    expect(String(next[0]?.body.text)).toMatch(/الهوية/);
  });

  it('honours retry_after from a 429 and still delivers, in order', async () => {
    const chat = 1006;
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    const res = await webhook(text(chat, 'القائمة'));
    expect(res.status).toBe(200);
    await eventually(() => sentTo(chat).some((c) => c.body.reply_markup) || undefined, 6000);
    const calls = sentTo(chat);
    // The refused greeting, the same greeting again after retry_after, then the menu (with buttons).
    expect(calls).toHaveLength(3);
    expect(calls[1]?.body.text).toBe(calls[0]?.body.text);
    expect(calls[2]?.body.reply_markup).toBeDefined();
  });
});

describe('Telegram long polling', () => {
  it('receives pushed updates and replies without any webhook', async () => {
    const pollFake = new FakeTelegramBotApi({ token: TOKEN, maxLongPollMs: 200 });
    const { apiRoot } = await pollFake.start();
    const pg = await startGateway({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: apiRoot });
    try {
      await pg.listen();
      pollFake.pushUpdate(textUpdate({ updateId: 1, chatId: 77, text: 'Hello', firstName: 'Sam', languageCode: 'en' }));
      const menu = await pollFake.waitFor('sendMessage', (c) => Boolean(c.body.reply_markup), 4000);
      expect(String(menu.body.chat_id)).toBe('77');
      expect(String(menu.body.text)).toMatch(/[A-Za-z]/);
      // No webhook route exists in polling mode.
      const res = await fetch(`${pg.url()}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await pg.close();
      await pollFake.stop();
    }
  });
});
