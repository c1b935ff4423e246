// WhatsApp Web adapter: one whatsapp-web.js client (Chromium) with QR pairing, inbound events, acks and reconnects.
import type { ChannelAdapter, ChannelCapabilities, ChannelLinkStatus, DeliveryUpdate, Emit, Logger, ReportDeliveries } from '../../src/core/channel.ts';
import type { OutboundMessage, SendResult } from '../../src/core/messages.ts';
import { AppError } from '../../src/core/errors.ts';
import type { WhatsappWebConfig } from './config.ts';
import { defaultClientFactory, type WaClientFactory, type WaClientLike } from './client.ts';
import { ackToUpdate, normalizeWaMessage, toChatId } from './normalize.ts';
import { terminalQrPrinter, type QrPrinter } from './terminal-qr.ts';

export type { WaClientLike, WaClientFactory, WaClientOptions } from './client.ts';
export { whatsappWebConfigFromEnv, type WhatsappWebConfig } from './config.ts';
export { terminalQrPrinter, type QrPrinter } from './terminal-qr.ts';

export type WhatsappWebState = ChannelLinkStatus['state'];

/** The channel contract's link status, with `since` always set. */
export interface WhatsappWebStatus extends ChannelLinkStatus {
  since: string;
}

export interface WhatsappWebDeps {
  logger: Logger;
  clientFactory?: WaClientFactory;
  onStatusChange?: (status: WhatsappWebStatus) => void;
  /** Shows each new pairing QR in the terminal; by default only with the real client (a test's fake prints nothing). */
  printQr?: QrPrinter;
  /** First reconnect delay; doubles per failed attempt up to maxReconnectMs. */
  reconnectMs?: number;
  maxReconnectMs?: number;
}

export interface WhatsappWebAdapter extends ChannelAdapter {
  status(): WhatsappWebStatus;
}

// Gentle pacing: this unofficial path risks a ban if it looks like bulk sending.
export const WHATSAPP_WEB_CAPABILITIES: ChannelCapabilities = {
  maxTextLength: 4096,
  buttons: null, // deprecated in WhatsApp Web; choices arrive as numbered lists
  media: false,
  canInitiate: true,
  replyWindowHours: null,
  rate: { perSecond: 1, perRecipientPerSecond: 0.2, perRecipientBurst: 3 },
};

const ACK_MEMORY = 2000;
const NOT_READY_RETRY_MS = 30_000;

