// WhatsApp Cloud API channel settings: the settings type and the env-var schema src/config.ts feeds it from.
import { z } from 'zod';

export interface WhatsappConfig {
  accessToken: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  /** Graph API base including the version, no trailing slash. */
  graphUrl: string;
  /** An approved template with one body parameter, used outside the 24-hour window. */
  template: { name: string; language: string } | undefined;
  /** Outbound messages per second for this number (Meta's default throughput is 80/s; higher tiers up to 1000/s). */
  ratePerSecond: number;
}

const RATE_MESSAGE = 'must be a number from 1 to 1000 (messages per second for this number)';

const required = (what: string) => z.string({ message: `is required when WHATSAPP_ACCESS_TOKEN is set (${what})` }).min(1);

// Issue paths are the env var names, so an operator sees exactly which variable to fix.
export const whatsappEnvSchema = z
  .object({
    WHATSAPP_ACCESS_TOKEN: z.string().min(1),
    WHATSAPP_PHONE_NUMBER_ID: z
      .string({ message: 'is required when WHATSAPP_ACCESS_TOKEN is set (the phone number id from the app dashboard)' })
      .regex(/^\d{5,20}$/, 'must be the numeric phone number id from the app dashboard (not the phone number)'),
    WHATSAPP_APP_SECRET: required('the app secret that signs webhooks'),
    WHATSAPP_VERIFY_TOKEN: required('the token you typed when subscribing the webhook'),
    WHATSAPP_GRAPH_URL: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://graph.facebook.com/v21.0' })
      .default('https://graph.facebook.com/v21.0'),
    WHATSAPP_TEMPLATE_NAME: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be a template name: lowercase letters, digits and _').optional(),
    WHATSAPP_TEMPLATE_LANGUAGE: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a template language code such as ar or en_US').optional(),
    WHATSAPP_RATE_PER_SECOND: z.coerce.number(RATE_MESSAGE).min(1, RATE_MESSAGE).max(1000, RATE_MESSAGE).default(80),
  })
  .superRefine((env, ctx) => {
    if ((env.WHATSAPP_TEMPLATE_NAME === undefined) !== (env.WHATSAPP_TEMPLATE_LANGUAGE === undefined)) {
      const missing = env.WHATSAPP_TEMPLATE_NAME === undefined ? 'WHATSAPP_TEMPLATE_NAME' : 'WHATSAPP_TEMPLATE_LANGUAGE';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required when the other WHATSAPP_TEMPLATE_* variable is set' });
    }
  })
  .transform(
    (env): WhatsappConfig => ({
      accessToken: env.WHATSAPP_ACCESS_TOKEN,
      phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID,
      appSecret: env.WHATSAPP_APP_SECRET,
      verifyToken: env.WHATSAPP_VERIFY_TOKEN,
      graphUrl: env.WHATSAPP_GRAPH_URL.replace(/(?<!\/)\/+$/, ''),
      template:
        env.WHATSAPP_TEMPLATE_NAME !== undefined && env.WHATSAPP_TEMPLATE_LANGUAGE !== undefined
          ? { name: env.WHATSAPP_TEMPLATE_NAME, language: env.WHATSAPP_TEMPLATE_LANGUAGE }
          : undefined,
      ratePerSecond: env.WHATSAPP_RATE_PER_SECOND,
    }),
  );

export type WhatsappConfigResult =
  | { success: true; config: WhatsappConfig }
  | { success: false; problems: string[]; error: z.ZodError };

/** null when WHATSAPP_ACCESS_TOKEN is unset (channel disabled); otherwise every problem at once. Empty strings count as unset. */
export function whatsappConfigFromEnv(env: Record<string, string | undefined>): WhatsappConfigResult | null {
  const set = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('WHATSAPP_') && v !== undefined && v !== ''));
  if (set.WHATSAPP_ACCESS_TOKEN === undefined) return null;
  const parsed = whatsappEnvSchema.safeParse(set);
  if (parsed.success) return { success: true, config: parsed.data };
  // Issue messages never echo the input (zod 4 does not put received values in messages), so secrets stay out of start-up errors.
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
  return { success: false, problems, error: parsed.error };
}
