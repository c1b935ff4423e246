// Showing WhatsApp Web's pairing QR: drawn once per new code in the terminal (real client only), and as SVG for
// the admins' Channels page without the raw pairing string.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWhatsappWebAdapter, terminalQrPrinter, type WhatsappWebAdapter } from '../../channels/whatsapp-web/index.ts';
import type { ChannelAdapter } from '../../src/core/channel.ts';
import { createChannelStatus } from '../../src/http/channel-status.ts';
import { memoryLogger } from '../telegram/support.ts';
import { fakeFactory, tick, until } from './support.ts';

vi.mock('whatsapp-web.js', () => {
  throw new Error('the real whatsapp-web.js must not be loaded in tests');
});

const config = { chromiumPath: '/usr/bin/chromium', sessionDir: '/tmp/tawasul-test/whatsapp-web' };
let adapter: WhatsappWebAdapter | undefined;

afterEach(async () => {
  await adapter?.stop?.();
  adapter = undefined;
  vi.restoreAllMocks();
});

describe('the pairing QR in the terminal', () => {
  it('prints each new code once, and never the same code twice', async () => {
    const printed: string[] = [];
    const fake = fakeFactory();
    adapter = createWhatsappWebAdapter(config, { logger: memoryLogger(), clientFactory: fake.factory, printQr: (qr) => void printed.push(qr), reconnectMs: 10 });
    await adapter.start?.(async () => undefined);
    const c = fake.clients[0];
    if (!c) throw new Error('no client');
    c.emit('qr', '2@first');
    c.emit('qr', '2@first');
    c.emit('qr', '2@second');
    await until(() => printed.length === 2);
    await tick();
    expect(printed).toEqual(['2@first', '2@second']);
    c.emit('ready');
    await tick();
    expect(printed).toHaveLength(2);
  });

  it('draws a small terminal QR with how to scan it, not the pairing string itself', async () => {
    const out: string[] = [];
    await terminalQrPrinter((t) => out.push(t))('2@SECRET-PAIRING,abc,def');
    const text = out.join('');
    expect(text).toContain('Linked devices');
    expect(text).toMatch(/[▀▄█]/);
    expect(text).not.toContain('SECRET-PAIRING');
  });

  it('prints nothing with an injected (test) client, and a failed print is only a warning', async () => {
    const write = vi.spyOn(process.stdout, 'write');
    const fake = fakeFactory();
    adapter = createWhatsappWebAdapter(config, { logger: memoryLogger(), clientFactory: fake.factory, reconnectMs: 10 });
    await adapter.start?.(async () => undefined);
    fake.clients[0]?.emit('qr', '2@quiet');
    await new Promise((r) => setTimeout(r, 50));
    expect(write.mock.calls.map((c) => String(c[0])).join('')).not.toMatch(/[▀▄█]|Linked devices/);
    write.mockRestore();
    await adapter.stop?.();

    const logger = memoryLogger();
    const failing = fakeFactory();
    adapter = createWhatsappWebAdapter(config, { logger, clientFactory: failing.factory, printQr: () => Promise.reject(new Error('no tty')), reconnectMs: 10 });
    await adapter.start?.(async () => undefined);
    failing.clients[0]?.emit('qr', '2@x');
    await until(() => logger.text().includes('could not be printed'));
    expect(adapter.status().state).toBe('qr');
  });
});

describe('the channel status the admin API returns', () => {
  const stub = (id: string, status?: () => unknown) => ({ id, capabilities: {}, send: async () => ({ externalId: '' }), ...(status ? { status } : {}) }) as unknown as ChannelAdapter;

  it('adds the QR as SVG while pairing, leaves the raw string out, and nothing for channels without a link', async () => {
    let current: Record<string, unknown> = { state: 'qr', qr: '2@PAIR-ME', since: '2026-03-01T07:00:00.000Z' };
    const view = createChannelStatus();
    const adapters = [stub('webchat'), stub('whatsapp-web', () => current)];
    const [web, wa] = await view.list(adapters);
    expect(web).toEqual({ id: 'webchat' });
    expect(wa?.status?.state).toBe('qr');
    expect(wa?.status?.since).toBe('2026-03-01T07:00:00.000Z');
    expect(wa?.status?.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(JSON.stringify(wa)).not.toContain('PAIR-ME');
    expect(Object.keys(wa?.status ?? {})).not.toContain('qr');
    // The same code is drawn once; a new one is drawn again.
    expect((await view.list(adapters))[1]?.status?.qrSvg).toBe(wa?.status?.qrSvg);
    current = { ...current, qr: '2@NEXT' };
    expect((await view.list(adapters))[1]?.status?.qrSvg).not.toBe(wa?.status?.qrSvg);

    current = { state: 'ready', since: '2026-03-01T07:01:00.000Z' };
    expect((await view.list(adapters))[1]).toEqual({ id: 'whatsapp-web', status: { state: 'ready', since: '2026-03-01T07:01:00.000Z' } });
  });
});
