// WhatsApp webhook pieces: GET handshake, X-Hub-Signature-256, normalize of real payloads, delivery statuses.
import { describe, expect, it } from 'vitest';
import { createWhatsappAdapter } from '../../channels/whatsapp/index.ts';
import type { WebhookRequest } from '../../src/core/channel.ts';
import { normalizedInboundSchema } from '../../src/core/messages.ts';
import { signed, waAudio, waButtonReply, waDocument, waImage, waListReply, waLocation, waStatus, waText } from '../fakes/whatsapp-webhooks.ts';
import { APP_SECRET, config, fixture, memoryLogger, VERIFY_TOKEN } from './support.ts';

const adapter = createWhatsappAdapter(config(), { logger: memoryLogger() });
const hook = adapter.webhook!;

function request(body: string, signature?: string): WebhookRequest {
  return {
    headers: signature === undefined ? {} : { 'x-hub-signature-256': signature },
    rawBody: Buffer.from(body, 'utf8'),
    body: JSON.parse(body) as unknown,
    url: 'https://gw.example.org/webhooks/whatsapp',
    query: {},
  };
}

describe('WhatsApp handshake', () => {
  const q = (mode: string, token: string) => ({ 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': '1158201444' });
  it('answers the challenge for subscribe with the right token', () => {
    expect(hook.path).toBe('/webhooks/whatsapp');
    expect(hook.handshake?.(q('subscribe', VERIFY_TOKEN))).toBe('1158201444');
  });
  it('refuses a wrong token, a wrong mode, or missing fields', () => {
    expect(hook.handshake?.(q('subscribe', 'verify-mf'))).toBeNull();
    expect(hook.handshake?.(q('subscribe', ''))).toBeNull();
    expect(hook.handshake?.(q('unsubscribe', VERIFY_TOKEN))).toBeNull();
    expect(hook.handshake?.({ 'hub.mode': 'subscribe', 'hub.challenge': '1' })).toBeNull();
    expect(hook.handshake?.({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN })).toBeNull();
  });
});

describe('WhatsApp signature', () => {
  const { body, signature } = signed(waText({ text: 'مرحبا' }), APP_SECRET);
  it('accepts the HMAC of the exact bytes (hex case-insensitive)', () => {
    expect(hook.verify(request(body, signature))).toBe(true);
    expect(hook.verify(request(body, `sha256=${signature.slice(7).toUpperCase()}`))).toBe(true);
  });
  it('refuses a missing, malformed, wrong-prefix or wrong-secret signature', () => {
    expect(hook.verify(request(body))).toBe(false);
    expect(hook.verify(request(body, ''))).toBe(false);
    expect(hook.verify(request(body, signature.slice(7)))).toBe(false);
    expect(hook.verify(request(body, `sha1=${signature.slice(7)}`))).toBe(false);
    expect(hook.verify(request(body, `${signature.slice(0, -2)}zz`))).toBe(false);
    expect(hook.verify(request(body, signature.slice(0, -2)))).toBe(false);
    expect(hook.verify(request(body, signed(JSON.parse(body), 'other-secret').signature))).toBe(false);
  });
  it('refuses a body modified after signing, even by one space', () => {
    expect(hook.verify(request(`${body} `, signature))).toBe(false);
    expect(hook.verify(request(body.replace('مرحبا', 'مرحبـا'), signature))).toBe(false);
  });
  it('refuses everything when the app secret is empty', () => {
    const open = createWhatsappAdapter(config({ appSecret: '' }), { logger: memoryLogger() }).webhook!;
    expect(open.verify(request(body, signed(JSON.parse(body), '').signature))).toBe(false);
  });
});

describe('WhatsApp normalize (real payloads)', () => {
  const one = (name: string) => {
    const events = hook.normalize(fixture(name));
    expect(events).toHaveLength(1);
    for (const e of events) normalizedInboundSchema.parse(e);
    return events[0]!;
  };

  it('text: address, wamid, name, E.164 phone and time', () => {
    const e = one('text-arabic');
    expect(e).toMatchObject({
      channel: 'whatsapp',
      externalId: 'wamid.HBgMOTY2NTUxMjM0NTY3FQIAEhggQTFCMkMzRDRFNUY2AA==',
      address: '966551234567',
      sender: { displayName: 'عبدالله الشهري', phone: '+966551234567' },
      content: { type: 'text', text: 'السلام عليكم، أبغى أقدم على مساعدة' },
    });
    expect(e.receivedAt.toISOString()).toBe('2024-09-14T08:00:00.000Z');
  });

  it('button and list replies and template quick replies become choices', () => {
    expect(one('button-reply').content).toEqual({ type: 'choice', id: 'apply', text: 'تقديم طلب' });
    expect(one('list-reply').content).toEqual({ type: 'choice', id: 'rented', text: 'إيجار' });
    expect(one('template-quick-reply').content).toEqual({ type: 'choice', id: 'status', text: 'حالة طلبي' });
  });

  it('media carries the media id to download, its type, the caption and a document\'s file name', () => {
    expect(one('image').content).toEqual({ type: 'media', kind: 'image', ref: '1479537139650973', mime: 'image/jpeg', caption: 'صورة الهوية' });
    expect(one('voice').content).toEqual({ type: 'media', kind: 'audio', ref: '1003383421387256', mime: 'audio/ogg; codecs=opus' });
    expect(one('audio-file').content).toEqual({ type: 'media', kind: 'audio', ref: '1547732095186420', mime: 'audio/mpeg' });
    expect(one('video').content).toEqual({ type: 'media', kind: 'video', ref: '1191843325372814', mime: 'video/mp4', caption: 'المنزل من الداخل' });
    expect(one('document').content).toEqual({
      type: 'media',
      kind: 'document',
      ref: '867243915320547',
      mime: 'application/pdf',
      name: 'عقد الإيجار 1446.pdf',
      caption: 'عقد الإيجار',
    });
    expect(one('sticker').content).toEqual({ type: 'media', kind: 'sticker', ref: '2298810067144312', mime: 'image/webp' });
  });

  it('a location shows officers its name, address and coordinates, with nothing to download', () => {
    expect(one('location').content).toEqual({ type: 'media', kind: 'location', caption: 'الجمعية طريق الملك فهد، الرياض 24.7136,46.6753' });
    const [bare] = hook.normalize(waLocation({ place: { name: '' } }));
    expect(bare?.content).toEqual({ type: 'media', kind: 'location', caption: '24.7136,46.6753' });
  });

  it('keeps a media message whose media object is malformed, by kind only (nothing to download)', () => {
    const [e] = hook.normalize(waText({ text: 'x' }));
    const raw = { ...(e?.raw as object), type: 'image', image: { mime_type: 'image/jpeg' } };
    const body = { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { messages: [raw] } }] }] };
    expect(hook.normalize(body)[0]?.content).toEqual({ type: 'media', kind: 'image' });
  });

  it('gives [] for reactions, statuses-only webhooks, other fields and other phone numbers', () => {
    for (const name of ['reaction', 'statuses', 'template-status-update', 'other-number']) expect(hook.normalize(fixture(name))).toEqual([]);
  });

  it('builders produce the same shapes', () => {
    const payloads = [waText({ text: 'hi' }), waButtonReply({ buttonId: 'a', title: 'A' }), waListReply({ rowId: 'r', title: 'R' }), waImage({}), waLocation({}), waAudio({}), waDocument({})];
    const events = payloads.flatMap((p) => hook.normalize(p));
    expect(events.map((e) => e.content.type)).toEqual(['text', 'choice', 'choice', 'media', 'media', 'media', 'media']);
    expect(events.at(-1)?.content).toMatchObject({ kind: 'document', name: 'صك الإيجار.pdf', mime: 'application/pdf' });
  });

  it('does not trust a non-E.164 sender as a phone', () => {
    const [e] = hook.normalize(waText({ from: '0551234567', text: 'x' }));
    expect(e?.sender.phone).toBeUndefined();
    expect(e?.address).toBe('0551234567');
  });

  it('throws for bodies that are not WhatsApp webhooks, ignores unknown fields', () => {
    for (const bad of [{}, { object: 'page', entry: [] }, { update_id: 1 }, null, 'x', { object: 'whatsapp_business_account' }]) {
      expect(() => hook.normalize(bad)).toThrow();
    }
    const withExtra = { ...waText({ text: 'x' }), something_new: { a: 1 } };
    expect(hook.normalize(withExtra)).toHaveLength(1);
  });
});

