// Shared settings and helpers for the WhatsApp tests.
import { readFileSync } from 'node:fs';
import type { WhatsappConfig } from '../../channels/whatsapp/config.ts';
import { PHONE_NUMBER_ID } from '../fakes/whatsapp-webhooks.ts';

export { memoryLogger, refusedApiRoot } from '../telegram/support.ts';

export const TOKEN = 'EAAG-test-token-must-never-leak-ZZZ';
export const APP_SECRET = 'app-secret';
export const VERIFY_TOKEN = 'verify-me';

export function config(overrides: Partial<WhatsappConfig> = {}): WhatsappConfig {
  return {
    accessToken: TOKEN,
    phoneNumberId: PHONE_NUMBER_ID,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    graphUrl: 'http://127.0.0.1:9/v21.0',
    template: undefined,
    ...overrides,
  };
}

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/whatsapp/${name}.json`, import.meta.url), 'utf8')) as unknown;
}
