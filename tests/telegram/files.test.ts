// An officer sends a file to a beneficiary on Telegram: the real telegraf client uploads it (multipart) to the fake Bot API.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, messages } from '../../src/db/schema.ts';
import { FakeTelegramBotApi, textUpdate } from '../fakes/telegram-bot-api.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { SECRET, TOKEN } from './support.ts';

let fake: FakeTelegramBotApi;
let gw: TestGateway;

beforeAll(async () => {
  fake = new FakeTelegramBotApi({ token: TOKEN });
  const { apiRoot } = await fake.start();
  gw = await startGateway({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_MODE: 'webhook', TELEGRAM_API_ROOT: apiRoot });
  await gw.listen();
});
afterAll(async () => {
  await gw.close();
  await fake.stop();
});

/** A beneficiary who wrote on Telegram, and a file stored for them (as the inbox upload route stores it). */
async function beneficiaryWithFile(chatId: number, file: { bytes: Buffer; mime: string; name: string; ext: string }) {
  const res = await fetch(`${gw.url()}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(textUpdate({ updateId: chatId, chatId, text: 'السلام عليكم', firstName: 'سارة', languageCode: 'ar' })),
  });
  expect(res.status).toBe(200);
  const message = await eventually(() => gw.db.select().from(messages).where(eq(messages.channel, 'telegram')).all().find((m) => m.externalId === String(chatId)));
  const id = randomUUID();
  const storagePath = `2026/11/${id}.${file.ext}`;
  fs.mkdirSync(path.join(gw.dir, 'uploads', '2026', '11'), { recursive: true });
  fs.writeFileSync(path.join(gw.dir, 'uploads', storagePath), file.bytes);
  gw.db.insert(attachments).values({ id, contactId: message.contactId, mime: file.mime, size: file.bytes.length, sha256: 'x', storagePath, originalName: file.name }).run();
  return { conversationId: message.conversationId, attachmentId: id };
}

const officer = { id: 'officer-tg', displayName: 'هدى' };

describe('files to Telegram', () => {
  it('sends a PDF as a document with its name and the caption; the message is marked sent', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const { conversationId, attachmentId } = await beneficiaryWithFile(7101, { bytes: pdf, mime: 'application/pdf', name: 'decision.pdf', ext: 'pdf' });
    const msg = await gw.conversations.replyWithFile(conversationId, officer, { attachmentId, mime: 'application/pdf', name: 'decision.pdf', size: pdf.length }, 'قرار اللجنة');
    const call = await fake.waitFor('sendDocument', (c) => String(c.body.chat_id) === '7101', 5000);
    expect(call.body.document).toEqual({ filename: 'decision.pdf', size: pdf.length });
    // The caption went with the text part (the file goes first, the text after it).
    await eventually(() => gw.db.select().from(messages).where(eq(messages.id, msg.id)).get()?.deliveryStatus === 'sent' || undefined, 5000);
    const texts = fake.calls('sendMessage').filter((c) => String(c.body.chat_id) === '7101').map((c) => String(c.body.text));
    expect(texts.some((t) => t.includes('قرار اللجنة'))).toBe(true);
  });

  it('sends a JPEG as a photo', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 1)]);
    const { conversationId, attachmentId } = await beneficiaryWithFile(7102, { bytes: jpeg, mime: 'image/jpeg', name: 'map.jpg', ext: 'jpg' });
    await gw.conversations.replyWithFile(conversationId, officer, { attachmentId, mime: 'image/jpeg', name: 'map.jpg', size: jpeg.length });
    const call = await fake.waitFor('sendPhoto', (c) => String(c.body.chat_id) === '7102', 5000);
    expect(call.body.photo).toMatchObject({ size: jpeg.length });
  });
});
