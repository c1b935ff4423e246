// Dead letters: a message the channel refused shows up for officers, and their retry sends it once it can go; and
// what happened to each outbound message (rerouted from WhatsApp to SMS) as the conversation view reports it.
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, outbox } from '../../src/db/schema.ts';
import { FakeTelegramBotApi, textUpdate } from '../fakes/telegram-bot-api.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { SECRET, TOKEN } from '../telegram/support.ts';
import { signInInject } from '../support/officers.ts';

let fake: FakeTelegramBotApi;
let gw: TestGateway;
let cookie = '';
let csrf = '';

beforeAll(async () => {
  fake = new FakeTelegramBotApi({ token: TOKEN });
  const { apiRoot } = await fake.start();
  gw = await startGateway({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: apiRoot });
  await gw.listen();
  await gw.auth.createOfficer({ email: 'o@example.org', displayName: 'O', role: 'officer', password: 'officer password 2026' });
  const res = await signInInject(gw, 'o@example.org', 'officer password 2026');
  cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  csrf = (res.json() as { csrfToken: string }).csrfToken;
}, 30_000);
afterAll(async () => {
  await gw.close();
  await fake.stop();
});

describe('dead letters', () => {
  it('lists a refused message and sends it again after an officer retries', async () => {
    // The beneficiary's chat refuses everything at first (403: the bot was blocked).
    // The bot answers a new chat's «القائمة» with two messages (welcome and menu): both are refused.
    fake.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' }, 2);
    const res = await fetch(`${gw.url()}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(textUpdate({ updateId: 77, chatId: 558080, text: 'القائمة', firstName: 'هند' })),
    });
    expect(res.status).toBe(200);
    type Failed = { failed: { messageId: number; conversationId: string; channel: string; address: string; error: string | null; text: string; contactName: string | null; updatedAt: string }[] };
    const list = await eventually(async () => {
      const r = await gw.app.inject({ method: 'GET', url: '/api/inbox/failed', headers: { cookie } });
      const body = r.json() as Failed;
      return body.failed.length === 2 ? body : undefined;
    }, 5000);
    expect(list.failed[0]?.channel).toBe('telegram');
    expect(list.failed[0]?.error).toMatch(/blocked/);
    // The address is hidden but its last four; the officer sees whose it is and what it said.
    expect(list.failed.map((f) => f.address)).toEqual(['**8080', '**8080']);
    expect(list.failed[0]?.contactName).toBe('هند');
    expect(list.failed.every((f) => f.text.length > 0 && f.conversationId.length > 0)).toBe(true);
    expect(gw.db.$client.prepare(`select count(*) from audit_log where action = 'deliveries.failed_view'`).pluck().get()).toBeGreaterThan(0);

    const before = fake.calls('sendMessage').length;
    for (const f of list.failed) {
      const retry = await gw.app.inject({ method: 'POST', url: `/api/inbox/messages/${f.messageId}/retry`, headers: { cookie, 'x-csrf-token': csrf } });
      expect(retry.statusCode).toBe(200);
    }
    await eventually(() => fake.calls('sendMessage').length >= before + 2 || undefined, 8000);
    const after = (await gw.app.inject({ method: 'GET', url: '/api/inbox/failed', headers: { cookie } })).json() as Failed;
    expect(after.failed).toHaveLength(0);
    // The worker records sends in a batch just after the provider answered: wait for that, bounded.
    const ids = list.failed.map((f) => f.messageId);
    const statuses = await eventually(() => {
      const rows = gw.db.select({ status: messages.deliveryStatus }).from(messages).where(inArray(messages.id, ids)).all();
      return rows.every((r) => r.status === 'sent') ? rows : undefined;
    }, 3000);
    expect(statuses).toHaveLength(2);
    // Retrying something that did not fail is a clear 404.
    const again = await gw.app.inject({ method: 'POST', url: `/api/inbox/messages/${list.failed[0]?.messageId}/retry`, headers: { cookie, 'x-csrf-token': csrf } });
    expect(again.statusCode).toBe(404);
  });
});

describe('deliveries on the conversation view', () => {
  it('lists each channel an outbound message was queued on, in order, with masked addresses and the provider error', async () => {
    const session = (await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: {} })).json() as { conversationId: string };
    const conv = gw.db.$client.prepare('select contact_id as contactId from conversations where id = ?').get(session.conversationId) as { contactId: string };
    // Test setup straight into the database: WhatsApp refused (window closed), the SMS fallback went out in two parts.
    const at = '2026-03-01T08:00:00.000Z';
    const m = gw.db
      .insert(messages)
      .values({ conversationId: session.conversationId, contactId: conv.contactId, channel: 'whatsapp', direction: 'out', senderKind: 'officer', text: 'موعدك غدًا', deliveryStatus: 'sent', createdAt: at })
      .returning()
      .get();
    const row = { messageId: m.id, body: { text: 'موعدك غدًا' }, createdAt: at };
    gw.db.insert(outbox).values({ ...row, part: 0, channel: 'whatsapp', address: '966551234567', status: 'rerouted', attempts: 1, lastError: 'outside the 24-hour window: WhatsApp allows only an approved template', updatedAt: '2026-03-01T08:00:01.000Z' }).run();
    gw.db.insert(outbox).values({ ...row, part: 0, channel: 'sms', address: '+966551234567', status: 'sent', attempts: 1, externalId: 'SM1', updatedAt: '2026-03-01T08:00:03.000Z' }).run();
    gw.db.insert(outbox).values({ ...row, part: 1, channel: 'sms', address: '+966551234567', status: 'sent', attempts: 2, externalId: 'SM2', updatedAt: '2026-03-01T08:00:05.000Z' }).run();

    const res = await gw.app.inject({ method: 'GET', url: `/api/inbox/conversations/${session.conversationId}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const history = (res.json() as { history: { id: number; direction: string; deliveries: unknown[] }[] }).history;
    expect(history.find((x) => x.id === m.id)?.deliveries).toEqual([
      { channel: 'whatsapp', address: '********4567', status: 'rerouted', error: 'outside the 24-hour window: WhatsApp allows only an approved template', attempts: 1, updatedAt: '2026-03-01T08:00:01.000Z' },
      { channel: 'sms', address: '********4567', status: 'sent', error: null, attempts: 2, updatedAt: '2026-03-01T08:00:05.000Z' },
    ]);
    // Inbound messages have none; the bot's greeting went out on the web chat.
    expect(history.filter((x) => x.direction === 'in').every((x) => x.deliveries.length === 0)).toBe(true);
    expect(history.find((x) => x.direction === 'out' && x.id !== m.id)?.deliveries).toEqual([expect.objectContaining({ channel: 'webchat', status: expect.stringMatching(/^(pending|sent)$/) })]);
  });

  it('a message with one part failed is failed on that channel, whatever its other parts did', async () => {
    const session = (await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: {} })).json() as { conversationId: string };
    const contactId = gw.db.$client.prepare('select contact_id from conversations where id = ?').pluck().get(session.conversationId) as string;
    const m = gw.db.insert(messages).values({ conversationId: session.conversationId, contactId, channel: 'telegram', direction: 'out', senderKind: 'bot', text: 'نص طويل', deliveryStatus: 'failed' }).returning().get();
    gw.db.insert(outbox).values({ messageId: m.id, part: 0, channel: 'telegram', address: '8080', body: {}, status: 'sent', attempts: 1 }).run();
    gw.db.insert(outbox).values({ messageId: m.id, part: 1, channel: 'telegram', address: '8080', body: {}, status: 'failed', attempts: 3, lastError: 'Forbidden: bot was blocked by the user' }).run();
    const res = await gw.app.inject({ method: 'GET', url: `/api/inbox/conversations/${session.conversationId}`, headers: { cookie } });
    const d = (res.json() as { history: { id: number; deliveries: { status: string; error: string | null; attempts: number; address: string }[] }[] }).history.find((x) => x.id === m.id)?.deliveries;
    expect(d).toEqual([expect.objectContaining({ status: 'failed', error: 'Forbidden: bot was blocked by the user', attempts: 3, address: '****' })]);
  });
});
