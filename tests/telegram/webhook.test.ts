// Telegram webhook: the secret-token check and normalizing real update payloads.
import { describe, expect, it } from 'vitest';
import type { WebhookHandler, WebhookRequest } from '../../src/core/channel.ts';
import { normalizedInboundSchema } from '../../src/core/messages.ts';
import { createTelegramAdapter, normalizeTelegramUpdate } from '../../channels/telegram/index.ts';
import { contactUpdate } from '../fakes/telegram-bot-api.ts';
import { fixture, memoryLogger, SECRET, TOKEN } from './support.ts';

function webhook(secret: string | undefined): WebhookHandler {
  const config = { botToken: TOKEN, webhookSecret: secret, mode: 'webhook' as const, apiRoot: 'http://127.0.0.1:9' };
  const handler = createTelegramAdapter(config, { logger: memoryLogger() }).webhook;
  if (!handler) throw new Error('webhook mode must expose a webhook handler');
  return handler;
}

function request(headers: WebhookRequest['headers']): WebhookRequest {
  const body = fixture('text-arabic');
  const rawBody = Buffer.from(JSON.stringify(body));
  return { headers, rawBody, body, url: 'https://chat.albir.org.sa/webhooks/telegram', query: {} };
}

describe('telegram webhook verify', () => {
  const handler = webhook(SECRET);

  it('is served on /webhooks/telegram', () => {
    expect(handler.path).toBe('/webhooks/telegram');
  });

  it('accepts only the exact secret token header', () => {
    expect(handler.verify(request({ 'x-telegram-bot-api-secret-token': SECRET }))).toBe(true);
    expect(handler.verify(request({ 'x-telegram-bot-api-secret-token': `${SECRET.slice(0, -1)}X` }))).toBe(false);
  });

  it.each([
    ['missing', {}],
    ['empty', { 'x-telegram-bot-api-secret-token': '' }],
    ['repeated (array)', { 'x-telegram-bot-api-secret-token': [SECRET, SECRET] }],
    ['shorter', { 'x-telegram-bot-api-secret-token': SECRET.slice(1) }],
    ['longer', { 'x-telegram-bot-api-secret-token': `${SECRET}a` }],
    ['same length, multi-byte', { 'x-telegram-bot-api-secret-token': 'ع'.repeat(SECRET.length / 2) }],
  ])('rejects a %s header', (_why, headers) => {
    expect(handler.verify(request(headers))).toBe(false);
  });

  it('rejects everything when no secret is configured, even a request without the header', () => {
    const open = webhook(undefined);
    expect(open.verify(request({}))).toBe(false);
    expect(open.verify(request({ 'x-telegram-bot-api-secret-token': '' }))).toBe(false);
    expect(open.verify(request({ 'x-telegram-bot-api-secret-token': 'undefined' }))).toBe(false);
  });

  it('is absent in polling mode, so no route accepts pushed updates', () => {
    const config = { botToken: TOKEN, mode: 'polling' as const, apiRoot: 'http://127.0.0.1:9' };
    expect(createTelegramAdapter(config, { logger: memoryLogger() }).webhook).toBeUndefined();
  });
});

