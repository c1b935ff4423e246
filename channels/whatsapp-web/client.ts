// The slice of whatsapp-web.js's Client the adapter uses, and the default factory that loads it lazily.
import type { EventEmitter } from 'node:events';

/** What the adapter needs from a client; tests pass an EventEmitter-based fake. */
export interface WaClientLike extends Pick<EventEmitter, 'on' | 'once' | 'removeAllListeners'> {
  initialize(): Promise<void>;
  sendMessage(chatId: string, text: string): Promise<{ id: { _serialized: string } }>;
  destroy(): Promise<void>;
}

export interface WaClientOptions {
  chromiumPath: string;
  sessionDir: string;
}

export type WaClientFactory = (opts: WaClientOptions) => WaClientLike | Promise<WaClientLike>;

// Chromium flags for a headless server: no sandbox (containers), no GPU, no background chatter.
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];

/** Imported only here and only when the channel starts, so tests and disabled setups never load Puppeteer. */
export const defaultClientFactory: WaClientFactory = async ({ chromiumPath, sessionDir }) => {
  const wweb = await import('whatsapp-web.js');
  // CommonJS: the exports live on the default export.
  const { Client, LocalAuth } = wweb.default;
  const client = new Client({
    authStrategy: new LocalAuth({ dataPath: sessionDir }),
    puppeteer: { executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS },
  });
  return client as unknown as WaClientLike;
};
