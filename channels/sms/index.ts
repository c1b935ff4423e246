// The SMS channel adapter: Twilio webhooks (inbound + status callbacks) and sending through Twilio or Unifonic.
import type { ChannelAdapter, ChannelCapabilities, Logger, WebhookHandler } from '../../src/core/channel.ts';
import { AppError } from '../../src/core/errors.ts';
import type { SmsConfig } from './config.ts';
import { fitToSegments } from './segments.ts';
import { sendViaTwilio, sendViaUnifonic } from './send.ts';
import { REFERENCE, TWILIO_INBOUND_PATH, TWILIO_STATUS_PATH, normalizeTwilioInbound, twilioStatuses, twilioVerifier } from './webhooks.ts';

export { smsConfigFromEnv, type SmsConfig, type SmsConfigResult } from './config.ts';
export { fitToSegments, smsSegments } from './segments.ts';
export { TWILIO_INBOUND_PATH, TWILIO_STATUS_PATH, normalizeTwilioInbound, twilioStatuses } from './webhooks.ts';

/** UCS-2 capacity of one part of a split message: Arabic always travels as UCS-2. */
const UCS2_PART = 67;

export interface SmsDeps {
  logger: Logger;
  /** Used for Twilio's and Unifonic's REST calls (default global fetch). */
  fetch?: typeof fetch;
  now?: () => Date;
  /** Bound on each provider request (default 15 s). */
  requestTimeoutMs?: number;
}

export function smsCapabilities(config: Pick<SmsConfig, 'maxSegments' | 'perSecond' | 'provider' | 'publicUrl'>): ChannelCapabilities {
  return {
    // Twilio calls our status callback URL, which carries our reference; Unifonic has nothing to echo it.
    reference: config.provider === 'twilio' && config.publicUrl ? 'echoed' : 'none',
    maxTextLength: UCS2_PART * config.maxSegments,
    // No buttons: the renderer turns choices into a numbered list the beneficiary answers with a digit.
    buttons: null,
    // Each SMS is billed: consecutive texts that fit the segment budget together go as one.
    combineTexts: true,
    media: false,
    canInitiate: true,
    replyWindowHours: null,
    rate: { perSecond: config.perSecond, perRecipientPerSecond: 1, perRecipientBurst: 2 },
  };
}

// Many SMS apps draw LRI/PDI (Unicode 6.3) as boxes; an LRM on each side keeps references in order there too.
function smsBidi(text: string): string {
  return text.replace(/[\u2066\u2069]/g, '\u200E');
}

export function createSmsAdapter(config: SmsConfig, deps: SmsDeps): ChannelAdapter {
  const { logger } = deps;
  const now = deps.now ?? (() => new Date());
  const fetchFn = deps.fetch ?? fetch;
  const timeoutMs = deps.requestTimeoutMs ?? 15_000;
  const tw = config.twilio;
  if (tw) {
    if (!config.publicUrl) {
      logger.warn({ channel: 'sms' }, 'PUBLIC_URL is not set: Twilio signatures are checked against the Host header and no status callbacks are requested');
    }
  }
  const statusCallback = config.publicUrl ? `${config.publicUrl}${TWILIO_STATUS_PATH}` : undefined;

  let webhook: WebhookHandler | undefined;
  let extraWebhooks: WebhookHandler[] | undefined;
  if (tw) {
    const verify = twilioVerifier(tw.authToken);
    webhook = { path: TWILIO_INBOUND_PATH, verify, normalize: (body) => normalizeTwilioInbound(body, now()) };
    extraWebhooks = [{ path: TWILIO_STATUS_PATH, verify, normalize: () => [], statuses: (body, query) => twilioStatuses(body, now(), query?.ref) }];
  }

  return {
    id: 'sms',
    capabilities: smsCapabilities(config),
    ...(webhook ? { webhook } : {}),
    ...(extraWebhooks ? { extraWebhooks } : {}),

    async send(address, message, context) {
      const body = fitToSegments(smsBidi(message.text), config.maxSegments);
      if (config.provider === 'unifonic' && config.unifonic) return sendViaUnifonic(fetchFn, config.unifonic, address, body, timeoutMs, now());
      // Our reference rides in the callback URL (signed by Twilio with it), so a report finds a send a crash hid.
      const ref = context?.reference && REFERENCE.test(context.reference) ? context.reference : undefined;
      const callback = statusCallback && ref ? `${statusCallback}?ref=${ref}` : statusCallback;
      if (tw) return sendViaTwilio(fetchFn, tw, address, body, callback, timeoutMs, now());
      // Unreachable with a config from smsConfigFromEnv; a hand-built one may lack the chosen provider.
      throw new AppError('ERR_CHANNEL_SEND', `SMS provider ${config.provider} is not configured`);
    },
  };
}
