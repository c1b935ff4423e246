// The explicit channel list: which adapters exist is decided here from configuration, never by scanning folders.
import type { ChannelAdapter, Logger } from './core/channel.ts';
import type { Config } from './config.ts';
import { createTelegramAdapter, type TelegramDeps } from '../channels/telegram/index.ts';
import { createWebchatAdapter } from '../channels/webchat/index.ts';
import { createSmsAdapter, type SmsDeps } from '../channels/sms/index.ts';
import { createEmailAdapter, type EmailDeps } from '../channels/email/index.ts';
import { createWhatsappAdapter, type WhatsappDeps } from '../channels/whatsapp/index.ts';
import { createWhatsappWebAdapter, type WhatsappWebDeps } from '../channels/whatsapp-web/index.ts';

export interface ChannelOverrides {
  telegram?: Omit<TelegramDeps, 'logger'>;
  sms?: Omit<SmsDeps, 'logger'>;
  email?: Omit<EmailDeps, 'logger'>;
  whatsapp?: Omit<WhatsappDeps, 'logger'>;
  whatsappWeb?: Omit<WhatsappWebDeps, 'logger'>;
}

export function createAdapters(config: Config, logger: Logger, overrides: ChannelOverrides = {}): Map<string, ChannelAdapter> {
  const adapters = new Map<string, ChannelAdapter>();
  adapters.set('webchat', createWebchatAdapter());
  if (config.telegram) adapters.set('telegram', createTelegramAdapter(config.telegram, { logger, ...overrides.telegram }));
  if (config.sms) adapters.set('sms', createSmsAdapter(config.sms, { logger, ...overrides.sms }));
  if (config.email) adapters.set('email', createEmailAdapter(config.email, { logger, ...overrides.email }));
  if (config.whatsapp) adapters.set('whatsapp', createWhatsappAdapter(config.whatsapp, { logger, ...overrides.whatsapp }));
  if (config.whatsappWeb) adapters.set('whatsapp-web', createWhatsappWebAdapter(config.whatsappWeb, { logger, ...overrides.whatsappWeb }));
  return adapters;
}
