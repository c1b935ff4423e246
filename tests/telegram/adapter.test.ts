// Telegram adapter against a local fake Bot API with the real telegraf client: send, errors, acks, setWebhook.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../src/core/channel.ts';
import { AppError } from '../../src/core/errors.ts';
import type { TelegramConfig } from '../../channels/telegram/config.ts';
import { createTelegramAdapter, type TelegramDeps } from '../../channels/telegram/index.ts';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.ts';
import { fixture, memoryLogger, refusedApiRoot, SECRET, TOKEN } from './support.ts';

let fake: FakeTelegramBotApi;
let logger: ReturnType<typeof memoryLogger>;

function adapter(overrides: Partial<TelegramConfig> = {}, deps: Partial<TelegramDeps> = {}): ChannelAdapter {
  const config: TelegramConfig = { botToken: TOKEN, webhookSecret: SECRET, mode: 'webhook', apiRoot: fake.apiRoot, ...overrides };
  return createTelegramAdapter(config, { logger, ...deps });
}

async function sendError(a: ChannelAdapter, text = 'مرحبا'): Promise<AppError> {
  const error = await a.send('5829104736', { text }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  expect(error.code).toBe('ERR_CHANNEL_SEND');
  expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain(TOKEN);
  return error;
}

beforeEach(async () => {
  fake = new FakeTelegramBotApi({ token: TOKEN });
  await fake.start();
  logger = memoryLogger();
});

afterEach(async () => {
  await fake.stop();
  expect(logger.text()).not.toContain(TOKEN.split(':')[1]);
});

describe('telegram send', () => {
  it('sends plain Arabic text as JSON to the bot token and returns the Telegram message id', async () => {
    const text = 'تم استلام طلبك رقم \u2066REQ-2024-0042\u2069، وسيتم الرد خلال أسبوعين.';
    const result = await adapter().send('5829104736', { text });
    const [call, ...more] = fake.calls('sendMessage');
    expect(more).toEqual([]);
    expect(call).toMatchObject({ token: TOKEN, contentType: 'application/json', body: { chat_id: '5829104736', text } });
    expect(call?.body).not.toHaveProperty('reply_markup');
    expect(result).toEqual({ externalId: '100' });
  });

  it('shows each choice as its own inline-keyboard row with the id as callback_data', async () => {
    await adapter().send('5829104736', {
      text: 'كيف يمكننا مساعدتك؟',
      buttons: [
        { id: 'apply_support', label: 'تقديم طلب دعم' },
        { id: 'track_request', label: 'الاستعلام عن طلب سابق وحالته' },
        { id: 'talk_to_officer', label: 'التحدث مع موظف' },
      ],
    });
    const call = await fake.waitFor('sendMessage');
    expect(call.body.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: 'تقديم طلب دعم', callback_data: 'apply_support' }],
        [{ text: 'الاستعلام عن طلب سابق وحالته', callback_data: 'track_request' }],
        [{ text: 'التحدث مع موظف', callback_data: 'talk_to_officer' }],
      ],
    });
  });

  it.each([
    ['longer than 64 bytes', 'x'.repeat(65)],
    ['not ASCII (Telegram counts bytes)', 'تقديم'],
    ['empty', ''],
  ])('refuses a button id %s without calling Telegram, and not retryably', async (_why, id) => {
    const error = await adapter()
      .send('5829104736', { text: 'اختر', buttons: [{ id, label: 'زر' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'ERR_CHANNEL_SEND', retryable: false });
    expect(fake.calls('sendMessage')).toEqual([]);
  });

  it('accepts a button id of exactly 64 ASCII bytes', async () => {
    const id = 'a'.repeat(64);
    await adapter().send('5829104736', { text: 'اختر', buttons: [{ id, label: 'زر' }] });
    expect((await fake.waitFor('sendMessage')).body.reply_markup).toEqual({ inline_keyboard: [[{ text: 'زر', callback_data: id }]] });
  });

  it("passes on Telegram's flood wait: 429 is retryable after retry_after seconds", async () => {
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } });
    const error = await sendError(adapter());
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 2000 });
    expect(error.message).toContain('Too Many Requests');
  });

  it.each([
    [403, 'Forbidden: bot was blocked by the user'],
    [400, 'Bad Request: chat not found'],
    [403, "Forbidden: bot can't initiate conversation with a user"],
  ])('does not retry %i %s, and says why', async (status, description) => {
    fake.failNext('sendMessage', { status, description });
    const error = await sendError(adapter());
    expect(error.retryable).toBe(false);
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).toContain(description);
  });

  it('retries a 5xx from Telegram', async () => {
    fake.failNext('sendMessage', { status: 502, description: 'Bad Gateway' });
    expect((await sendError(adapter())).retryable).toBe(true);
  });

  it('does not retry when the bot token is wrong (401), and does not leak the token', async () => {
    const error = await sendError(adapter({ botToken: '987654321:AAH-wrong_token' }));
    expect(error).toMatchObject({ retryable: false, message: 'Telegram sendMessage failed: 401 Unauthorized' });
    expect(error.message).not.toContain('AAH-wrong_token');
  });

  it('retries when the connection is refused, without the token or URL in the message', async () => {
    const error = await sendError(adapter({ apiRoot: await refusedApiRoot() }));
    expect(error).toMatchObject({ retryable: true, message: 'Telegram sendMessage failed: network error ECONNREFUSED' });
  });

  it('retries when the connection is reset mid-request', async () => {
    fake.failNext('sendMessage', { network: 'reset' });
    expect((await sendError(adapter())).retryable).toBe(true);
  });

  it('gives up on a request Telegram never answers after the request timeout, retryably', async () => {
    fake.failNext('sendMessage', { network: 'hang' });
    const started = Date.now();
    const error = await sendError(adapter({}, { requestTimeoutMs: 200 }));
    expect(error).toMatchObject({ retryable: true, message: 'Telegram sendMessage failed: network error TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('does not retry a text Telegram rejects as too long', async () => {
    expect((await sendError(adapter(), 'ا'.repeat(4097))).retryable).toBe(false);
  });
});

