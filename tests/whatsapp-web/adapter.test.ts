// WhatsApp Web adapter against a fake client: pairing, inbound, send, acks, reconnect, stop. No browser, no library.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryUpdate } from '../../src/core/channel.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import { AppError } from '../../src/core/errors.ts';
import { createWhatsappWebAdapter, type WhatsappWebAdapter, type WhatsappWebStatus } from '../../channels/whatsapp-web/index.ts';
import { memoryLogger } from '../telegram/support.ts';
import { fakeFactory, tick, until, waMessage, type FakeWaClient } from './support.ts';

const library = vi.hoisted(() => ({ imported: 0 }));
vi.mock('whatsapp-web.js', () => {
  library.imported += 1;
  throw new Error('the real whatsapp-web.js must not be loaded in tests');
});

const config = { chromiumPath: '/usr/bin/chromium', sessionDir: '/tmp/tawasul-test/whatsapp-web' };
let logger: ReturnType<typeof memoryLogger>;
let fake: ReturnType<typeof fakeFactory>;
let statuses: WhatsappWebStatus[];
let deliveries: DeliveryUpdate[];
let seen: NormalizedInbound[];
let adapter: WhatsappWebAdapter;

function client(i = 0): FakeWaClient {
  const c = fake.clients[i];
  if (!c) throw new Error(`no client #${i}`);
  return c;
}

async function started(emit = async (e: NormalizedInbound) => void seen.push(e)): Promise<FakeWaClient> {
  await adapter.start?.(emit, (u) => deliveries.push(...u));
  return client(0);
}

beforeEach(() => {
  logger = memoryLogger();
  fake = fakeFactory();
  statuses = [];
  deliveries = [];
  seen = [];
  adapter = createWhatsappWebAdapter(config, {
    logger,
    clientFactory: fake.factory,
    onStatusChange: (s) => statuses.push(s),
    reconnectMs: 10,
  });
});

afterEach(async () => {
  await adapter.stop?.();
  expect(library.imported).toBe(0);
});

