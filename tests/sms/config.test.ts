// SMS env parsing: disabled when unset, Twilio or Unifonic, every problem named by variable, secrets never echoed.
import { describe, expect, it } from 'vitest';
import { smsConfigFromEnv } from '../../channels/sms/config.ts';
import { ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID, UNIFONIC_APP_SID } from './support.ts';

const twilioEnv = { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: '+15005550006' };
const unifonicEnv = { UNIFONIC_APP_SID, UNIFONIC_SENDER_ID: 'Tawasul' };

function problems(env: Record<string, string>): string[] {
  const r = smsConfigFromEnv(env);
  if (!r || r.success) throw new Error('expected problems');
  return r.problems;
}

describe('smsConfigFromEnv', () => {
  it('is null when no provider variable is set (empty strings count as unset)', () => {
    expect(smsConfigFromEnv({})).toBeNull();
    expect(smsConfigFromEnv({ TWILIO_ACCOUNT_SID: '', SMS_MAX_SEGMENTS: '2', PUBLIC_URL: 'https://x.org' })).toBeNull();
  });

  it('reads Twilio with defaults', () => {
    const r = smsConfigFromEnv({ ...twilioEnv, PUBLIC_URL: 'https://chat.example.org/' });
    expect(r).toEqual({
      success: true,
      config: { provider: 'twilio', twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006' }, maxSegments: 3, perSecond: 1, publicUrl: 'https://chat.example.org' },
    });
  });

  it('reads a messaging service, an API URL, segment budget and rate', () => {
    const r = smsConfigFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_MESSAGING_SERVICE_SID: SERVICE_SID, TWILIO_API_URL: 'http://127.0.0.1:9999/', SMS_MAX_SEGMENTS: '2', SMS_RATE_PER_SECOND: '10' });
    expect(r).toEqual({
      success: true,
      config: { provider: 'twilio', twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: SERVICE_SID, apiUrl: 'http://127.0.0.1:9999' }, maxSegments: 2, perSecond: 10 },
    });
  });

  it('reads Unifonic with its default URL', () => {
    const r = smsConfigFromEnv(unifonicEnv);
    expect(r).toEqual({
      success: true,
      config: { provider: 'unifonic', unifonic: { appSid: UNIFONIC_APP_SID, senderId: 'Tawasul', apiUrl: 'https://el.cloud.unifonic.com' }, maxSegments: 3, perSecond: 1 },
    });
  });

  it('requires SMS_PROVIDER when both are configured, and honours it', () => {
    expect(problems({ ...twilioEnv, ...unifonicEnv })).toEqual([expect.stringMatching(/^SMS_PROVIDER: is required/)]);
    // Unifonic sends; Twilio stays configured for its webhooks (inbound and status callbacks).
    expect(smsConfigFromEnv({ ...twilioEnv, ...unifonicEnv, SMS_PROVIDER: 'unifonic' })).toEqual({
      success: true,
      config: {
        provider: 'unifonic',
        twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006' },
        unifonic: { appSid: UNIFONIC_APP_SID, senderId: 'Tawasul', apiUrl: 'https://el.cloud.unifonic.com' },
        maxSegments: 3,
        perSecond: 1,
      },
    });
  });

  it('lists every problem, naming the variable, without echoing values', () => {
    const env = { TWILIO_ACCOUNT_SID: 'ACnot-a-sid-secretish', TWILIO_AUTH_TOKEN: 'short-secret', TWILIO_API_URL: 'ftp://x', SMS_MAX_SEGMENTS: 'lots', UNIFONIC_SENDER_ID: 'TawasulCharity', SMS_PROVIDER: 'sms' };
    const list = problems(env);
    const vars = list.map((p) => p.split(':')[0]);
    expect(vars).toEqual(expect.arrayContaining(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'TWILIO_API_URL', 'SMS_MAX_SEGMENTS', 'UNIFONIC_SENDER_ID', 'UNIFONIC_APP_SID', 'SMS_PROVIDER']));
    const text = list.join('\n');
    for (const secret of ['ACnot-a-sid-secretish', 'short-secret', 'TawasulCharity']) expect(text).not.toContain(secret);
  });

  it('wants exactly one of TWILIO_FROM and TWILIO_MESSAGING_SERVICE_SID', () => {
    expect(problems({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN })).toEqual([expect.stringMatching(/^TWILIO_FROM: or TWILIO_MESSAGING_SERVICE_SID is required/)]);
    expect(problems({ ...twilioEnv, TWILIO_MESSAGING_SERVICE_SID: SERVICE_SID })).toEqual([expect.stringMatching(/^TWILIO_FROM: set TWILIO_FROM or/)]);
  });

  it('accepts an alphanumeric TWILIO_FROM and checks sender IDs are ≤ 11 characters', () => {
    expect(smsConfigFromEnv({ ...twilioEnv, TWILIO_FROM: 'Tawasul' })?.success).toBe(true);
    expect(problems({ ...twilioEnv, TWILIO_FROM: 'TawasulCharity' })[0]).toMatch(/^TWILIO_FROM:/);
    expect(smsConfigFromEnv({ ...unifonicEnv, UNIFONIC_SENDER_ID: 'ABCDEFGHIJK' })?.success).toBe(true);
    expect(problems({ ...unifonicEnv, UNIFONIC_SENDER_ID: 'ABCDEFGHIJKL' })[0]).toMatch(/^UNIFONIC_SENDER_ID: .*1–11/);
    expect(problems({ ...unifonicEnv, UNIFONIC_SENDER_ID: 'تواصل' })[0]).toMatch(/^UNIFONIC_SENDER_ID:/);
  });

  it('SMS_PROVIDER alone asks for that provider’s variables', () => {
    expect(problems({ SMS_PROVIDER: 'unifonic' }).map((p) => p.split(':')[0])).toEqual(['UNIFONIC_APP_SID', 'UNIFONIC_SENDER_ID']);
  });
});
