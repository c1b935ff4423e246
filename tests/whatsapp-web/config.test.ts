// WHATSAPP_WEB_* env → config: off by default, defaults, and problems named by variable.
import { describe, expect, it } from 'vitest';
import { whatsappWebConfigFromEnv } from '../../channels/whatsapp-web/config.ts';

const DATA_DIR = '/srv/tawasul/data';

describe('whatsappWebConfigFromEnv', () => {
  it('is null unless WHATSAPP_WEB_ENABLED is true or 1', () => {
    expect(whatsappWebConfigFromEnv({ DATA_DIR })).toBeNull();
    expect(whatsappWebConfigFromEnv({ DATA_DIR, WHATSAPP_WEB_ENABLED: 'false' })).toBeNull();
    expect(whatsappWebConfigFromEnv({ DATA_DIR, WHATSAPP_WEB_ENABLED: '' })).toBeNull();
    expect(whatsappWebConfigFromEnv({ DATA_DIR, WHATSAPP_WEB_ENABLED: 'yes' })).toBeNull();
    expect(whatsappWebConfigFromEnv({ DATA_DIR, WHATSAPP_WEB_ENABLED: '1' })?.success).toBe(true);
  });

  it('defaults Chromium to /usr/bin/chromium and keeps the session under DATA_DIR', () => {
    expect(whatsappWebConfigFromEnv({ DATA_DIR, WHATSAPP_WEB_ENABLED: 'true' })).toEqual({
      success: true,
      config: { chromiumPath: '/usr/bin/chromium', sessionDir: '/srv/tawasul/data/whatsapp-web' },
    });
    const custom = whatsappWebConfigFromEnv({ DATA_DIR, WHATSAPP_WEB_ENABLED: 'TRUE', CHROMIUM_PATH: '/opt/chrome/chrome' });
    expect(custom).toMatchObject({ success: true, config: { chromiumPath: '/opt/chrome/chrome' } });
  });

  it('lists problems by variable name', () => {
    const result = whatsappWebConfigFromEnv({ WHATSAPP_WEB_ENABLED: '1', CHROMIUM_PATH: 'chromium' });
    expect(result?.success).toBe(false);
    const problems = result && !result.success ? result.problems : [];
    expect(problems.some((p) => p.startsWith('CHROMIUM_PATH:') && p.includes('absolute'))).toBe(true);
    expect(problems.some((p) => p.startsWith('DATA_DIR:'))).toBe(true);
  });
});
