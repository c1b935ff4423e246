// The WhatsApp Cloud API channel adapter: webhook handshake, signature check, normalize, statuses, send and media download.
import { createHmac } from 'node:crypto';
import { sameSecret } from '../../src/core/secrets.ts';
import type { ChannelAdapter, ChannelCapabilities, Logger, WebhookHandler } from '../../src/core/channel.ts';
import type { WhatsappConfig } from './config.ts';
import { fetchWhatsappMedia } from './media.ts';
import { normalizeWhatsappWebhook, whatsappStatuses } from './normalize.ts';
import { sendWhatsappMessage } from './send.ts';

export { normalizeWhatsappWebhook, whatsappStatuses } from './normalize.ts';
export { whatsappConfigFromEnv, type WhatsappConfig } from './config.ts';

export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';

/** The defaults; each adapter takes its sender rate from WHATSAPP_RATE_PER_SECOND. */
export const whatsappCapabilities: ChannelCapabilities = {
  maxTextLength: 4096,
  buttons: { max: 3, labelMax: 20 },
  list: { maxRows: 10, titleMax: 24, buttonMax: 20 },
  media: true,
  // Business-initiated messages need an approved template; free-form only inside the window.
  canInitiate: false,
  replyWindowHours: 24,
  // Our reference rides as biz_opaque_callback_data and comes back in every status webhook.
  reference: 'echoed',
  // 80/s per number by default; about one message per 6 s to one user before pair-rate errors (131056).
  rate: { perSecond: 80, perRecipientPerSecond: 1 / 6, perRecipientBurst: 4 },
};

export interface WhatsappDeps {
  logger: Logger;
  /** Injected for tests; global fetch by default. */
  fetch?: typeof fetch;
  now?: () => Date;
  /** Bound on each Graph call (default 15 s) so a silent network cannot stall the outbound worker. */
  requestTimeoutMs?: number;
}

/** GET handshake: answers hub.challenge only for a subscribe request carrying our verify token. */
export function whatsappHandshake(verifyToken: string): NonNullable<WebhookHandler['handshake']> {
  const expected = Buffer.from(verifyToken, 'utf8');
  return (query) => {
    const token = query['hub.verify_token'];
    const challenge = query['hub.challenge'];
    if (query['hub.mode'] !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') return null;
    return expected.length > 0 && sameSecret(token, expected) ? challenge : null;
  };
}

/** POST signature: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(app secret, exact raw body). */
export function whatsappVerifier(appSecret: string): WebhookHandler['verify'] {
  return (req) => {
    if (appSecret.length === 0) return false;
    const header = req.headers['x-hub-signature-256'];
    if (typeof header !== 'string') return false;
    const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
    if (!match?.[1]) return false;
    const got = Buffer.from(match[1].toLowerCase(), 'hex');
    const expected = createHmac('sha256', appSecret).update(req.rawBody).digest();
    return sameSecret(got, expected);
  };
}

export function createWhatsappAdapter(config: WhatsappConfig, deps: WhatsappDeps): ChannelAdapter {
  const graph = {
    fetch: deps.fetch ?? globalThis.fetch,
    now: deps.now ?? (() => new Date()),
    timeoutMs: deps.requestTimeoutMs ?? 15_000,
  };
  if (!config.template) {
    deps.logger.info({ channel: 'whatsapp' }, 'WhatsApp has no template configured: replies more than 24 h after the last user message will fail');
  }
  return {
    id: 'whatsapp',
    capabilities: { ...whatsappCapabilities, rate: { ...whatsappCapabilities.rate, perSecond: config.ratePerSecond } },
    webhook: {
      path: WHATSAPP_WEBHOOK_PATH,
      handshake: whatsappHandshake(config.verifyToken),
      verify: whatsappVerifier(config.appSecret),
      normalize: (body) => normalizeWhatsappWebhook(body, config.phoneNumberId),
      statuses: (body) => whatsappStatuses(body, config.phoneNumberId),
    },
    fetchMedia: (ref, { maxBytes }) => fetchWhatsappMedia(config, ref, maxBytes, graph),
    send: (address, message, context) => sendWhatsappMessage(config, address, message, context, graph),
  };
}