describe('telegram acknowledge', () => {
  it('answers the callback query so the button stops spinning', async () => {
    const a = adapter();
    const [event] = a.webhook?.normalize(fixture('callback-query')) ?? [];
    if (!event) throw new Error('fixture should normalize');
    await a.acknowledge?.(event);
    expect((await fake.waitFor('answerCallbackQuery')).body).toEqual({ callback_query_id: '2503571986453217642' });
  });

  it('makes no call for ordinary messages', async () => {
    const a = adapter();
    const [event] = a.webhook?.normalize(fixture('text-arabic')) ?? [];
    if (!event) throw new Error('fixture should normalize');
    await a.acknowledge?.(event);
    expect(fake.calls()).toEqual([]);
  });

  it('treats an expired query as done, but reports other failures', async () => {
    const a = adapter();
    const [event] = a.webhook?.normalize(fixture('callback-query')) ?? [];
    if (!event) throw new Error('fixture should normalize');
    fake.failNext('answerCallbackQuery', {
      status: 400,
      description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
    });
    await expect(a.acknowledge?.(event)).resolves.toBeUndefined();
    fake.failNext('answerCallbackQuery', { status: 500, description: 'Internal Server Error' });
    await expect(a.acknowledge?.(event)).rejects.toMatchObject({ code: 'ERR_CHANNEL_SEND', retryable: true });
  });
});

describe('telegram start in webhook mode', () => {
  it('registers the webhook with the secret and only the update kinds it handles', async () => {
    await adapter({ publicUrl: 'https://chat.albir.org.sa/' }).start?.(async () => {});
    const call = await fake.waitFor('setWebhook');
    expect(call.body).toEqual({
      url: 'https://chat.albir.org.sa/webhooks/telegram',
      secret_token: SECRET,
      allowed_updates: ['message', 'callback_query'],
    });
    expect(fake.webhook).toBe('https://chat.albir.org.sa/webhooks/telegram');
  });

  it('tells the operator to set the webhook by hand when the public URL is not https', async () => {
    await adapter({ publicUrl: 'http://localhost:3000' }).start?.(async () => {});
    await adapter({ publicUrl: undefined }).start?.(async () => {});
    expect(fake.calls()).toEqual([]);
    expect(logger.entries.filter((e) => e.level === 'warn' && /set ?Webhook by hand/i.test(e.msg ?? ''))).toHaveLength(2);
  });

  it('keeps starting when setWebhook fails, and logs the reason', async () => {
    fake.failNext('setWebhook', { status: 400, description: 'Bad Request: bad webhook: Failed to resolve host' });
    await expect(adapter({ publicUrl: 'https://chat.albir.org.sa' }).start?.(async () => {})).resolves.toBeUndefined();
    expect(logger.text()).toContain('Failed to resolve host');
  });
});
