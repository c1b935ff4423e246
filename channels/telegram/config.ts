// Telegram channel settings: the settings schema, and the env-var schema src/config.ts feeds it from.
import { z } from 'zod';

const BOT_TOKEN = /^\d+:[A-Za-z0-9_-]+$/;
// Telegram's own rule for setWebhook's secret_token; anything else makes setWebhook fail at runtime.
const WEBHOOK_SECRET = /^[A-Za-z0-9_-]{1,256}$/;
const TOKEN_MESSAGE = 'must look like 123456789:AAH… (the token @BotFather gave)';
const SECRET_MESSAGE = "must be 1–256 characters of A-Z a-z 0-9 _ - (Telegram's rule for secret_token)";

export const telegramConfigSchema = z.object({
  botToken: z.string().regex(BOT_TOKEN, TOKEN_MESSAGE),
  webhookSecret: z.string().regex(WEBHOOK_SECRET, SECRET_MESSAGE).optional(),
  mode: z.enum(['webhook', 'polling']),
  apiRoot: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  /** The gateway's public base URL; setWebhook is called only when it is https. */
  publicUrl: z.string().optional(),
});
export type TelegramConfig = z.infer<typeof telegramConfigSchema>;

// Issue paths are the env var names, so an operator sees exactly which variable to fix.
export const telegramEnvSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z.string().regex(BOT_TOKEN, TOKEN_MESSAGE),
    TELEGRAM_WEBHOOK_SECRET: z.string().regex(WEBHOOK_SECRET, SECRET_MESSAGE).optional(),
    TELEGRAM_MODE: z.enum(['webhook', 'polling']).default('webhook'),
    TELEGRAM_API_ROOT: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .default('https://api.telegram.org'),
    // Validated by src/config.ts; here it only decides whether setWebhook can be called.
    PUBLIC_URL: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_MODE === 'webhook' && env.TELEGRAM_WEBHOOK_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'is required when TELEGRAM_MODE=webhook (without it nobody can prove an update came from Telegram)',
      });
    }
  })
  .transform(
    (env): TelegramConfig => ({
      botToken: env.TELEGRAM_BOT_TOKEN,
      webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
      mode: env.TELEGRAM_MODE,
      apiRoot: env.TELEGRAM_API_ROOT,
      publicUrl: env.PUBLIC_URL?.replace(/(?<!\/)\/+$/, ''),
    }),
  );

export type TelegramConfigResult =
  | { success: true; config: TelegramConfig }
  | { success: false; problems: string[]; error: z.ZodError };

/** null when TELEGRAM_BOT_TOKEN is unset (channel disabled); otherwise every problem at once. Empty strings count as unset. */
export function telegramConfigFromEnv(env: Record<string, string | undefined>): TelegramConfigResult | null {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  if (set.TELEGRAM_BOT_TOKEN === undefined) return null;
  const parsed = telegramEnvSchema.safeParse(set);
  if (parsed.success) return { success: true, config: parsed.data };
  // Issue messages never echo the input, so the token cannot leak into start-up errors.
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
  return { success: false, problems, error: parsed.error };
}
