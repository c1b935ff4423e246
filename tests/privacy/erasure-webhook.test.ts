// After an erasure, the same Telegram update replayed to the real webhook (telegraf against the fake Bot API) is a
// duplicate: nothing is stored, nothing is sent, the name does not come back. A new message starts a new beneficiary.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactIdentities, contacts, messages } from '../../src/db/schema.ts';
import { FakeTelegramBotApi, textUpdate } from '../fakes/telegram-bot-api.ts';
import { officerSession } from '../letters/support.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { SECRET, TOKEN } from '../telegram/support.ts';

const CHAT = 771_000_123;
let fake: FakeTelegramBotApi;
let gw: TestGateway;

beforeAll(async () => {
  fake = new FakeTelegramBotApi({ token: TOKEN });
  const { apiRoot } = await fake.start();
  gw = await startGateway({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_MODE: 'webhook', TELEGRAM_API_ROOT: apiRoot, ERASURE_SECOND_APPROVAL: 'false' });
  await gw.listen();
}, 60_000);
afterAll(async () => {
  await gw.close();
  await fake.stop();
});

const webhook = (update: unknown) =>
  fetch(`${gw.url()}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) });
const sent = () => fake.calls('sendMessage').filter((c) => String(c.body.chat_id) === String(CHAT)).length;

describe('a replayed webhook after erasure', () => {
  it('is recognised and restores nothing', async () => {
    const update = textUpdate({ updateId: 90_001, chatId: CHAT, text: 'اسمي سلمان فهد المطيري', firstName: 'سلمان', languageCode: 'ar' });
    expect((await webhook(update)).status).toBe(200);
    await eventually(() => sent() > 0 || undefined, 8000);
    const identity = await eventually(() => gw.db.select().from(contactIdentities).where(eq(contactIdentities.address, String(CHAT))).get());
    const admin = await officerSession(gw, 'admin');
    const erased = await gw.app.inject({ method: 'POST', url: `/api/contacts/${identity.contactId}/erase`, headers: admin, payload: { reason: 'طلب المستفيد' } });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(gw.db.select().from(contactIdentities).where(eq(contactIdentities.address, String(CHAT))).get()).toBeUndefined();

    const before = { contacts: gw.db.select({ n: count() }).from(contacts).get()?.n ?? 0, erased: gw.db.select({ n: count() }).from(messages).where(eq(messages.contactId, identity.contactId)).get()?.n };
    expect((await webhook(update)).status).toBe(200);
    // Events are stored in the order they come: once the next message is in, the replay has been handled.
    expect((await webhook(textUpdate({ updateId: 90_002, chatId: CHAT, text: 'مرحبا', firstName: 'سلمان', languageCode: 'ar' }))).status).toBe(200);
    const fresh = await eventually(() => gw.db.select().from(contactIdentities).where(eq(contactIdentities.address, String(CHAT))).get());
    await eventually(() => gw.db.select().from(messages).where(eq(messages.contactId, fresh.contactId)).all().length > 0 || undefined);
    expect(gw.db.select({ n: count() }).from(messages).where(eq(messages.contactId, identity.contactId)).get()?.n).toBe(before.erased);
    expect(JSON.stringify(gw.db.select().from(messages).all())).not.toContain('سلمان فهد');
    // Writing again is one new beneficiary, and nothing of the old one comes back with it.
    expect(gw.db.select({ n: count() }).from(contacts).get()?.n).toBe(before.contacts + 1);
    expect(fresh.contactId).not.toBe(identity.contactId);
    const texts = gw.db.select({ t: messages.text, d: messages.direction }).from(messages).where(eq(messages.contactId, fresh.contactId)).all();
    expect(texts.filter((m) => m.d === 'in').map((m) => m.t)).toEqual(['مرحبا']);
  }, 60_000);
});
