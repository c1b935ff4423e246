// whatsappConfigFromEnv: disabled without a token, every problem named by its variable, secrets never echoed.
import { describe, expect, it } from 'vitest';
import { whatsappConfigFromEnv } from '../../channels/whatsapp/config.ts';
import { whatsappCapabilities } from '../../channels/whatsapp/index.ts';
import { createAdapters } from '../../src/channels.ts';
import { ConfigError, parseConfig } from '../../src/config.ts';
import { memoryLogger } from './support.ts';

const full = {
  WHATSAPP_ACCESS_TOKEN: 'EAAG-secret-token',
  WHATSAPP_PHONE_NUMBER_ID: '1234567890',
  WHATSAPP_APP_SECRET: 'super-secret-app',
  WHATSAPP_VERIFY_TOKEN: 'verify-me',
};

describe('whatsappConfigFromEnv', () => {
  it('is null (channel disabled) when WHATSAPP_ACCESS_TOKEN is unset or empty', () => {
    expect(whatsappConfigFromEnv({})).toBeNull();
    expect(whatsappConfigFromEnv({ WHATSAPP_ACCESS_TOKEN: '', WHATSAPP_APP_SECRET: 'x' })).toBeNull();
  });

  it('reads a full configuration with the Graph default and no template', () => {
    const result = whatsappConfigFromEnv(full);
    expect(result).toEqual({
      success: true,
      config: {
        accessToken: 'EAAG-secret-token',
        phoneNumberId: '1234567890',
        appSecret: 'super-secret-app',
        verifyToken: 'verify-me',
        graphUrl: 'https://graph.facebook.com/v21.0',
        template: undefined,
        ratePerSecond: 80,
      },
    });
  });

  it('takes a custom Graph URL (trailing slash dropped) and a template', () => {
    const result = whatsappConfigFromEnv({ ...full, WHATSAPP_GRAPH_URL: 'http://127.0.0.1:4000/v21.0/', WHATSAPP_TEMPLATE_NAME: 'tawasul_followup', WHATSAPP_TEMPLATE_LANGUAGE: 'ar' });
    expect(result?.success && result.config.graphUrl).toBe('http://127.0.0.1:4000/v21.0');
    expect(result?.success && result.config.template).toEqual({ name: 'tawasul_followup', language: 'ar' });
  });

  it('lists every missing variable at once, by name', () => {
    const result = whatsappConfigFromEnv({ WHATSAPP_ACCESS_TOKEN: 'EAAG-secret-token' });
    expect(result?.success).toBe(false);
    const problems = result && !result.success ? result.problems : [];
    for (const name of ['WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN']) {
      expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
    }
  });

  it('refuses bad values without echoing them, and a half-configured template', () => {
    const result = whatsappConfigFromEnv({ ...full, WHATSAPP_PHONE_NUMBER_ID: '+966 55 123', WHATSAPP_GRAPH_URL: 'ftp://x', WHATSAPP_TEMPLATE_NAME: 'tawasul_followup' });
    const problems = result && !result.success ? result.problems : [];
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['WHATSAPP_GRAPH_URL', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_TEMPLATE_LANGUAGE']);
    const text = problems.join('\n');
    expect(text).not.toContain('+966 55 123');
    expect(text).not.toContain('EAAG-secret-token');
    expect(text).not.toContain('super-secret-app');
  });

  it('WHATSAPP_RATE_PER_SECOND sets the pace the outbound worker keeps for this number (default 80)', () => {
    const adapterFor = (env: Record<string, string>) => createAdapters(parseConfig({ ...full, ...env }), memoryLogger()).get('whatsapp');
    expect(adapterFor({ WHATSAPP_RATE_PER_SECOND: '250' })?.capabilities.rate).toEqual({ ...whatsappCapabilities.rate, perSecond: 250 });
    expect(adapterFor({})?.capabilities.rate.perSecond).toBe(80);
    // The exported defaults are not changed by one adapter's setting.
    expect(whatsappCapabilities.rate.perSecond).toBe(80);
  });

  it('refuses a rate that is not a number from 1 to 1000, naming WHATSAPP_RATE_PER_SECOND', () => {
    for (const bad of ['0', '1001', 'fast', '-5']) {
      const result = whatsappConfigFromEnv({ ...full, WHATSAPP_RATE_PER_SECOND: bad });
      const problems = result && !result.success ? result.problems : [];
      expect(problems).toEqual(['WHATSAPP_RATE_PER_SECOND: must be a number from 1 to 1000 (messages per second for this number)']);
    }
    expect(() => parseConfig({ ...full, WHATSAPP_RATE_PER_SECOND: 'fast' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...full, WHATSAPP_RATE_PER_SECOND: 'fast' })).toThrow(/WHATSAPP_RATE_PER_SECOND: must be a number from 1 to 1000/);
  });
});