describe('WhatsApp statuses', () => {
  it('maps sent, delivered, read and failed (with code and title), skipping unknown values', () => {
    const updates = hook.statuses?.(fixture('statuses')) ?? [];
    const id = 'wamid.HBgMOTY2NTUxMjM0NTY3FQIAERgSQUJDREVGMDEyMzQ1Njc4OQA=';
    expect(updates).toEqual([
      { externalId: id, status: 'sent', at: new Date(1726300801000) },
      { externalId: id, status: 'delivered', at: new Date(1726300802000) },
      { externalId: id, status: 'read', at: new Date(1726300803000) },
      { externalId: 'wamid.HBgMOTY2NTUxMjM0NTY3FQIAERgSRkFJTEVEMDEyMzQ1Njc4OQA=', status: 'failed', at: new Date(1726300804000), error: '131047 Re-engagement message' },
    ]);
    expect(hook.statuses?.(waStatus({ id: 'wamid.9', status: 'failed' }))[0]).toMatchObject({ status: 'failed', error: '131026 Message undeliverable' });
  });
  it('hands back our reference from biz_opaque_callback_data, so a send a crash lost is recognised', () => {
    const [update] = hook.statuses?.(waStatus({ id: 'wamid.7', status: 'delivered', reference: 'outbox-42.3' })) ?? [];
    expect(update).toMatchObject({ externalId: 'wamid.7', status: 'delivered', reference: 'outbox-42.3' });
    expect(hook.statuses?.(waStatus({ id: 'wamid.8', status: 'read' }))[0]).not.toHaveProperty('reference');
  });

  it('gives [] for message webhooks', () => {
    expect(hook.statuses?.(fixture('text-arabic'))).toEqual([]);
  });
});
