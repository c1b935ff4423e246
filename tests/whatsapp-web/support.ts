// A fake whatsapp-web.js client (no browser) and helpers for the WhatsApp Web tests.
import { EventEmitter } from 'node:events';
import type { WaClientLike, WaClientOptions } from '../../channels/whatsapp-web/index.ts';

export class FakeWaClient extends EventEmitter implements WaClientLike {
  initialized = 0;
  destroyed = 0;
  sent: { chatId: string; text: string }[] = [];
  sendError: Error | undefined;
  constructor(readonly opts: WaClientOptions) {
    super();
  }
  async initialize(): Promise<void> {
    this.initialized += 1;
  }
  async sendMessage(chatId: string, text: string): Promise<{ id: { _serialized: string } }> {
    if (this.sendError) throw this.sendError;
    this.sent.push({ chatId, text });
    return { id: { _serialized: `true_${chatId}_3EB0${this.sent.length}` } };
  }
  async destroy(): Promise<void> {
    this.destroyed += 1;
  }
}

/** Records every client it builds, so tests can prove the real library was never used. */
export function fakeFactory(): { clients: FakeWaClient[]; factory: (opts: WaClientOptions) => FakeWaClient } {
  const clients: FakeWaClient[] = [];
  return {
    clients,
    factory: (opts) => {
      const client = new FakeWaClient(opts);
      clients.push(client);
      return client;
    },
  };
}

/** A message shaped like whatsapp-web.js's Message (the fields the adapter reads). */
export function waMessage(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: { _serialized: 'false_966551234567@c.us_3A0F9C1B2D', fromMe: false },
    from: '966551234567@c.us',
    to: '966500000000@c.us',
    fromMe: false,
    isStatus: false,
    body: 'السلام عليكم، أريد التقديم على المساعدة',
    type: 'chat',
    hasMedia: false,
    timestamp: 1_717_000_000,
    _data: { notifyName: 'نورة' },
    ...over,
  };
}

export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const tick = () => new Promise((r) => setImmediate(r));