describe('whatsapp-web adapter', () => {
  it('declares gentle capabilities with numbered lists instead of buttons', () => {
    expect(adapter.id).toBe('whatsapp-web');
    expect(adapter.capabilities).toEqual({
      maxTextLength: 4096,
      buttons: null,
      media: false,
      canInitiate: true,
      replyWindowHours: null,
      rate: { perSecond: 1, perRecipientPerSecond: 0.2, perRecipientBurst: 3 },
    });
  });

  it('builds the client through the factory, shows the QR, then becomes ready', async () => {
    const c = await started();
    expect(fake.clients).toHaveLength(1);
    expect(c.opts).toEqual(config);
    expect(c.initialized).toBe(1);
    expect(adapter.status().state).toBe('starting');

    c.emit('qr', '2@AbCdEf==,xyz,123');
    expect(adapter.status()).toMatchObject({ state: 'qr', qr: '2@AbCdEf==,xyz,123' });
    c.emit('qr', '2@second-qr');
    expect(adapter.status().qr).toBe('2@second-qr');
    expect(statuses.map((s) => s.state)).toEqual(['starting', 'qr', 'qr']);
    expect(logger.text()).toContain('scan the QR');
    expect(logger.text()).not.toContain('2@AbCdEf');

    c.emit('ready');
    const status = adapter.status();
    expect(status.state).toBe('ready');
    expect(status.qr).toBeUndefined();
    expect(new Date(status.since).toISOString()).toBe(status.since);
  });

  it('normalizes an inbound Arabic text with the chat id as address and the phone', async () => {
    const c = await started();
    c.emit('message', waMessage());
    await until(() => seen.length === 1);
    expect(seen[0]).toEqual({
      channel: 'whatsapp-web',
      externalId: 'false_966551234567@c.us_3A0F9C1B2D',
      address: '966551234567@c.us',
      sender: { displayName: 'نورة', phone: '+966551234567' },
      content: { type: 'text', text: 'السلام عليكم، أريد التقديم على المساعدة' },
      receivedAt: new Date(1_717_000_000 * 1000),
      raw: expect.anything(),
    });
  });

  it('ignores groups, status broadcasts, our own messages and system notices', async () => {
    const c = await started();
    c.emit('message', waMessage({ from: '120363025246125486@g.us', author: '966551234567@c.us' }));
    c.emit('message', waMessage({ from: 'status@broadcast', isStatus: true }));
    c.emit('message', waMessage({ fromMe: true }));
    c.emit('message', waMessage({ type: 'e2e_notification', body: '' }));
    c.emit('message', waMessage({ id: { _serialized: 'ok-1' }, body: 'نعم' }));
    await until(() => seen.length === 1);
    await tick();
    expect(seen.map((e) => e.externalId)).toEqual(['ok-1']);
  });

  it('turns media into media events by kind', async () => {
    const c = await started();
    const kinds = [['image', 'image'], ['ptt', 'audio'], ['document', 'document'], ['sticker', 'sticker'], ['video', 'video']] as const;
    kinds.forEach(([type], i) => c.emit('message', waMessage({ id: { _serialized: `m${i}` }, type, hasMedia: true, body: '' })));
    c.emit('message', waMessage({ id: { _serialized: 'loc' }, type: 'location', hasMedia: false }));
    await until(() => seen.length === kinds.length + 1);
    expect(seen.map((e) => e.content)).toEqual([
      ...kinds.map(([, kind]) => ({ type: 'media', kind })),
      { type: 'media', kind: 'location' },
    ]);
  });

  it('logs an emit failure and keeps receiving', async () => {
    let calls = 0;
    const c = await started(async (e) => {
      calls += 1;
      if (calls === 1) throw new Error('database is locked');
      seen.push(e);
    });
    c.emit('message', waMessage({ id: { _serialized: 'first' } }));
    c.emit('message', waMessage({ id: { _serialized: 'second' } }));
    await until(() => seen.length === 1);
    expect(seen[0]?.externalId).toBe('second');
    expect(logger.entries.some((e) => e.level === 'error' && e.msg === 'WhatsApp Web message not stored')).toBe(true);
  });

  it('refuses to send until ready, with a retryable error', async () => {
    await expect(adapter.send('966551234567@c.us', { text: 'مرحبا' })).rejects.toMatchObject({
      code: 'ERR_CHANNEL_SEND',
      retryable: true,
      retryAfterMs: 30_000,
    });
    const c = await started();
    c.emit('qr', '2@qr');
    const error = await adapter.send('966551234567@c.us', { text: 'مرحبا' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(c.sent).toEqual([]);
  });

  it('sends to the chat id once ready and returns the serialized id', async () => {
    const c = await started();
    c.emit('ready');
    const text = 'اختر:\n1. التقديم\n2. الاستفسار';
    await expect(adapter.send('966551234567@c.us', { text })).resolves.toEqual({ externalId: 'true_966551234567@c.us_3EB01' });
    await adapter.send('+966551234568', { text: 'تذكير' });
    expect(c.sent).toEqual([
      { chatId: '966551234567@c.us', text },
      { chatId: '966551234568@c.us', text: 'تذكير' },
    ]);
    c.sendError = new Error('Evaluation failed: session closed');
    await expect(adapter.send('966551234567@c.us', { text: 'x' })).rejects.toMatchObject({ code: 'ERR_CHANNEL_SEND', retryable: true });
  });

  it('maps acks to delivery updates once per change', async () => {
    const c = await started();
    const sent = (id: string) => ({ id: { _serialized: id }, fromMe: true });
    c.emit('message_ack', sent('a'), 1);
    c.emit('message_ack', sent('a'), 1);
    c.emit('message_ack', sent('a'), 2);
    c.emit('message_ack', sent('a'), 3);
    c.emit('message_ack', sent('b'), 4);
    c.emit('message_ack', sent('c'), -1);
    c.emit('message_ack', sent('d'), 0);
    expect(deliveries.map((d) => [d.externalId, d.status])).toEqual([
      ['a', 'sent'],
      ['a', 'delivered'],
      ['a', 'read'],
      ['b', 'read'],
      ['c', 'failed'],
    ]);
  });

  it('reconnects with a new client after a disconnect, and stop() cancels a pending reconnect', async () => {
    const c = await started();
    c.emit('ready');
    c.emit('disconnected', 'NAVIGATION');
    expect(adapter.status().state).toBe('disconnected');
    await expect(adapter.send('966551234567@c.us', { text: 'x' })).rejects.toMatchObject({ retryable: true });
    await until(() => fake.clients.length === 2);
    expect(c.destroyed).toBe(1);
    expect(c.listenerCount('message')).toBe(0);
    await until(() => client(1).initialized === 1);

    client(1).emit('auth_failure', 'bad session');
    expect(adapter.status().state).toBe('disconnected');
    await adapter.stop?.();
    await new Promise((r) => setTimeout(r, 60));
    expect(fake.clients).toHaveLength(2);
    expect(client(1).destroyed).toBe(1);
  });

  it('backs off when initialize keeps failing, without throwing', async () => {
    fake.factory = ((orig) => (opts) => {
      const c = orig(opts);
      c.initialize = async () => Promise.reject(new Error('Failed to launch the browser process'));
      return c;
    })(fake.factory);
    adapter = createWhatsappWebAdapter(config, { logger, clientFactory: fake.factory, reconnectMs: 5, maxReconnectMs: 20 });
    await adapter.start?.(async () => undefined);
    await until(() => fake.clients.length >= 3);
    expect(logger.text()).toContain('Failed to launch the browser process');
  });

  it('stop() destroys the client and resolves promptly', async () => {
    const c = await started();
    c.emit('ready');
    const t0 = Date.now();
    await adapter.stop?.();
    expect(Date.now() - t0).toBeLessThan(100);
    expect(c.destroyed).toBe(1);
    expect(adapter.status().state).toBe('disconnected');
    c.emit('disconnected', 'LOGOUT');
    await new Promise((r) => setTimeout(r, 40));
    expect(fake.clients).toHaveLength(1);
  });
});
