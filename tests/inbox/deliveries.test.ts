// Dead letters: a message the channel refused shows up for officers, and their retry sends it once it can go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramBotApi, textUpdate } from '../fakes/telegram-bot-api.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { SECRET, TOKEN } from '../telegram/support.ts';

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
  const res = await gw.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'o@example.org', password: 'officer password 2026' } });
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
      body: JSON.stringify(textUpdate({ updateId: 77, chatId: 8080, text: 'القائمة', firstName: 'هند' })),
    });
    expect(res.status).toBe(200);
    type Failed = { failed: { messageId: number; channel: string; error: string | null }[] };
    const list = await eventually(async () => {
      const r = await gw.app.inject({ method: 'GET', url: '/api/inbox/failed', headers: { cookie } });
      const body = r.json() as Failed;
      return body.failed.length === 2 ? body : undefined;
    }, 5000);
    expect(list.failed[0]?.channel).toBe('telegram');
    expect(list.failed[0]?.error).toMatch(/blocked/);

    const before = fake.calls('sendMessage').length;
    for (const f of list.failed) {
      const retry = await gw.app.inject({ method: 'POST', url: `/api/inbox/messages/${f.messageId}/retry`, headers: { cookie, 'x-csrf-token': csrf } });
      expect(retry.statusCode).toBe(200);
    }
    await eventually(() => fake.calls('sendMessage').length >= before + 2 || undefined, 8000);
    const after = (await gw.app.inject({ method: 'GET', url: '/api/inbox/failed', headers: { cookie } })).json() as Failed;
    expect(after.failed).toHaveLength(0);
    const statuses = gw.db.$client.prepare('select delivery_status from messages where id in (' + list.failed.map((f) => f.messageId).join(',') + ')').pluck().all();
    expect(statuses.every((s) => s === 'sent')).toBe(true);
    // Retrying something that did not fail is a clear 404.
    const again = await gw.app.inject({ method: 'POST', url: `/api/inbox/messages/${list.failed[0]?.messageId}/retry`, headers: { cookie, 'x-csrf-token': csrf } });
    expect(again.statusCode).toBe(404);
  });
});
