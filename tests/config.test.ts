import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.ts';

describe('configuration', () => {
  it('runs the example charity with no settings at all', () => {
    const c = parseConfig({});
    expect(c.port).toBe(3000);
    expect(c.defaultLocale).toBe('ar');
    expect(c.dataDir.endsWith('data')).toBe(true);
    expect(c.dbFile.endsWith('tawasul.sqlite')).toBe(true);
    expect(c.orgProfile.endsWith('profiles/example.yaml')).toBe(true);
    expect(c.telegram).toBeNull();
  });

  it('reads the notification order and the in-doubt grace, naming the variable when a value is wrong', () => {
    const c = parseConfig({});
    expect(c.notifyOrder).toEqual(['whatsapp', 'whatsapp-web', 'telegram', 'sms', 'email', 'webchat']);
    expect(c.inDoubtGraceMs).toBe(120_000);
    expect(parseConfig({ NOTIFY_CHANNEL_ORDER: ' sms, whatsapp ,sms', OUTBOX_IN_DOUBT_GRACE_MS: '5000' })).toMatchObject({ notifyOrder: ['sms', 'whatsapp'], inDoubtGraceMs: 5000 });
    try {
      parseConfig({ NOTIFY_CHANNEL_ORDER: 'sms,fax', OUTBOX_IN_DOUBT_GRACE_MS: 'soon' });
      expect.unreachable();
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/NOTIFY_CHANNEL_ORDER: .*unknown: fax/);
      expect(problems).toContain('OUTBOX_IN_DOUBT_GRACE_MS');
    }
  });

  it('reads the status lookup limits, and stops on a bad one naming it', () => {
    expect(parseConfig({}).statusLookups).toEqual({ perIdentity: 5, perIp: 30 });
    expect(parseConfig({ STATUS_LOOKUP_LIMIT: '3', STATUS_LOOKUP_IP_LIMIT: '200' }).statusLookups).toEqual({ perIdentity: 3, perIp: 200 });
    try {
      parseConfig({ STATUS_LOOKUP_LIMIT: '0', STATUS_LOOKUP_IP_LIMIT: 'many' });
      expect.unreachable();
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toContain('STATUS_LOOKUP_LIMIT');
      expect(problems).toContain('STATUS_LOOKUP_IP_LIMIT');
    }
  });

  it('treats empty values as unset, as a copied .env.example leaves them', () => {
    expect(parseConfig({ PORT: '', PUBLIC_URL: '', TELEGRAM_BOT_TOKEN: '' }).port).toBe(3000);
  });

  it('lists every problem at once instead of silently using a default', () => {
    try {
      parseConfig({ PORT: '70000', LOG_LEVEL: 'loud', DEFAULT_LOCALE: 'fr', TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_MODE: 'webhook' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'LOG_LEVEL', 'DEFAULT_LOCALE', 'TELEGRAM_WEBHOOK_SECRET']) expect(problems).toContain(name);
    }
  });

  it('enables Telegram only with a token, and strips a trailing slash from PUBLIC_URL', () => {
    const c = parseConfig({ TELEGRAM_BOT_TOKEN: '123456:ABC-def', TELEGRAM_MODE: 'polling', PUBLIC_URL: 'https://chat.example.org/' });
    expect(c.telegram?.mode).toBe('polling');
    expect(c.publicUrl).toBe('https://chat.example.org');
  });
});
