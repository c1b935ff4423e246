// WhatsApp Web (whatsapp-web.js) settings, read from the env object src/config.ts passes in.
import path from 'node:path';
import { z } from 'zod';

export interface WhatsappWebConfig {
  /** The Chromium binary Puppeteer drives (Puppeteer's own download is skipped). */
  chromiumPath: string;
  /** LocalAuth keeps the paired session here, so a restart does not ask for a new QR scan. */
  sessionDir: string;
}

export type WhatsappWebConfigResult = { success: true; config: WhatsappWebConfig } | { success: false; problems: string[] };

// Issue paths are the env var names, so an operator sees exactly which variable to fix.
const envSchema = z.object({
  CHROMIUM_PATH: z
    .string()
    .refine((p) => path.isAbsolute(p), 'must be an absolute path to the Chromium binary (e.g. /usr/bin/chromium)')
    .default('/usr/bin/chromium'),
  DATA_DIR: z.string().min(1, 'is required (the resolved data folder)'),
});

/**
 * null unless WHATSAPP_WEB_ENABLED is `true` or `1`; otherwise the config or every problem at once.
 * `DATA_DIR` is the already resolved data folder, passed in by src/config.ts. Empty strings count as unset.
 */
export function whatsappWebConfigFromEnv(env: Record<string, string | undefined>): WhatsappWebConfigResult | null {
  const enabled = env.WHATSAPP_WEB_ENABLED?.trim().toLowerCase();
  if (enabled !== 'true' && enabled !== '1') return null;
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    return { success: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`) };
  }
  return {
    success: true,
    config: { chromiumPath: parsed.data.CHROMIUM_PATH, sessionDir: path.join(parsed.data.DATA_DIR, 'whatsapp-web') },
  };
}