export function createWhatsappWebAdapter(config: WhatsappWebConfig, deps: WhatsappWebDeps): WhatsappWebAdapter {
  const { logger } = deps;
  const factory = deps.clientFactory ?? defaultClientFactory;
  const printQr = deps.printQr ?? (deps.clientFactory ? undefined : terminalQrPrinter());
  let printed: string | undefined;
  const baseDelay = deps.reconnectMs ?? 5_000;
  const maxDelay = Math.max(baseDelay, deps.maxReconnectMs ?? 300_000);
  let current: WhatsappWebStatus = { state: 'disconnected', since: new Date().toISOString() };
  let client: WaClientLike | undefined;
  let emit: Emit | undefined;
  // Delivery reports from message_ack go where start() was told (the gateway's one delivery-report path).
  let reportDeliveries: ReportDeliveries | undefined;
  let timer: NodeJS.Timeout | undefined;
  let attempts = 0;
  let stopped = true;
  // Last status per sent id: whatsapp-web.js repeats acks, and we report each change once.
  const acks = new Map<string, DeliveryUpdate['status']>();

  const setState = (state: WhatsappWebState, qr?: string) => {
    current = { state, ...(qr === undefined ? {} : { qr }), since: new Date().toISOString() };
    try {
      deps.onStatusChange?.(current);
    } catch (err) {
      logger.warn({ channel: 'whatsapp-web', err }, 'onStatusChange failed');
    }
  };

  const onMessage = async (msg: unknown) => {
    const result = normalizeWaMessage(msg);
    if ('skip' in result) {
      logger.debug({ channel: 'whatsapp-web', reason: result.skip }, 'WhatsApp Web message ignored');
      return;
    }
    try {
      await emit?.(result.event);
    } catch (err) {
      // whatsapp-web.js does not redeliver; the officer sees the gap, the process keeps running.
      logger.error({ channel: 'whatsapp-web', externalId: result.event.externalId, err }, 'WhatsApp Web message not stored');
    }
  };

  const onAck = (msg: unknown, ack: unknown) => {
    const update = ackToUpdate(msg, ack);
    if (!update || acks.get(update.externalId) === update.status) return;
    acks.delete(update.externalId);
    acks.set(update.externalId, update.status);
    if (acks.size > ACK_MEMORY) acks.delete(acks.keys().next().value as string);
    try {
      reportDeliveries?.([update]);
    } catch (err) {
      logger.warn({ channel: 'whatsapp-web', err }, 'WhatsApp Web delivery report failed');
    }
  };

  const onLost = (reason: string) => {
    if (stopped) return;
    logger.warn({ channel: 'whatsapp-web', reason }, 'WhatsApp Web disconnected; will reconnect');
    setState('disconnected');
    scheduleReconnect();
  };

  const wire = (c: WaClientLike) => {
    c.on('qr', (qr: unknown) => {
      if (typeof qr !== 'string') return;
      // The QR itself stays out of the logs: anyone holding it could pair a phone to this gateway.
      if (current.state !== 'qr') logger.warn({ channel: 'whatsapp-web' }, 'WhatsApp Web needs pairing: an admin can scan the QR on the inbox Channels page');
      setState('qr', qr);
      // whatsapp-web.js renews the code about every 20 s; each new one is drawn once.
      if (printQr && qr !== printed) {
        printed = qr;
        Promise.resolve()
          .then(() => printQr(qr))
          .catch((err: unknown) => logger.warn({ channel: 'whatsapp-web', err }, 'WhatsApp Web QR could not be printed'));
      }
    });
    c.on('ready', () => {
      attempts = 0;
      logger.info({ channel: 'whatsapp-web' }, 'WhatsApp Web ready');
      setState('ready');
    });
    c.on('message', (msg: unknown) => void onMessage(msg));
    c.on('message_ack', onAck);
    c.on('disconnected', (reason: unknown) => onLost(String(reason)));
    c.on('auth_failure', (message: unknown) => onLost(`auth_failure: ${String(message)}`));
  };

  const connect = async () => {
    setState('starting');
    try {
      const c = await factory({ chromiumPath: config.chromiumPath, sessionDir: config.sessionDir });
      if (stopped) return void (await c.destroy().catch(() => undefined));
      client = c;
      wire(c);
      // Not awaited by start(): initialize waits for a QR scan, which can take days.
      c.initialize().catch((err: unknown) => onLost(`initialize failed: ${err instanceof Error ? err.message : String(err)}`));
    } catch (err) {
      onLost(`client could not be created: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const dropClient = async () => {
    const old = client;
    client = undefined;
    if (!old) return;
    old.removeAllListeners();
    await old.destroy().catch((err: unknown) => logger.debug({ channel: 'whatsapp-web', err }, 'WhatsApp Web destroy failed'));
  };

  function scheduleReconnect() {
    if (stopped || timer) return;
    const delay = Math.min(baseDelay * 2 ** attempts, maxDelay);
    attempts += 1;
    timer = setTimeout(() => {
      timer = undefined;
      void dropClient().then(() => (stopped ? undefined : connect()));
    }, delay);
  }

  return {
    id: 'whatsapp-web',
    capabilities: WHATSAPP_WEB_CAPABILITIES,
    status: () => ({ ...current }),

    async start(onEvent, deliveries) {
      emit = onEvent;
      reportDeliveries = deliveries;
      stopped = false;
      await connect();
    },

    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await dropClient();
      setState('disconnected');
    },

    async send(address: string, message: OutboundMessage): Promise<SendResult> {
      if (!client || current.state !== 'ready') {
        throw new AppError('ERR_CHANNEL_SEND', `WhatsApp Web is not connected (${current.state})`, {
          retryable: true,
          retryAfterMs: NOT_READY_RETRY_MS,
        });
      }
      try {
        const sent = await client.sendMessage(toChatId(address), message.text);
        return { externalId: sent.id._serialized };
      } catch (err) {
        throw new AppError('ERR_CHANNEL_SEND', 'WhatsApp Web send failed', { retryable: true, cause: err });
      }
    },
  };
}
