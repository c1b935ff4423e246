// WhatsApp pick-lists, files and our echoed reference, sent to the fake Graph API exactly as Meta documents them.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsappAdapter } from '../../channels/whatsapp/index.ts';
import type { WhatsappConfig } from '../../channels/whatsapp/config.ts';
import type { SendContext, WebhookRequest } from '../../src/core/channel.ts';
import { AppError } from '../../src/core/errors.ts';
import type { OutboundButton, OutboundMedia, OutboundMessage } from '../../src/core/messages.ts';
import { render } from '../../src/outbound/render.ts';
import { closeLocal, listenLocal } from '../fakes/local-http.ts';
import { FakeWhatsappGraph } from '../fakes/whatsapp-graph.ts';
import { APP_SECRET, config, memoryLogger, TOKEN } from './support.ts';

const NOW = new Date('2024-09-14T12:00:00Z');
const to = '966551234567';
const logger = memoryLogger();
let fake: FakeWhatsappGraph;

const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(20_000)]);
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(30_000)]);
const files: Record<string, { data: Buffer; mime: string; name?: string }> = {
  'att-photo': { data: jpeg, mime: 'image/jpeg', name: 'photo.jpg' },
  'att-decision': { data: pdf, mime: 'application/pdf', name: 'decision.pdf' },
  'att-heic': { data: randomBytes(5000), mime: 'image/heic', name: 'IMG_0042.heic' },
};
const reads: string[] = [];
const readMedia = async (id: string) => {
  reads.push(id);
  const f = files[id];
  if (!f) throw new Error(`no file ${id}`);
  return f;
};
const recent: SendContext = { lastInboundAt: '2024-09-14T11:00:00.000Z', readMedia };
const old: SendContext = { lastInboundAt: '2024-09-13T08:00:00.000Z', readMedia };

const photo: OutboundMedia = { attachmentId: 'att-photo', kind: 'image', mime: 'image/jpeg', size: jpeg.length };
const decision: OutboundMedia = { attachmentId: 'att-decision', kind: 'document', mime: 'application/pdf', name: 'قرار اللجنة.pdf', size: pdf.length };

function adapter(overrides: Partial<WhatsappConfig> = {}) {
  return createWhatsappAdapter(config({ graphUrl: fake.url, ...overrides }), { logger, now: () => NOW, requestTimeoutMs: 2000 });
}

async function sendError(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  const e = err as AppError;
  expect(e.code).toBe('ERR_CHANNEL_SEND');
  expect(JSON.stringify({ m: e.message, d: e.details, s: e.stack })).not.toContain(TOKEN);
  return e;
}
const messageCalls = () => fake.calls().filter((c) => c.path.endsWith('/messages'));

beforeAll(async () => {
  fake = new FakeWhatsappGraph({ token: TOKEN });
  await fake.start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  reads.length = 0;
});

