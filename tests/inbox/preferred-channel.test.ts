// A beneficiary's preferred channel for notifications, set from the inbox: PUT /api/inbox/contacts/:id/preferred-channel
// through the real app (sessions, CSRF, roles, audit), what the conversation view shows, and where a notification goes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficerRole } from '../../src/db/schema.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { recordingAdapter, type RecordingAdapter } from '../support/recording-adapter.ts';
import { signInInject } from '../support/officers.ts';

let gw: TestGateway;
let telegram: RecordingAdapter;
let sms: RecordingAdapter;
const sessions = new Map<OfficerRole, { cookie: string; csrf: string }>();

beforeAll(async () => {
  gw = await startGateway();
  telegram = recordingAdapter('telegram');
  sms = recordingAdapter('sms');
  gw.adapters.set('telegram', telegram);
  gw.adapters.set('sms', sms);
  await gw.listen();
  for (const role of ['officer', 'researcher', 'committee', 'admin'] as const) {
    const email = `${role}@example.org`;
    const password = `quiet lantern orbit 2026`;
    await gw.auth.createOfficer({ email, displayName: role, role, password });
    const res = await signInInject(gw, email, password);
    sessions.set(role, { cookie: String(res.headers['set-cookie']).split(';')[0] ?? '', csrf: (res.json() as { csrfToken: string }).csrfToken });
  }
}, 30_000);
afterAll(async () => {
  await gw.close();
});

const as = (role: OfficerRole, csrf = true) => {
  const s = sessions.get(role);
  if (!s) throw new Error(`no ${role} session`);
  return { cookie: s.cookie, ...(csrf ? { 'x-csrf-token': s.csrf } : {}) };
};
const put = (contactId: string, payload: unknown, headers: Record<string, string> = as('officer')) =>
  gw.app.inject({ method: 'PUT', url: `/api/inbox/contacts/${contactId}/preferred-channel`, headers, payload: payload as object });
const stored = (contactId: string) => gw.db.$client.prepare('select preferred_channel from contacts where id = ?').pluck().get(contactId) as string | null;

let n = 0;
/** A Telegram beneficiary; `phone` as a channel that proved the number would give it. */
async function beneficiary(phone?: string): Promise<{ contactId: string; conversationId: string; address: string }> {
  const address = `77700${++n}`;
  const { conversationId } = await gw.conversations.receive({
    channel: 'telegram',
    externalId: `pref-${randomUUID()}`,
    address,
    sender: { displayName: 'سلمى', ...(phone ? { phone } : {}) },
    content: { type: 'text', text: 'السلام عليكم' },
    receivedAt: new Date(),
    raw: null,
  });
  const contactId = gw.db.$client.prepare('select contact_id from conversations where id = ?').pluck().get(conversationId) as string;
  return { contactId, conversationId, address };
}

interface Detail {
  contact: { id: string; preferredChannel: string | null; reachableChannels: string[] };
}
const detail = async (conversationId: string) => (await gw.app.inject({ method: 'GET', url: `/api/inbox/conversations/${conversationId}`, headers: as('officer', false) })).json() as Detail;

