// Shared settings and helpers for the WhatsApp tests.
import { existsSync, readFileSync } from 'node:fs';
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
    ratePerSecond: 80,
    ...overrides,
  };
}

/** A real-shaped webhook body: tests/fixtures/whatsapp, or the media fixtures kept beside these tests. */
export function fixture(name: string): unknown {
  const local = new URL(`./fixtures/${name}.json`, import.meta.url);
  const file = existsSync(local) ? local : new URL(`../fixtures/whatsapp/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}