describe('telegram normalize', () => {
  const normalize = webhook(SECRET).normalize;

  it('keeps Arabic text exactly, with diacritics, Arabic-Indic digits and bidi marks', () => {
    const body = fixture('text-arabic');
    const [event, ...rest] = normalize(body);
    expect(rest).toEqual([]);
    expect(event).toEqual({
      channel: 'telegram',
      externalId: '618204157',
      address: '5829104736',
      sender: { displayName: 'نورة القحطاني', locale: 'ar' },
      content: { type: 'text', text: 'السَّلامُ عليكم، أرغب في تقديم طلب دعم — رقم الهوية \u200f١٠٠٠٠٠٠٠٠٨\u200f 🙏' },
      receivedAt: new Date(1726300800 * 1000),
      raw: body,
    });
    expect(normalizedInboundSchema.safeParse(event).success).toBe(true);
  });

  it('turns a button press into the choice id, with the pressed label for the transcript', () => {
    const before = Date.now();
    const [event] = normalize(fixture('callback-query'));
    expect(event).toMatchObject({
      externalId: '618204158',
      address: '5829104736',
      content: { type: 'choice', id: 'track_request', text: 'الاستعلام عن طلب' },
    });
    // The keyboard message's date is when the bot asked, not when the user pressed.
    expect(event?.receivedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(normalizedInboundSchema.safeParse(event).success).toBe(true);
  });

  it("turns the user's own shared contact into an E.164 phone on the sender and in the text", () => {
    const [event] = normalize(fixture('contact'));
    expect(event?.content).toEqual({ type: 'text', text: '+966551234567' });
    expect(event?.sender).toEqual({ displayName: 'نورة القحطاني', locale: 'ar', phone: '+966551234567' });
  });

  it("does not take someone else's contact card as the sender's phone", () => {
    const forwarded = contactUpdate({ updateId: 9, chatId: 5829104736, phoneNumber: '+966 50 000 0001', userId: 111 });
    const noUser = contactUpdate({ updateId: 10, chatId: 5829104736, phoneNumber: '966500000002', userId: null });
    expect(normalize(forwarded)[0]?.content).toEqual({ type: 'text', text: '+966500000001' });
    expect(normalize(forwarded)[0]?.sender.phone).toBeUndefined();
    expect(normalize(noUser)[0]?.sender.phone).toBeUndefined();
  });

  it('uses the caption of a photo as the text', () => {
    expect(normalize(fixture('photo-caption'))[0]?.content).toEqual({ type: 'text', text: 'صورة صك الإعالة' });
  });

  it.each(['edited-message', 'my-chat-member-blocked', 'group-message'])('ignores %s (returns [])', (name) => {
    expect(normalize(fixture(name))).toEqual([]);
  });

  it('turns a sticker, a photo without caption and a voice note into media events (the bot asks for text)', () => {
    const base = fixture('photo-caption') as { update_id: number; message: Record<string, unknown> };
    const { caption: _caption, ...photo } = base.message;
    const sticker = { ...photo, photo: undefined, sticker: { file_id: 'CAACAgIAAx0', file_unique_id: 'AgAD', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } };
    const voice = { ...photo, photo: undefined, voice: { file_id: 'AwACAgQ', file_unique_id: 'AgADx', duration: 4, mime_type: 'audio/ogg', file_size: 9123 } };
    expect(normalize({ update_id: 1, message: photo })[0]?.content).toEqual({ type: 'media', kind: 'image' });
    expect(normalize({ update_id: 2, message: sticker })[0]?.content).toEqual({ type: 'media', kind: 'sticker' });
    expect(normalize({ update_id: 3, message: voice })[0]?.content).toEqual({ type: 'media', kind: 'audio' });
  });

  it('ignores service messages that carry neither text nor media', () => {
    const base = fixture('photo-caption') as { update_id: number; message: Record<string, unknown> };
    const { caption: _caption, photo: _photo, ...bare } = base.message;
    expect(normalize({ update_id: 4, message: { ...bare, pinned_message: { message_id: 1, date: 1, chat: bare.chat } } })).toEqual([]);
  });

  // Design choice: a body that is not a Telegram update throws (ZodError); the webhook route answers 400.
  it.each([
    ['not an object', 'hello'],
    ['no update_id', { message: { text: 'hi' } }],
    ['a message without chat', { update_id: 5, message: { message_id: 1, date: 1, text: 'hi' } }],
  ])('throws a zod error for %s', (_why, body) => {
    expect(() => normalize(body)).toThrow(expect.objectContaining({ name: 'ZodError' }));
  });

  it('is also exported as a pure function for the polling path', () => {
    expect(normalizeTelegramUpdate(fixture('callback-query'))[0]?.content.type).toBe('choice');
  });
});
