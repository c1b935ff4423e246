// SMS channel settings (Twilio or the Saudi provider Unifonic), parsed from the env vars src/config.ts passes in.
import { z } from 'zod';

export const TWILIO_DEFAULT_API_URL = 'https://api.twilio.com';
export const UNIFONIC_DEFAULT_API_URL = 'https://el.cloud.unifonic.com';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** Exactly one of `from` (E.164 number or alphanumeric sender ID) and `messagingServiceSid`. */
  from?: string;
  messagingServiceSid?: string;
  /** Base URL replacing https://api.twilio.com (a local fake in tests); undefined = Twilio itself. */
  apiUrl?: string;
}

export interface UnifonicSettings {
  appSid: string;
  senderId: string;
  apiUrl: string;
}

export interface SmsConfig {
  /** Which provider sends. Twilio webhooks (inbound, status callbacks) exist whenever Twilio is configured. */
  provider: 'twilio' | 'unifonic';
  twilio?: TwilioSettings;
  unifonic?: UnifonicSettings;
  maxSegments: number;
  /** Sender-wide pace: 1 msg/s suits a Twilio long code; alphanumeric senders allow ~10. */
  perSecond: number;
  /** The gateway's public base URL, without trailing slash: signature checks and StatusCallback. */
  publicUrl?: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;
// Alphanumeric sender IDs: ≤ 11 characters, letters, digits and spaces, at least one letter (checked apart).
const SENDER_ID = /^[A-Za-z0-9 .&_-]{1,11}$/;
const isSenderId = (value: string) => SENDER_ID.test(value) && /[A-Za-z]/.test(value);
const SENDER_MESSAGE = 'must be a registered sender ID of 1–11 Latin letters, digits or spaces (at least one letter)';
const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

// Which variables go together; checked on presence alone so these show up beside format problems
// (zod skips refinements once a field is invalid).
function presenceProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const issue = (name: string, message: string) => problems.push(`${name}: ${message}`);
  const has = (name: string) => env[name] !== undefined;
  const twilio = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'TWILIO_MESSAGING_SERVICE_SID'].some(has);
  const unifonic = ['UNIFONIC_APP_SID', 'UNIFONIC_SENDER_ID'].some(has);
  if (twilio || env.SMS_PROVIDER === 'twilio') {
    if (!has('TWILIO_ACCOUNT_SID')) issue('TWILIO_ACCOUNT_SID', 'is required for Twilio SMS');
    if (!has('TWILIO_AUTH_TOKEN')) issue('TWILIO_AUTH_TOKEN', 'is required for Twilio SMS (it also checks webhook signatures)');
    const from = has('TWILIO_FROM');
    if (from === has('TWILIO_MESSAGING_SERVICE_SID')) {
      issue('TWILIO_FROM', from ? 'set TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID, not both' : 'or TWILIO_MESSAGING_SERVICE_SID is required for Twilio SMS');
    }
  }
  if (unifonic || env.SMS_PROVIDER === 'unifonic') {
    if (!has('UNIFONIC_APP_SID')) issue('UNIFONIC_APP_SID', 'is required for Unifonic SMS');
    if (!has('UNIFONIC_SENDER_ID')) issue('UNIFONIC_SENDER_ID', 'is required for Unifonic SMS (the sender ID registered for your charity)');
  }
  if (twilio && unifonic && !has('SMS_PROVIDER')) issue('SMS_PROVIDER', 'is required when both Twilio and Unifonic are configured (twilio or unifonic)');
  return problems;
}

// Issue paths are the env var names; messages never include the value, so secrets cannot leak.
const smsEnvSchema = z
  .object({
    TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits (Twilio console → Account SID)').optional(),
    TWILIO_AUTH_TOKEN: z.string().min(16, 'must be the Auth Token from the Twilio console').optional(),
    TWILIO_FROM: z.string().refine((v) => E164.test(v) || isSenderId(v), `must be an E.164 number such as +15005550006, or an alphanumeric sender ID (${SENDER_MESSAGE})`).optional(),
    TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'must be MG followed by 32 hex digits').optional(),
    TWILIO_API_URL: httpUrl.optional(),
    UNIFONIC_APP_SID: z.string().min(8, 'must be the AppSid from Unifonic Cloud').optional(),
    UNIFONIC_SENDER_ID: z.string().refine(isSenderId, SENDER_MESSAGE).optional(),
    UNIFONIC_API_URL: httpUrl.default(UNIFONIC_DEFAULT_API_URL),
    SMS_PROVIDER: z.enum(['twilio', 'unifonic'], 'must be twilio or unifonic').optional(),
    SMS_MAX_SEGMENTS: z.coerce.number('must be a whole number from 1 to 10').int('must be a whole number from 1 to 10').min(1, 'must be a whole number from 1 to 10').max(10, 'must be a whole number from 1 to 10').default(3),
    SMS_RATE_PER_SECOND: z.coerce.number('must be a number from 0.1 to 100').min(0.1, 'must be a number from 0.1 to 100').max(100, 'must be a number from 0.1 to 100').default(1),
    PUBLIC_URL: z.string().optional(),
  })
  .transform((env): SmsConfig => {
    const twilio: TwilioSettings | undefined =
      env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
        ? {
            accountSid: env.TWILIO_ACCOUNT_SID,
            authToken: env.TWILIO_AUTH_TOKEN,
            ...(env.TWILIO_FROM ? { from: env.TWILIO_FROM } : {}),
            ...(env.TWILIO_MESSAGING_SERVICE_SID ? { messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID } : {}),
            ...(env.TWILIO_API_URL ? { apiUrl: env.TWILIO_API_URL.replace(/(?<!\/)\/+$/, '') } : {}),
          }
        : undefined;
    const unifonic: UnifonicSettings | undefined =
      env.UNIFONIC_APP_SID && env.UNIFONIC_SENDER_ID
        ? { appSid: env.UNIFONIC_APP_SID, senderId: env.UNIFONIC_SENDER_ID, apiUrl: env.UNIFONIC_API_URL.replace(/(?<!\/)\/+$/, '') }
        : undefined;
    return {
      provider: env.SMS_PROVIDER ?? (twilio ? 'twilio' : 'unifonic'),
      ...(twilio ? { twilio } : {}),
      ...(unifonic ? { unifonic } : {}),
      maxSegments: env.SMS_MAX_SEGMENTS,
      perSecond: env.SMS_RATE_PER_SECOND,
      ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL.replace(/(?<!\/)\/+$/, '') } : {}),
    };
  });

export type SmsConfigResult = { success: true; config: SmsConfig } | { success: false; problems: string[] };

const TRIGGERS = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'TWILIO_MESSAGING_SERVICE_SID', 'UNIFONIC_APP_SID', 'UNIFONIC_SENDER_ID', 'SMS_PROVIDER'];

/** null when no SMS provider variable is set (channel disabled); otherwise every problem at once. Empty strings count as unset. */
export function smsConfigFromEnv(env: Record<string, string | undefined>): SmsConfigResult | null {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  if (!TRIGGERS.some((name) => set[name] !== undefined)) return null;
  const parsed = smsEnvSchema.safeParse(set);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`)),
    ...presenceProblems(set),
  ];
  if (parsed.success && problems.length === 0) return { success: true, config: parsed.data };
  return { success: false, problems };
}
