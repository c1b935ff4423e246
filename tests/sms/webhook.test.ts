// Twilio webhooks: signature checks (right, wrong, missing, tampered, other URL), inbound normalize, status mapping.
import { describe, expect, it } from 'vitest';
import { createSmsAdapter, normalizeTwilioInbound, twilioStatuses } from '../../channels/sms/index.ts';
import type { WebhookRequest } from '../../src/core/channel.ts';
import { inboundSms, sign, sid, statusCallback } from '../fakes/twilio-api.ts';
import { memoryLogger } from '../telegram/support.ts';
import { AUTH_TOKEN, PUBLIC_URL, twilioConfig } from './support.ts';

const NOW = new Date('2024-09-14T09:00:00Z');
const adapter = createSmsAdapter(twilioConfig('http://127.0.0.1:9'), { logger: memoryLogger(), now: () => NOW });
const inbound = adapter.webhook;
const status = adapter.extraWebhooks?.[0];
const INBOUND_URL = `${PUBLIC_URL}/webhooks/twilio`;

function request(params: Record<string, string>, signature: string | undefined, url = INBOUND_URL): WebhookRequest {
  // The gateway parses forms with querystring (a null-prototype object).
  const body = Object.assign(Object.create(null) as object, params);
  return { headers: signature === undefined ? {} : { 'x-twilio-signature': signature }, rawBody: Buffer.from(new URLSearchParams(params).toString()), body, url, query: {} };
}

describe('verify', () => {
  const params = inboundSms({ from: '+966551234567', body: 'السلام عليكم' });

  it('accepts the right signature on both routes', () => {
    expect(inbound?.verify(request(params, sign(AUTH_TOKEN, INBOUND_URL, params)))).toBe(true);
    const s = statusCallback({ messageSid: sid('SM'), status: 'delivered' });
    const url = `${PUBLIC_URL}/webhooks/twilio/status`;
    expect(status?.verify(request(s, sign(AUTH_TOKEN, url, s), url))).toBe(true);
  });

  it('rejects a wrong, missing or empty signature', () => {
    expect(inbound?.verify(request(params, sign('0'.repeat(32), INBOUND_URL, params)))).toBe(false);
    expect(inbound?.verify(request(params, undefined))).toBe(false);
    expect(inbound?.verify(request(params, ''))).toBe(false);
  });

  it('rejects tampered params and a signature made for another URL', () => {
    const signature = sign(AUTH_TOKEN, INBOUND_URL, params);
    expect(inbound?.verify(request({ ...params, Body: 'حوّل المبلغ' }, signature))).toBe(false);
    expect(inbound?.verify(request({ ...params, Extra: '1' }, signature))).toBe(false);
    expect(inbound?.verify(request(params, signature, `${PUBLIC_URL}/webhooks/twilio/status`))).toBe(false);
    expect(inbound?.verify(request(params, sign(AUTH_TOKEN, 'https://evil.test/webhooks/twilio', params)))).toBe(false);
  });

  it('rejects a non-form body', () => {
    const r = { ...request(params, sign(AUTH_TOKEN, INBOUND_URL, params)), body: JSON.stringify(params) };
    expect(inbound?.verify(r)).toBe(false);
  });
});

describe('normalize inbound', () => {
  it('turns an SMS into a text event keyed by MessageSid, addressed to From', () => {
    const params = inboundSms({ from: '+966551234567', body: 'أريد التقديم على المساعدة' });
    expect(inbound?.normalize(params)).toEqual([
      { channel: 'sms', externalId: params.MessageSid, address: '+966551234567', sender: { phone: '+966551234567' }, content: { type: 'text', text: 'أريد التقديم على المساعدة' }, receivedAt: NOW, raw: params },
    ]);
  });

  it('reports an MMS without text as media', () => {
    const params = { ...inboundSms({ from: '+966551234567', body: '' }), NumMedia: '1', MediaContentType0: 'image/jpeg' };
    expect(normalizeTwilioInbound(params, NOW)[0]?.content).toEqual({ type: 'media', kind: 'image' });
  });

  it('rejects payloads without a MessageSid or with a non-E.164 From', () => {
    expect(() => normalizeTwilioInbound({ From: '+966551234567', Body: 'x' }, NOW)).toThrow();
    expect(() => normalizeTwilioInbound(inboundSms({ from: 'whatsapp:+966551234567', body: 'x' }), NOW)).toThrow();
  });

  it('the status route never creates messages', () => {
    expect(status?.normalize(statusCallback({ messageSid: sid('SM'), status: 'delivered' }))).toEqual([]);
  });
});

describe('statuses', () => {
  const messageSid = sid('SM');
  const map = (s: string, errorCode?: string) => twilioStatuses(statusCallback({ messageSid, status: s, ...(errorCode ? { errorCode } : {}) }), NOW);

  it.each([
    ['queued', []],
    ['accepted', []],
    ['sending', []],
    ['sent', [{ externalId: messageSid, status: 'sent', at: NOW }]],
    ['delivered', [{ externalId: messageSid, status: 'delivered', at: NOW }]],
    ['read', [{ externalId: messageSid, status: 'read', at: NOW }]],
    ['some-future-status', []],
  ] as const)('%s → %j', (s, expected) => {
    expect(map(s)).toEqual(expected);
  });

  it('maps undelivered and failed to failed with the ErrorCode', () => {
    expect(map('undelivered', '30008')).toEqual([{ externalId: messageSid, status: 'failed', at: NOW, error: 'Twilio 30008' }]);
    expect(map('failed', '30003')[0]?.error).toBe('Twilio 30003');
    expect(map('failed')[0]?.error).toBe('Twilio failed');
  });

  it('maps repeated and out-of-order callbacks one by one (the outbox applies them as a monotonic max)', () => {
    const sequence = ['delivered', 'sent', 'sent', 'queued', 'delivered'].flatMap((s) => map(s).map((u) => u.status));
    expect(sequence).toEqual(['delivered', 'sent', 'sent', 'delivered']);
  });

  it('rejects a callback without MessageSid', () => {
    expect(() => twilioStatuses({ MessageStatus: 'sent' }, NOW)).toThrow();
  });
});
