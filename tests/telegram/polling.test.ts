// Telegram long polling against the fake Bot API: order, offset only after emit, retries, prompt stop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../src/core/channel.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import { createTelegramAdapter } from '../../channels/telegram/index.ts';
import { callbackUpdate, FakeTelegramBotApi, textUpdate } from '../fakes/telegram-bot-api.ts';
import { memoryLogger, TOKEN } from './support.ts';

let fake: FakeTelegramBotApi;
let logger: ReturnType<typeof memoryLogger>;
let running: ChannelAdapter | undefined;

function poller(): ChannelAdapter {
  const config = { botToken: TOKEN, mode: 'polling' as const, apiRoot: fake.apiRoot };
  running = createTelegramAdapter(config, { logger, pollTimeoutSeconds: 25, backoff: { minMs: 20, maxMs: 100 } });
  return running;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const chat = { chatId: 5829104736, firstName: 'نورة', languageCode: 'ar' };

beforeEach(async () => {
  // Long polls are held up to 5 s, so a prompt stop() has to abort one rather than wait it out.
  fake = new FakeTelegramBotApi({ token: TOKEN, maxLongPollMs: 5000 });
  await fake.start();
  logger = memoryLogger();
});

afterEach(async () => {
  await running?.stop?.();
  running = undefined;
  await fake.stop();
});

describe('telegram polling', () => {
  it('removes any webhook, then delivers pushed updates through emit in order', async () => {
    const seen: NormalizedInbound[] = [];
    fake.pushUpdate(textUpdate({ ...chat, updateId: 501, text: 'السلام عليكم' }));
    await poller().start?.(async (event) => void seen.push(event));
    await until(() => seen.length === 1);
    fake.pushUpdate(
      textUpdate({ ...chat, updateId: 502, text: 'أريد التقديم' }),
      callbackUpdate({ ...chat, updateId: 503, data: 'apply_support', messageId: 77 }),
    );
    await until(() => seen.length === 3);
    expect(fake.calls()[0]?.method).toBe('deleteWebhook');
    expect(seen.map((e) => [e.externalId, e.content])).toEqual([
      ['501', { type: 'text', text: 'السلام عليكم' }],
      ['502', { type: 'text', text: 'أريد التقديم' }],
      ['503', { type: 'choice', id: 'apply_support', text: 'apply_support' }],
    ]);
    expect(seen.every((e) => e.address === '5829104736')).toBe(true);
    expect(fake.calls('getUpdates')[0]?.body).toMatchObject({ timeout: 25, limit: 100, offset: 0, allowed_updates: ['message', 'callback_query'] });
  });

  it('confirms an update (offset) only after emit has resolved', async () => {
    const gate = deferred();
    const seen: string[] = [];
    fake.pushUpdate(textUpdate({ ...chat, updateId: 601, text: 'واحد' }), textUpdate({ ...chat, updateId: 602, text: 'اثنان' }));
    await poller().start?.(async (event) => {
      seen.push(event.externalId);
      if (event.externalId === '601') await gate.promise;
    });
    await until(() => seen.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    // While the first emit is still storing, nothing may be confirmed and the second must wait.
    expect(seen).toEqual(['601']);
    expect(fake.calls('getUpdates').map((c) => c.body.offset)).toEqual([0]);
    expect(fake.pendingUpdates().map((u) => u.update_id)).toEqual([601, 602]);
    gate.resolve();
    await fake.waitFor('getUpdates', (c) => c.body.offset === 603);
    expect(seen).toEqual(['601', '602']);
    expect(fake.pendingUpdates()).toEqual([]);
  });

  it('gets the same update again when emit fails, instead of skipping it', async () => {
    let failures = 1;
    const seen: string[] = [];
    fake.pushUpdate(textUpdate({ ...chat, updateId: 701, text: 'أ' }), textUpdate({ ...chat, updateId: 702, text: 'ب' }));
    await poller().start?.(async (event) => {
      if (event.externalId === '702' && failures-- > 0) throw new Error('SQLITE_BUSY: database is locked');
      seen.push(event.externalId);
    });
    await until(() => seen.length === 2);
    expect(seen).toEqual(['701', '702']);
    expect(fake.calls('getUpdates').some((c) => c.body.offset === 702)).toBe(true);
    expect(logger.entries.some((e) => e.level === 'error' && /will retry/.test(e.msg ?? ''))).toBe(true);
  });

  it('keeps polling after Telegram errors and a dropped connection', async () => {
    const seen: string[] = [];
    fake.failNext('getUpdates', { status: 502, description: 'Bad Gateway' });
    fake.failNext('getUpdates', { network: 'reset' });
    fake.pushUpdate(textUpdate({ ...chat, updateId: 801, text: 'هل وصلت رسالتي؟' }));
    await poller().start?.(async (event) => void seen.push(event.externalId));
    await until(() => seen.length === 1);
    expect(fake.calls('getUpdates').length).toBeGreaterThanOrEqual(3);
    expect(logger.entries.filter((e) => e.level === 'warn' && /getUpdates failed/.test(e.msg ?? ''))).toHaveLength(2);
  });

  it('skips an update it cannot parse rather than blocking every later one', async () => {
    const seen: string[] = [];
    const broken = { update_id: 901, message: { message_id: 1, date: 1, text: 'no chat' } };
    fake.pushUpdate(broken as never, textUpdate({ ...chat, updateId: 902, text: 'بعدها' }));
    await poller().start?.(async (event) => void seen.push(event.externalId));
    await until(() => seen.length === 1);
    expect(seen).toEqual(['902']);
  });

  it('stop() aborts the waiting long poll and returns promptly; no more calls follow', async () => {
    const a = poller();
    await a.start?.(async () => {});
    await fake.waitFor('getUpdates');
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await a.stop?.();
    expect(Date.now() - started).toBeLessThan(500);
    const count = fake.calls().length;
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.calls()).toHaveLength(count);
  });

  it('stop() waits for an event being stored, and leaves it unconfirmed if stopped mid-batch', async () => {
    const gate = deferred();
    const seen: string[] = [];
    fake.pushUpdate(textUpdate({ ...chat, updateId: 1001, text: 'أ' }), textUpdate({ ...chat, updateId: 1002, text: 'ب' }));
    const a = poller();
    await a.start?.(async (event) => {
      seen.push(event.externalId);
      await gate.promise;
    });
    await until(() => seen.length === 1);
    let stopped = false;
    const stopping = a.stop?.().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(seen).toEqual(['1001']);
    // Nothing was confirmed to Telegram, so both come back on restart; dedupe drops 1001.
    expect(fake.pendingUpdates().map((u) => u.update_id)).toEqual([1001, 1002]);
  });
});
