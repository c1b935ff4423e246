// WhatsApp Cloud API outbound: build /messages payloads (text, reply buttons, list, media, template) and send them.
import type { SendContext } from '../../src/core/channel.ts';
import type { OutboundMedia, OutboundMessage, SendResult } from '../../src/core/messages.ts';
import type { WhatsappConfig } from './config.ts';
import { graphPost, permanent, type GraphOptions } from './graph.ts';
import { uploadWhatsappMedia } from './media.ts';

const WINDOW_MS = 24 * 60 * 60 * 1000;
// WhatsApp's own limit on the body of an interactive message and on a media caption (plain text allows 4096).
const INTERACTIVE_BODY_MAX = 1024;
const CAPTION_MAX = 1024;
// Image messages take only JPEG and PNG; other pictures (WebP, HEIC from the web chat) still arrive as documents.
const IMAGE_MIMES = new Set(['image/jpeg', 'image/png']);

export type SendOptions = GraphOptions;

/** True when the user wrote within the last 24 hours; an absent or unreadable time counts as closed. */
export function insideWindow(context: SendContext | undefined, now: Date): boolean {
  const last = context?.lastInboundAt ? Date.parse(context.lastInboundAt) : Number.NaN;
  return Number.isFinite(last) && now.getTime() - last <= WINDOW_MS;
}

function windowClosed(what: string): never {
  throw permanent(`outside the 24-hour window: ${what}`, 'window_closed');
}

// Template parameters refuse new lines, tabs and more than four spaces in a row.
// Each run of white space is matched once, whole; one holding a line end or tab becomes a space.
const templateParam = (text: string) =>
  text
    .replace(/\s+/g, (run) => (run.includes('\n') || run.includes('\t') ? ' ' : run))
    .replace(/ {2,}/g, ' ')
    .trim();

function interactiveBody(kind: 'button' | 'list', text: string): { text: string } {
  if (text.length > INTERACTIVE_BODY_MAX) {
    throw permanent(`WhatsApp ${kind} messages allow at most ${INTERACTIVE_BODY_MAX} characters of text`, 'body_too_long', { length: text.length });
  }
  return { text };
}

/** The /messages payload for a text, buttons or list part (media goes through mediaPayload after its upload). */
export function buildPayload(config: WhatsappConfig, to: string, message: OutboundMessage, context: SendContext | undefined, now: Date): object {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  if (!insideWindow(context, now)) {
    if (!config.template) windowClosed('WhatsApp allows only an approved template, and none is configured (WHATSAPP_TEMPLATE_NAME)');
    // Buttons and lists cannot ride on a one-parameter template; the beneficiary's next message reopens the window.
    const { name, language } = config.template;
    const parameters = [{ type: 'text', text: templateParam(message.text) }];
    return { ...base, type: 'template', template: { name, language: { code: language }, components: [{ type: 'body', parameters }] } };
  }
  if (message.buttons && message.buttons.length > 0) {
    const buttons = message.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.label } }));
    return { ...base, type: 'interactive', interactive: { type: 'button', body: interactiveBody('button', message.text), action: { buttons } } };
  }
  if (message.list && message.list.rows.length > 0) {
    const rows = message.list.rows.map((r) => ({ id: r.id, title: r.label }));
    const action = { button: message.list.button, sections: [{ rows }] };
    return { ...base, type: 'interactive', interactive: { type: 'list', body: interactiveBody('list', message.text), action } };
  }
  return { ...base, type: 'text', text: { body: message.text, preview_url: false } };
}

/** What WhatsApp shows: the declared kind, except pictures it will not take as images. */
function mediaType(media: OutboundMedia, mime: string): OutboundMedia['kind'] {
  return media.kind === 'image' && !IMAGE_MIMES.has(mime.toLowerCase()) ? 'document' : media.kind;
}

/** Checks what can be refused before reading or uploading anything. */
function checkMedia(message: OutboundMessage, media: OutboundMedia, context: SendContext | undefined, now: Date): void {
  if (!insideWindow(context, now)) windowClosed('WhatsApp sends files only inside it (a template cannot carry one)');
  if (message.text.length > 0 && media.kind === 'audio') throw permanent('WhatsApp audio messages cannot carry a caption', 'caption_not_supported');
  if (message.text.length > CAPTION_MAX) {
    throw permanent(`WhatsApp media captions allow at most ${CAPTION_MAX} characters`, 'caption_too_long', { length: message.text.length });
  }
}

function mediaPayload(to: string, type: OutboundMedia['kind'], id: string, caption: string, filename: string | undefined): object {
  const object = { id, ...(caption.length > 0 ? { caption } : {}), ...(type === 'document' && filename ? { filename } : {}) };
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type, [type]: object };
}

async function buildMediaPayload(config: WhatsappConfig, to: string, message: OutboundMessage, media: OutboundMedia, context: SendContext | undefined, opts: SendOptions): Promise<object> {
  checkMedia(message, media, context, opts.now());
  if (!context?.readMedia) throw permanent('WhatsApp cannot send this file: the stored file cannot be read here (no readMedia)', 'no_media_reader');
  const file = await context.readMedia(media.attachmentId);
  const mime = file.mime || media.mime;
  const filename = media.name ?? file.name ?? media.attachmentId;
  const id = await uploadWhatsappMedia(config, { data: file.data, mime, filename }, opts);
  return mediaPayload(to, mediaType(media, mime), id, message.text, filename);
}

export async function sendWhatsappMessage(
  config: WhatsappConfig,
  address: string,
  message: OutboundMessage,
  context: SendContext | undefined,
  opts: SendOptions,
): Promise<SendResult> {
  const payload = message.media
    ? await buildMediaPayload(config, address, message, message.media, context, opts)
    : buildPayload(config, address, message, context, opts.now());
  // Echoed in this message's status webhooks, so a send whose commit a crash lost is recognised, not repeated.
  const withReference = context?.reference ? { ...payload, biz_opaque_callback_data: context.reference } : payload;
  const url = `${config.graphUrl}/${config.phoneNumberId}/messages`;
  const body = (await graphPost(url, config.accessToken, JSON.stringify(withReference), opts, 'WhatsApp send failed')) as { messages?: { id?: unknown }[] } | null;
  const id = body?.messages?.[0]?.id;
  return typeof id === 'string' ? { externalId: id } : {};
}
