// Where a notification goes first: the pure ordering of a beneficiary's channels.
import { describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFY_ORDER, notificationTargets, type IdentityInfo } from '../../src/conversations/outgoing.ts';

const all = () => true;
const wa: IdentityInfo = { channel: 'whatsapp', address: '966551234567', lastInboundAt: '2026-11-20T08:00:00Z' };
const tg: IdentityInfo = { channel: 'telegram', address: '4242', lastInboundAt: '2026-11-21T08:00:00Z' };
const web: IdentityInfo = { channel: 'webchat', address: 'v-1', lastInboundAt: '2026-11-22T08:00:00Z' };
const order = DEFAULT_NOTIFY_ORDER;
const channels = (t: { channel: string }[]) => t.map((x) => x.channel);

describe('notification targets', () => {
  it('the channel written on last comes first, then the configured order, then SMS to the known mobile', () => {
    expect(channels(notificationTargets({ identities: [wa, tg], phone: '+966551234567', preferred: null, order, enabled: all }))).toEqual(['telegram', 'whatsapp', 'sms']);
  });

  it('the preferred channel beats the last used one', () => {
    expect(channels(notificationTargets({ identities: [wa, tg], phone: '+966551234567', preferred: 'sms', order, enabled: all }))).toEqual(['sms', 'telegram', 'whatsapp']);
  });

  it('a web chat visitor who left the page is reached on their phone first, unless they prefer the web chat', () => {
    const targets = notificationTargets({ identities: [web], phone: '+966551234567', preferred: null, order, enabled: all });
    expect(targets).toEqual([
      { channel: 'sms', address: '+966551234567' },
      { channel: 'webchat', address: 'v-1' },
    ]);
    expect(channels(notificationTargets({ identities: [web, wa], phone: null, preferred: 'webchat', order, enabled: all }))).toEqual(['webchat', 'whatsapp']);
  });

  it('leaves out channels that are switched off, and puts the required first target before everything', () => {
    const targets = notificationTargets({
      identities: [wa, tg],
      phone: '+966551234567',
      preferred: null,
      order,
      enabled: (c) => c !== 'telegram',
      first: [{ channel: 'sms', address: '+966500000001' }],
    });
    expect(targets).toEqual([
      { channel: 'sms', address: '+966500000001' },
      { channel: 'whatsapp', address: '966551234567' },
      { channel: 'sms', address: '+966551234567' },
    ]);
  });
});
