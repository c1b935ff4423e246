// The whole gateway with the WhatsApp adapter against the fake Graph API: signed webhooks in, replies out over real sockets.
// Needs the wiring in src/config.ts and src/channels.ts (WHATSAPP_* variables enable the channel).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, messages, outbox } from '../../src/db/schema.ts';
import { FakeWhatsappGraph, signed, waButtonReply, waDocument, waStatus, waText, type GraphCall } from '../fakes/whatsapp-graph.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { APP_SECRET, TOKEN, VERIFY_TOKEN } from './support.ts';

let fake: FakeWhatsappGraph;
let gw: TestGateway;

beforeAll(async () => {
  fake = new FakeWhatsappGraph({ token: TOKEN });
  await fake.start();
  gw = await startGateway({
    WHATSAPP_ACCESS_TOKEN: TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_GRAPH_URL: fake.url,
  });
  await gw.listen();
});
afterAll(async () => {
  await gw?.close();
  await fake.stop();
});

function post(body: string, signature: string | null): Promise<Response> {
  return fetch(`${gw.url()}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature !== null ? { 'x-hub-signature-256': signature } : {}) },
    body,
  });
}
const webhook = (payload: unknown) => {
  const { body, signature } = signed(payload, APP_SECRET);
  return post(body, signature);
};

const messageCount = () => gw.db.select({ n: count() }).from(messages).get()?.n ?? 0;

/** Send one webhook and wait until the gateway has sent `n` more messages to this number (bounded). */
async function say(to: string, payload: unknown, n = 1): Promise<GraphCall[]> {
  const before = fake.sentTo(to).length;
  expect((await webhook(payload)).status).toBe(200);
  await eventually(() => fake.sentTo(to).length >= before + n || undefined, 4000);
  return fake.sentTo(to).slice(before);
}

const textOf = (c: GraphCall | undefined) => {
  const b = c?.body as { text?: { body?: string }; interactive?: { body?: { text?: string } } } | undefined;
  return b?.text?.body ?? b?.interactive?.body?.text ?? '';
};

/** The reply buttons a message shows. */
const buttonsOf = (c: GraphCall) =>
  ((c.body as { interactive?: { action?: { buttons?: { reply: { id: string; title: string } }[] } } }).interactive?.action?.buttons ?? []).map((b) => b.reply);

describe('WhatsApp webhook handshake', () => {
  const get = (q: string) => fetch(`${gw.url()}/webhooks/whatsapp?${q}`);
  it('answers the challenge for the right token, 403 otherwise', async () => {
    const ok = await get(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await get('hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1')).status).toBe(403);
    expect((await get(`hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`)).status).toBe(403);
  });
});

describe('WhatsApp webhook signature', () => {
  it('refuses missing, wrong, wrong-prefix and modified-after-signing bodies (401) and stores nothing', async () => {
    const n = messageCount();
    const { body, signature } = signed(waText({ from: '966550000001', text: 'مرحبا' }), APP_SECRET);
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, signed(JSON.parse(body), 'wrong-secret').signature)).status).toBe(401);
    expect((await post(body, signature.replace('sha256=', 'sha1='))).status).toBe(401);
    expect((await post(body.replace('مرحبا', 'اهلا'), signature)).status).toBe(401);
    expect(messageCount()).toBe(n);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.sentTo('966550000001')).toHaveLength(0);
  });

  it('answers 400 to a signed body that is not a WhatsApp webhook', async () => {
    expect((await webhook({ update_id: 1 })).status).toBe(400);
  });
});

describe('WhatsApp through the gateway', () => {
  it('greets a first message by name and offers the menu, authorized with the bearer token', async () => {
    const to = '966550000002';
    const sent = await say(to, waText({ from: to, name: 'عبدالله', text: 'السلام عليكم' }), 2);
    expect(sent.map(textOf).join('\n')).toContain('عبدالله');
    expect(sent.every((c) => c.authorized && c.path === '/v21.0/1234567890/messages')).toBe(true);
    // Inside the window (the user just wrote): free-form messages, never a template.
    expect(sent.every((c) => c.body.type === 'text' || c.body.type === 'interactive')).toBe(true);
  });

  it('drops a replayed wamid: one stored message, one set of replies', async () => {
    const to = '966550000003';
    const payload = waText({ from: to, text: 'القائمة' });
    await say(to, payload, 1);
    await new Promise((r) => setTimeout(r, 200));
    const stored = messageCount();
    const replies = fake.sentTo(to).length;
    expect((await webhook(payload)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(messageCount()).toBe(stored);
    expect(fake.sentTo(to)).toHaveLength(replies);
  });

  it('takes a reply-button press as a choice and moves on', async () => {
    const to = '966550000004';
    await say(to, waText({ from: to, text: 'مرحبا' }), 2);
    // Wait for the whole greeting before pressing, then for the answer to the press (not a late part of the menu).
    await new Promise((r) => setTimeout(r, 200));
    const before = fake.sentTo(to).length;
    expect((await webhook(waButtonReply({ from: to, buttonId: 'apply', title: 'تقديم طلب' }))).status).toBe(200);
    // The privacy notice comes before the first personal question (flows/privacy.yaml): accept it with its button.
    const accept = await eventually(() => fake.sentTo(to).slice(before).flatMap(buttonsOf).find((b) => b.id === 'privacy_accept'), 4000);
    expect(accept.title).toBe('أوافق');
    const noticed = fake.sentTo(to).length;
    expect((await webhook(waButtonReply({ from: to, buttonId: accept.id, title: accept.title }))).status).toBe(200);
    // The greeting, the menu and the notice took the number's burst of four: the question waits for the next one of
    // WhatsApp's one message per six seconds to a user (channels/whatsapp rate).
    const asked = await eventually(() => fake.sentTo(to).slice(noticed).find((c) => /اسم/.test(textOf(c))), 10_000);
    expect(textOf(asked)).toMatch(/اسم/);
  });

  it('applies delivery statuses to the sent message, monotonically', async () => {
    const to = '966550000005';
    const [first] = await say(to, waText({ from: to, text: 'مرحبا' }), 1);
    const row = await eventually(() => gw.db.select().from(outbox).where(and(eq(outbox.channel, 'whatsapp'), eq(outbox.address, to))).all().find((r) => r.externalId));
    const status = () => gw.db.select().from(messages).where(eq(messages.id, row.messageId)).get()?.deliveryStatus;
    expect(first).toBeDefined();
    for (const s of ['delivered', 'read', 'delivered'] as const) expect((await webhook(waStatus({ id: row.externalId ?? '', status: s, to }))).status).toBe(200);
    await eventually(() => status() === 'read' || undefined);
    expect(status()).toBe('read');
  });

  it('honours Retry-After from a 429 and still delivers', async () => {
    const to = '966550000006';
    fake.failNext({ status: 429, retryAfter: '1', error: { message: '(#130429) Rate limit hit', code: 130429 } });
    expect((await webhook(waText({ from: to, text: 'مرحبا' }))).status).toBe(200);
    await eventually(() => fake.sentTo(to).length >= 3 || undefined, 6000);
    const calls = fake.sentTo(to);
    expect(textOf(calls[1])).toBe(textOf(calls[0]));
  });

  it('stores a document the beneficiary sends under DATA_DIR/uploads for officers, with its file name', async () => {
    const to = '966550000007';
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const mediaId = fake.addMedia({ data: pdf, mime: 'application/pdf' });
    expect((await webhook(waDocument({ from: to, mediaId, filename: 'عقد الإيجار.pdf', caption: 'العقد' }))).status).toBe(200);
    const stored = await eventually(() => gw.db.select().from(attachments).all().find((a) => a.originalName === 'عقد الإيجار.pdf'), 4000);
    expect(stored).toMatchObject({ mime: 'application/pdf', size: pdf.length });
    expect(readFileSync(path.join(gw.dir, 'uploads', stored.storagePath)).equals(pdf)).toBe(true);
    const download = fake.calls().filter((c) => c.path.startsWith('/whatsapp_business/attachments/'));
    expect(download.at(-1)?.authorized).toBe(true);
  });

  it('gives every reply its own biz_opaque_callback_data; a status echoing it still updates the delivery', async () => {
    const to = '966550000008';
    const sent = await say(to, waText({ from: to, text: 'مرحبا' }), 2);
    const refs = sent.map((c) => c.body.biz_opaque_callback_data);
    expect(refs.every((r) => typeof r === 'string' && r.length > 0)).toBe(true);
    expect(new Set(refs).size).toBe(refs.length);
    const row = await eventually(() => gw.db.select().from(outbox).where(and(eq(outbox.channel, 'whatsapp'), eq(outbox.address, to))).all().find((r) => r.externalId));
    const status = () => gw.db.select().from(messages).where(eq(messages.id, row.messageId)).get()?.deliveryStatus;
    expect((await webhook(fake.statusFor(row.externalId ?? '', 'delivered'))).status).toBe(200);
    await eventually(() => status() === 'delivered' || undefined);
  });
});