describe('WhatsApp pick-lists', () => {
  const districts = ['العليا', 'الملز', 'النسيم', 'الروضة', 'السويدي', 'الشفا', 'العزيزية', 'النظيم', 'الحمراء', 'المروج', 'الياسمين'];
  const choices = (n: number): OutboundButton[] => districts.slice(0, n).map((label, i) => ({ id: `district-${i + 1}`, label }));

  it('declares WhatsApp\'s list limits: 10 rows, 24-character titles, a 20-character button', () => {
    expect(adapter().capabilities.list).toEqual({ maxRows: 10, titleMax: 24, buttonMax: 20 });
  });

  it('sends ten choices as one interactive list message, exactly as Meta documents it', async () => {
    const a = adapter();
    const parts = render(a.capabilities, { text: 'في أي حي تسكن؟', choices: choices(10), listButton: 'اختر الحي' });
    expect(parts).toHaveLength(1);
    await a.send(to, parts[0]!, recent);
    expect(fake.calls()[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'في أي حي تسكن؟' },
        action: { button: 'اختر الحي', sections: [{ rows: choices(10).map((c) => ({ id: c.id, title: c.label })) }] },
      },
    });
  });

  it('eleven choices do not fit a list: they arrive as numbered text, none dropped', async () => {
    const a = adapter();
    const parts = render(a.capabilities, { text: 'في أي حي تسكن؟', choices: choices(11), listButton: 'اختر الحي' });
    for (const part of parts) await a.send(to, part, recent);
    const body = fake.calls().map((c) => c.body);
    expect(body.every((b) => b.type === 'text')).toBe(true);
    const text = body.map((b) => (b.text as { body: string }).body).join('\n');
    expect(text).toContain('1. العليا');
    expect(text).toContain('11. الياسمين');
  });

  it('refuses, without calling Graph, list text over the 1024-character interactive limit', async () => {
    const message: OutboundMessage = { text: 'ح'.repeat(1025), list: { button: 'اختر', rows: choices(2) } };
    const e = await sendError(adapter().send(to, message, recent));
    expect(e).toMatchObject({ retryable: false, details: { reason: 'body_too_long', length: 1025 } });
    expect(e.message).toBe('WhatsApp list messages allow at most 1024 characters of text');
    expect(fake.calls()).toHaveLength(0);
  });
});

describe('WhatsApp files', () => {
  it('uploads a photo as multipart, then sends it by media id with its caption', async () => {
    const result = await adapter().send(to, { text: 'صورة إيصال التسليم', media: photo }, recent);
    const [upload] = fake.uploads();
    expect(upload).toMatchObject({ messagingProduct: 'whatsapp', mime: 'image/jpeg', filename: 'photo.jpg', authorized: true });
    expect(upload?.bytes.equals(jpeg)).toBe(true);
    expect(fake.calls().map((c) => c.path)).toEqual(['/v21.0/1234567890/media', '/v21.0/1234567890/messages']);
    expect(messageCalls()[0]?.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'image', image: { id: upload?.id, caption: 'صورة إيصال التسليم' } });
    expect(result.externalId).toMatch(/^wamid\./);
  });

  it('sends a document under the name the officer gave it, with no caption when the text is empty (as rendered)', async () => {
    const a = adapter();
    const parts = render(a.capabilities, { text: 'مرفق قرار اللجنة.', media: decision });
    expect(parts.map((p) => p.text)).toEqual(['', 'مرفق قرار اللجنة.']);
    for (const part of parts) await a.send(to, part, recent);
    const [upload] = fake.uploads();
    expect(upload).toMatchObject({ mime: 'application/pdf', filename: 'قرار اللجنة.pdf' });
    expect(upload?.bytes.equals(pdf)).toBe(true);
    expect(messageCalls().map((c) => c.body)).toEqual([
      { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'document', document: { id: upload?.id, filename: 'قرار اللجنة.pdf' } },
      { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body: 'مرفق قرار اللجنة.', preview_url: false } },
    ]);
  });

  it('sends a picture WhatsApp will not show as an image (HEIC) as a document instead of failing', async () => {
    await adapter().send(to, { text: '', media: { attachmentId: 'att-heic', kind: 'image', mime: 'image/heic', size: 5000 } }, recent);
    expect(messageCalls()[0]?.body).toMatchObject({ type: 'document', document: { filename: 'IMG_0042.heic' } });
  });

  it('outside the 24-hour window a file is refused as window_closed, even with a template, and nothing is read or uploaded', async () => {
    for (const a of [adapter(), adapter({ template: { name: 'tawasul_followup', language: 'ar' } })]) {
      const e = await sendError(a.send(to, { text: '', media: decision }, old));
      expect(e).toMatchObject({ retryable: false, details: { reason: 'window_closed' } });
      expect(e.message).toMatch(/^outside the 24-hour window/);
    }
    expect(reads).toEqual([]);
    expect(fake.calls()).toHaveLength(0);
  });

  it('refuses permanently without a file reader, an audio caption, or a caption over 1024 characters', async () => {
    const cases: [OutboundMessage, SendContext, string][] = [
      [{ text: '', media: photo }, { lastInboundAt: recent.lastInboundAt }, 'no_media_reader'],
      [{ text: 'اسمع', media: { attachmentId: 'att-photo', kind: 'audio', mime: 'audio/ogg', size: 1 } }, recent, 'caption_not_supported'],
      [{ text: 'ت'.repeat(1025), media: photo }, recent, 'caption_too_long'],
    ];
    for (const [message, context, reason] of cases) {
      expect(await sendError(adapter().send(to, message, context))).toMatchObject({ retryable: false, details: { reason } });
    }
    expect(fake.calls()).toHaveLength(0);
  });

  it('maps upload failures like send failures and sends no message after one', async () => {
    fake.failNext({ status: 500 }, { status: 400, error: { message: '(#131053) Media upload error', code: 131053 } });
    const e1 = await sendError(adapter().send(to, { text: '', media: photo }, recent));
    expect(e1.retryable).toBe(true);
    expect(e1.message).toMatch(/^WhatsApp media upload failed: 500/);
    const e2 = await sendError(adapter().send(to, { text: '', media: photo }, recent));
    expect(e2).toMatchObject({ retryable: false, details: { status: 400, code: 131053 } });
    expect(messageCalls()).toHaveLength(0);
  });
});

