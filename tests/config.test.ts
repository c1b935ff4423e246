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

  it('reads the upload limits, the web chat token lifetime and the stream limits, naming a wrong variable', () => {
    const c = parseConfig({});
    const MiB = 1024 * 1024;
    expect(c.uploads).toEqual({ minFreeBytes: 512 * MiB, perContact: { files: 20, bytes: 50 * MiB }, perNetwork: { files: 200, bytes: 500 * MiB }, unlinkedRetentionDays: 3 });
    expect(c.webchat).toMatchObject({ wsPerToken: 3, wsPerIp: 200, tokenIdleDays: 7, tokenMaxDays: 30 });
    const set = parseConfig({ UPLOAD_MIN_FREE_MB: '0', UPLOAD_QUOTA_FILES_PER_DAY: '5', UPLOAD_IP_QUOTA_MB_PER_DAY: '1000', RETENTION_UNLINKED_FILES_DAYS: '7', WEBCHAT_WS_PER_IP: '1000', WEBCHAT_TOKEN_IDLE_DAYS: '30', WEBCHAT_TOKEN_MAX_DAYS: '90' });
    expect(set.uploads).toMatchObject({ minFreeBytes: 0, perContact: { files: 5 }, perNetwork: { bytes: 1000 * MiB }, unlinkedRetentionDays: 7 });
    expect(set.webchat).toMatchObject({ wsPerIp: 1000, tokenIdleDays: 30, tokenMaxDays: 90 });
    const bad = {
      UPLOAD_MIN_FREE_MB: '-1',
      UPLOAD_QUOTA_FILES_PER_DAY: '0',
      UPLOAD_IP_QUOTA_FILES_PER_DAY: 'lots',
      RETENTION_UNLINKED_FILES_DAYS: '0',
      WEBCHAT_WS_PER_TOKEN: '0',
      WEBCHAT_WS_PER_IP: '1.5',
    };
    try {
      parseConfig(bad);
      expect.unreachable();
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of Object.keys(bad)) expect(problems).toContain(name);
    }
  });

  it('refuses limits that contradict each other: idle longer than the lifetime, a daily allowance below one file', () => {
    try {
      parseConfig({ WEBCHAT_TOKEN_IDLE_DAYS: '40', WEBCHAT_TOKEN_MAX_DAYS: '30', UPLOAD_MAX_BYTES: String(10 * 1024 * 1024), UPLOAD_QUOTA_MB_PER_DAY: '5', UPLOAD_IP_QUOTA_MB_PER_DAY: '8' });
      expect.unreachable();
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/WEBCHAT_TOKEN_IDLE_DAYS: .*WEBCHAT_TOKEN_MAX_DAYS/);
      expect(problems).toMatch(/UPLOAD_QUOTA_MB_PER_DAY: .*UPLOAD_MAX_BYTES/);
      expect(problems).toMatch(/UPLOAD_IP_QUOTA_MB_PER_DAY: .*UPLOAD_MAX_BYTES/);
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
