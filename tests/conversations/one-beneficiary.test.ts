// One beneficiary across channels: identities join on a number a channel proved, never on a typed claim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import { phoneHashFor, userHashFor } from '../../src/webchat/identity.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
let n = 0;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(async () => {
  await gw.close();
});

function event(channel: NormalizedInbound['channel'], address: string, text: string, phone?: string): NormalizedInbound {
  return { channel, externalId: `e-${++n}`, address, sender: { displayName: 'أم خالد', ...(phone ? { phone } : {}) }, content: { type: 'text', text }, receivedAt: new Date(), raw: null };
}

const contactOf = (channel: string, address: string) =>
  gw.db.$client.prepare('select contact_id from contact_identities where channel = ? and address = ?').pluck().get(channel, address) as string | undefined;

describe('one beneficiary across channels', () => {
  it('joins a WhatsApp/SMS identity to the Telegram user who shared that same number', async () => {
    await gw.conversations.receive(event('telegram', '5001', 'السلام عليكم'));
    await gw.conversations.receive(event('telegram', '5001', '+966551230001', '+966551230001')); // shared own contact
    await gw.conversations.receive(event('whatsapp', '966551230001', 'مرحبا', '+966551230001'));
    await gw.conversations.receive(event('sms', '+966551230001', 'hello', '+966551230001'));
    const telegram = contactOf('telegram', '5001');
    expect(telegram).toBeDefined();
    expect(contactOf('whatsapp', '966551230001')).toBe(telegram);
    expect(contactOf('sms', '+966551230001')).toBe(telegram);
    // The officer sees one beneficiary with three channels.
    const identities = gw.db.$client.prepare('select count(*) from contact_identities where contact_id = ?').pluck().get(telegram);
    expect(identities).toBe(3);
  });

  it('never joins on a number someone only typed', async () => {
    // A web chat visitor types a mobile in the intake: unverified.
    const s = (await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: {} })).json() as { token: string };
    const send = (body: object) => gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${s.token}` }, payload: body });
    // A new visitor is shown the privacy notice (flows/privacy.yaml) before the first question, and accepts it.
    for (const body of [{ choice: 'apply' }, { choice: 'privacy_accept' }, { text: 'سارة علي' }, { text: '2033333333' }, { text: '0551230002' }, { text: 'جدة' }, { text: '3' }, { text: '0' }, { choice: 'owned' }, { choice: 'food' }, { choice: 'later' }, { choice: 'later' }, { choice: 'confirm' }, { choice: 'accept' }]) {
      expect((await send(body)).statusCode).toBe(202);
    }
    const typed = gw.db.$client.prepare(`select id, phone, phone_verified from contacts where national_id = '2033333333'`).get() as { id: string; phone: string; phone_verified: number };
    expect(typed.phone).toBe('+966551230002');
    expect(typed.phone_verified).toBe(0);
    // Someone writes by SMS from that number: a separate beneficiary until an officer links them.
    await gw.conversations.receive(event('sms', '+966551230002', 'مرحبا', '+966551230002'));
    expect(contactOf('sms', '+966551230002')).not.toBe(typed.id);
  });
});

describe('a web chat user whose site vouches for their mobile', () => {
  const SECRET = 'site-secret-0123456789abcdef';
  let site: TestGateway;
  beforeAll(async () => {
    site = await startGateway({ WEBCHAT_IDENTITY_SECRET: SECRET });
  });
  afterAll(async () => {
    await site.close();
  });
  const session = (payload: object) => site.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload });
  const contact = (channel: string, address: string) =>
    site.db.$client.prepare('select contact_id from contact_identities where channel = ? and address = ?').pluck().get(channel, address) as string | undefined;

  it('joins the WhatsApp beneficiary with the same number when the phone is signed', async () => {
    await site.conversations.receive(event('whatsapp', '966551239001', 'السلام عليكم', '+966551239001'));
    const userId = 'account-77';
    const res = await session({ userId, userHash: userHashFor(SECRET, userId), phone: '+966551239001', phoneHash: phoneHashFor(SECRET, userId, '+966551239001') });
    expect(res.statusCode).toBe(201);
    expect(contact('webchat', `user:${userId}`)).toBe(contact('whatsapp', '966551239001'));
  });

  it('refuses a phone whose signature does not match, or a phone without a verified user', async () => {
    const userId = 'account-78';
    const wrong = await session({ userId, userHash: userHashFor(SECRET, userId), phone: '+966551239001', phoneHash: phoneHashFor(SECRET, 'someone-else', '+966551239001') });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBeTypeOf('string');
    expect(contact('webchat', `user:${userId}`)).toBeUndefined();
    const anonymous = await session({ phone: '+966551239001', phoneHash: phoneHashFor(SECRET, '', '+966551239001') });
    expect(anonymous.statusCode).toBe(400);
    const local = await session({ userId, userHash: userHashFor(SECRET, userId), phone: '0551239001', phoneHash: phoneHashFor(SECRET, userId, '0551239001') });
    expect(local.statusCode).toBe(400);
  });

  it('a verified web chat user who comes first is joined by their WhatsApp later', async () => {
    const userId = 'account-79';
    expect((await session({ userId, userHash: userHashFor(SECRET, userId), phone: '+966551239002', phoneHash: phoneHashFor(SECRET, userId, '+966551239002') })).statusCode).toBe(201);
    await site.conversations.receive(event('whatsapp', '966551239002', 'مرحبا', '+966551239002'));
    expect(contact('whatsapp', '966551239002')).toBe(contact('webchat', `user:${userId}`));
  });
});
