// The Telegram channel adapter: webhook verify/normalize, send, callback acknowledgements, long polling.
import { Telegram } from 'telegraf';
import type { ChannelAdapter, ChannelCapabilities, Logger, WebhookHandler } from '../../src/core/channel.ts';
import { sameSecret } from '../../src/core/secrets.ts';
import type { TelegramConfig } from './config.ts';
import { callbackQueryId, normalizeTelegramUpdate } from './normalize.ts';
import { ALLOWED_UPDATES, runPolling } from './poll.ts';
import { apiSignal, sendTelegramMessage, toSendError } from './send.ts';

export { normalizeTelegramUpdate } from './normalize.ts';
export type { TelegramConfig } from './config.ts';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

export const telegramCapabilities: ChannelCapabilities = {
  maxTextLength: 4096,
  buttons: { max: 8, labelMax: 64 },
  media: true,
  // A bot may not write first: the user must have pressed Start.
  canInitiate: false,
  replyWindowHours: null,
  rate: { perSecond: 30, perRecipientPerSecond: 1, perRecipientBurst: 5 },
};

export interface TelegramDeps {
  logger: Logger;
  /** Injected client for tests; by default `new Telegram(token, { apiRoot })`. */
  telegram?: Telegram;
  /** Long-poll timeout in seconds passed to getUpdates (default 25). */
  pollTimeoutSeconds?: number;
  /** Bound on each non-polling API call (default 15 s) so a silent network cannot stall the outbound worker. */
  requestTimeoutMs?: number;
  /** Polling back-off after a failure: doubles from min to max (default 1 s → 30 s). */
  backoff?: { minMs: number; maxMs: number };
}

function verifier(secret: string | undefined): WebhookHandler['verify'] {
  const expected = secret ? Buffer.from(secret, 'utf8') : undefined;
  return (req) => {
    if (!expected) return false;
    const header = req.headers['x-telegram-bot-api-secret-token'];
    if (typeof header !== 'string') return false;
    return sameSecret(header, expected);
  };
}

function httpsUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).protocol === 'https:' ? url.replace(/(?<!\/)\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
}

export function createTelegramAdapter(config: TelegramConfig, deps: TelegramDeps): ChannelAdapter {
  const { logger } = deps;
  // telegraf resolves './bot<token>/…' against apiRoot, which drops a path prefix without a trailing slash.
  const apiRoot = config.apiRoot.endsWith('/') ? config.apiRoot : `${config.apiRoot}/`;
  const telegram = deps.telegram ?? new Telegram(config.botToken, { apiRoot });
  const pollTimeout = deps.pollTimeoutSeconds ?? 25;
  const requestTimeoutMs = deps.requestTimeoutMs ?? 15_000;
  const backoff = deps.backoff ?? { minMs: 1_000, maxMs: 30_000 };
  let polling: { controller: AbortController; done: Promise<void> } | undefined;
  if (config.mode === 'webhook' && !config.webhookSecret) {
    logger.error({ channel: 'telegram' }, 'Telegram webhook has no secret: every webhook request will be rejected');
  }

  async function setWebhook(): Promise<void> {
    const base = httpsUrl(config.publicUrl);
    if (!base) {
      logger.warn(
        { channel: 'telegram', path: TELEGRAM_WEBHOOK_PATH },
        'Telegram webhook not registered: PUBLIC_URL is not https; call setWebhook by hand with the secret_token',
      );
      return;
    }
    const url = `${base}${TELEGRAM_WEBHOOK_PATH}`;
    try {
      await telegram.callApi(
        'setWebhook',
        { url, secret_token: config.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] },
        { signal: apiSignal(requestTimeoutMs) },
      );
      logger.info({ channel: 'telegram', url }, 'Telegram webhook registered');
    } catch (err) {
      logger.error({ channel: 'telegram', url, error: toSendError(err, 'setWebhook').message }, 'Telegram setWebhook failed');
    }
  }

  const adapter: ChannelAdapter = {
    id: 'telegram',
    capabilities: telegramCapabilities,
    ...(config.mode === 'webhook'
      ? {
          webhook: {
            path: TELEGRAM_WEBHOOK_PATH,
            verify: verifier(config.webhookSecret),
            normalize: (body: unknown) => normalizeTelegramUpdate(body),
          },
        }
      : {}),

    async start(emit) {
      if (config.mode === 'webhook') return setWebhook();
      if (polling) return;
      const controller = new AbortController();
      const options = { logger, pollTimeoutSeconds: pollTimeout, requestTimeoutMs, backoff };
      const done = runPolling(telegram, emit, controller.signal, options).catch((err: unknown) => {
        logger.error({ channel: 'telegram', err }, 'Telegram polling stopped unexpectedly');
      });
      polling = { controller, done };
      logger.info({ channel: 'telegram', timeoutSeconds: pollTimeout }, 'Telegram long polling started');
    },

    async stop() {
      if (!polling) return;
      const { controller, done } = polling;
      polling = undefined;
      controller.abort();
      // Waits for an in-flight emit to finish so shutdown does not close the database under it.
      await done;
    },

    async acknowledge(event) {
      const id = callbackQueryId(event.raw);
      if (id === undefined) return;
      try {
        await telegram.callApi('answerCallbackQuery', { callback_query_id: id }, { signal: apiSignal(requestTimeoutMs) });
      } catch (err) {
        const error = toSendError(err, 'answerCallbackQuery');
        // Old buttons (over ~15 minutes, or after a restart) cannot be answered any more; nothing is lost.
        if (/query is too old|query ID is invalid/i.test(error.message)) {
          logger.debug({ channel: 'telegram', error: error.message }, 'Telegram callback query too old to answer');
          return;
        }
        throw error;
      }
    },

    send: (address, message, context) => sendTelegramMessage(telegram, address, message, requestTimeoutMs, context),
  };
  return adapter;
}
