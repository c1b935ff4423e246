// Shared SMS test values: Twilio-shaped credentials (fake), a base config.
import type { SmsConfig } from '../../channels/sms/config.ts';

export const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const AUTH_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
export const SERVICE_SID = `MG${'b2'.repeat(16)}`;
export const UNIFONIC_APP_SID = 'uNiF0n1cAppSid-test-secret';
export const PUBLIC_URL = 'https://sms-gateway.test';

export function twilioConfig(apiUrl: string, extra: Partial<SmsConfig> = {}): SmsConfig {
  return { provider: 'twilio', twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', apiUrl }, maxSegments: 3, perSecond: 1, publicUrl: PUBLIC_URL, ...extra };
}