describe('PUT /api/inbox/contacts/:id/preferred-channel', () => {
  it('sets and clears the preferred channel, shown in the conversation view with the channels to choose from, and audited', async () => {
    const { contactId, conversationId } = await beneficiary('+966551230001');
    expect((await detail(conversationId)).contact).toMatchObject({ id: contactId, preferredChannel: null, reachableChannels: ['telegram', 'sms'] });

    const set = await put(contactId, { channel: 'sms' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ contact: { id: contactId, preferredChannel: 'sms', reachableChannels: ['telegram', 'sms'] } });
    expect(stored(contactId)).toBe('sms');
    expect((await detail(conversationId)).contact.preferredChannel).toBe('sms');

    // Researchers and admins work conversations too.
    expect((await put(contactId, { channel: 'telegram' }, as('researcher'))).json().contact.preferredChannel).toBe('telegram');
    const cleared = await put(contactId, { channel: null }, as('admin'));
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().contact.preferredChannel).toBeNull();
    expect(stored(contactId)).toBeNull();

    const audit = gw.db.$client.prepare(`select action, target_type as targetType, details from audit_log where target_id = ? order by id`).all(contactId) as { action: string; targetType: string; details: string }[];
    expect(audit.map((a) => [a.action, a.targetType, JSON.parse(a.details).channel])).toEqual([
      ['contact.preferred_channel', 'contact', 'sms'],
      ['contact.preferred_channel', 'contact', 'telegram'],
      ['contact.preferred_channel', 'contact', null],
    ]);
  });

  it('refuses a channel the beneficiary cannot be reached on, and bad bodies, with 400; an unknown contact with 404', async () => {
    const withPhone = await beneficiary('+966551230002');
    const noPhone = await beneficiary();
    expect((await detail(noPhone.conversationId)).contact.reachableChannels).toEqual(['telegram']);

    for (const [contactId, channel] of [
      [noPhone.contactId, 'sms'], // no mobile known
      [withPhone.contactId, 'email'], // never wrote by email
      [withPhone.contactId, 'whatsapp'], // not enabled here
    ] as const) {
      const res = await put(contactId, { channel });
      expect(res.statusCode, channel).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'ERR_VALIDATION' } });
      expect(res.json().error.message).toContain(channel);
      expect(stored(contactId)).toBeNull();
    }
    for (const body of [{}, { channel: 5 }, { channel: '' }, { channel: 'x'.repeat(41) }]) {
      const res = await put(withPhone.contactId, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'ERR_VALIDATION' } });
    }
    const unknown = await put(randomUUID(), { channel: null });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: { code: 'ERR_NOT_FOUND', message: 'Contact not found.' } });
  });

  it('answers 401 without a session, 403 for the committee and 403 ERR_CSRF without the token', async () => {
    const { contactId } = await beneficiary('+966551230003');
    const anonymous = await put(contactId, { channel: 'sms' }, {});
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'ERR_UNAUTHORIZED' } });
    const committee = await put(contactId, { channel: 'sms' }, as('committee'));
    expect(committee.statusCode).toBe(403);
    expect(committee.json()).toMatchObject({ error: { code: 'ERR_FORBIDDEN' } });
    const noToken = await put(contactId, { channel: 'sms' }, as('officer', false));
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({ error: { code: 'ERR_CSRF' } });
    expect(stored(contactId)).toBeNull();
  });

  it('sends the next notification on the chosen channel, and after clearing it where the beneficiary wrote last', async () => {
    const { contactId, address } = await beneficiary('+966551230004');
    await eventually(() => telegram.sent.some((s) => s.address === address) || undefined, 5000);
    expect((await put(contactId, { channel: 'sms' })).statusCode).toBe(200);
    const tgBefore = telegram.sent.filter((s) => s.address === address).length;
    await gw.conversations.notify(contactId, 'notify.application_status', { reference: 'TW-1448-00901', status: { t: 'status.under_study' } });
    const text = await eventually(() => sms.sent.find((s) => s.address === '+966551230004')?.message.text, 5000);
    expect(text).toContain('TW-1448-00901');
    expect(telegram.sent.filter((s) => s.address === address)).toHaveLength(tgBefore);

    expect((await put(contactId, { channel: null })).statusCode).toBe(200);
    await gw.conversations.notify(contactId, 'notify.application_status', { reference: 'TW-1448-00902', status: { t: 'status.under_study' } });
    await eventually(() => telegram.sent.some((s) => s.address === address && s.message.text.includes('TW-1448-00902')) || undefined, 5000);
    expect(sms.sent.filter((s) => s.message.text.includes('TW-1448-00902'))).toHaveLength(0);
  });
});