describe('WhatsApp reference (biz_opaque_callback_data)', () => {
  const template = { name: 'tawasul_followup', language: 'ar' };

  it('declares the reference echoed, and adds it to every kind of message', async () => {
    const a = adapter({ template });
    expect(a.capabilities.reference).toBe('echoed');
    const ref = (reference: string, base: SendContext = recent): SendContext => ({ ...base, reference });
    await a.send(to, { text: 'نص' }, ref('r-text'));
    await a.send(to, { text: 'اختر', buttons: [{ id: 'a', label: 'أ' }] }, ref('r-buttons'));
    await a.send(to, { text: 'اختر', list: { button: 'القائمة', rows: [{ id: 'a', label: 'أ' }] } }, ref('r-list'));
    await a.send(to, { text: 'تذكير' }, ref('r-template', old));
    await a.send(to, { text: '', media: photo }, ref('r-media'));
    await a.send(to, { text: 'بلا مرجع' }, recent);
    expect(messageCalls().map((c) => [c.body.type, c.body.biz_opaque_callback_data])).toEqual([
      ['text', 'r-text'],
      ['interactive', 'r-buttons'],
      ['interactive', 'r-list'],
      ['template', 'r-template'],
      ['image', 'r-media'],
      ['text', undefined],
    ]);
  });

  it('comes back in Meta\'s signed status webhooks as DeliveryUpdate.reference', async () => {
    const a = adapter();
    const hook = a.webhook!;
    const received: unknown[] = [];
    const receiver = await listenLocal((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const request: WebhookRequest = { headers: req.headers, rawBody, body: JSON.parse(rawBody.toString('utf8')) as unknown, url: req.url ?? '', query: {} };
        if (hook.verify(request)) received.push(...(hook.statuses?.(request.body) ?? []));
        res.writeHead(hook.verify(request) ? 200 : 401).end();
      });
    });
    try {
      fake.echoStatusesTo({ url: `${receiver.base}/webhooks/whatsapp`, appSecret: APP_SECRET });
      const { externalId } = await a.send(to, { text: 'تم استلام طلبك' }, { ...recent, reference: 'outbox-17.0' });
      for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(received).toEqual([{ externalId, status: 'sent', at: expect.any(Date), reference: 'outbox-17.0' }]);
      expect(hook.statuses?.(fake.statusFor(externalId ?? '', 'read'))).toMatchObject([{ externalId, status: 'read', reference: 'outbox-17.0' }]);
    } finally {
      await closeLocal(receiver.server);
    }
  });
});
