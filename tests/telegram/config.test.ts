// Telegram env settings: disabled when no token, every problem listed at once, the token never echoed.
import { describe, expect, it } from 'vitest';
import { telegramConfigFromEnv } from '../../channels/telegram/config.ts';
import { SECRET, TOKEN } from './support.ts';

describe('telegramConfigFromEnv', () => {
  it('disables the channel when TELEGRAM_BOT_TOKEN is unset or empty', () => {
    expect(telegramConfigFromEnv({ TELEGRAM_MODE: 'polling' })).toBeNull();
    expect(telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: '', TELEGRAM_WEBHOOK_SECRET: SECRET })).toBeNull();
  });

  it('builds a webhook config with the default api root and a trimmed public URL', () => {
    const result = telegramConfigFromEnv({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      PUBLIC_URL: 'https://chat.albir.org.sa/',
    });
    expect(result).toEqual({
      success: true,
      config: {
        botToken: TOKEN,
        webhookSecret: SECRET,
        mode: 'webhook',
        apiRoot: 'https://api.telegram.org',
        publicUrl: 'https://chat.albir.org.sa',
      },
    });
  });

  it('accepts polling without a secret, against a custom api root', () => {
    const result = telegramConfigFromEnv({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: 'polling',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081',
      TELEGRAM_WEBHOOK_SECRET: '',
    });
    expect(result?.success && result.config).toMatchObject({ mode: 'polling', apiRoot: 'http://127.0.0.1:8081', webhookSecret: undefined });
  });

  it('lists every problem at once, naming the variables, and never echoes the token', () => {
    const badToken = 'AAH-secret-looking-value-without-bot-id';
    const result = telegramConfigFromEnv({
      TELEGRAM_BOT_TOKEN: badToken,
      TELEGRAM_MODE: 'webhooks',
      TELEGRAM_API_ROOT: 'ftp://example.org',
    });
    expect(result?.success).toBe(false);
    if (!result || result.success) return;
    const vars = result.problems.map((p) => p.split(':')[0]);
    expect(vars).toEqual(expect.arrayContaining(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_MODE', 'TELEGRAM_API_ROOT']));
    expect(result.problems.join('\n')).not.toContain(badToken);
  });

  it('requires a secret in webhook mode, reported together with other problems', () => {
    const result = telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'not a url' });
    expect(result?.success).toBe(false);
    if (!result || result.success) return;
    expect(result.problems).toHaveLength(2);
    expect(result.problems.some((p) => p.startsWith('TELEGRAM_WEBHOOK_SECRET: is required when TELEGRAM_MODE=webhook'))).toBe(true);
    expect(result.problems.some((p) => p.startsWith('TELEGRAM_API_ROOT:'))).toBe(true);
  });

  it.each([
    ['characters Telegram rejects', 'has spaces and $ign'],
    ['more than 256 characters', 'a'.repeat(257)],
  ])('rejects a webhook secret with %s', (_why, secret) => {
    const result = telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: secret });
    expect(result?.success).toBe(false);
    if (!result || result.success) return;
    expect(result.problems).toEqual([expect.stringMatching(/^TELEGRAM_WEBHOOK_SECRET: must be 1–256 characters/)]);
  });

  it('accepts a 256-character secret made of the whole allowed alphabet', () => {
    const secret = 'ABCxyz019_-'.repeat(24).slice(0, 256);
    expect(telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: secret })?.success).toBe(true);
  });
});
