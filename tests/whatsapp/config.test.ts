// whatsappConfigFromEnv: disabled without a token, every problem named by its variable, secrets never echoed.
import { describe, expect, it } from 'vitest';
import { whatsappConfigFromEnv } from '../../channels/whatsapp/config.ts';

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
});
