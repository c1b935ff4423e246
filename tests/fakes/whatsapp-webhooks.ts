// Real-shaped WhatsApp Cloud API webhook payloads, and their X-Hub-Signature-256 over the exact bytes.
import { createHmac } from 'node:crypto';

export const PHONE_NUMBER_ID = '1234567890';
const METADATA = { display_phone_number: '966112345678', phone_number_id: PHONE_NUMBER_ID };

interface From {
  from?: string;
  name?: string;
  id?: string;
  /** Unix seconds; now by default. */
  timestamp?: number;
}

const ts = (t?: number) => String(t ?? Math.floor(Date.now() / 1000));
let seq = 0;
const wamid = () => `wamid.HBgMOTY2NTUxMjM0NTY3FQIAEhgg${(++seq).toString(16).padStart(8, '0')}`;

/** The envelope every Cloud API webhook shares. */
export function webhookEnvelope(value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ value: { messaging_product: 'whatsapp', metadata: METADATA, ...value }, field: 'messages' }] }],
  };
}

function inbound(o: From, message: Record<string, unknown>): Record<string, unknown> {
  const from = o.from ?? '966551234567';
  return webhookEnvelope({
    contacts: [{ profile: { name: o.name ?? 'عبدالله' }, wa_id: from }],
    messages: [{ from, id: o.id ?? wamid(), timestamp: ts(o.timestamp), ...message }],
  });
}

export const waText = (o: From & { text: string }) => inbound(o, { type: 'text', text: { body: o.text } });

export const waButtonReply = (o: From & { buttonId: string; title: string; context?: string }) =>
  inbound(o, {
    context: { from: METADATA.display_phone_number, id: o.context ?? 'wamid.sent-by-us' },
    type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id: o.buttonId, title: o.title } },
  });

export const waListReply = (o: From & { rowId: string; title: string; description?: string }) =>
  inbound(o, {
    context: { from: METADATA.display_phone_number, id: 'wamid.sent-by-us' },
    type: 'interactive',
    interactive: { type: 'list_reply', list_reply: { id: o.rowId, title: o.title, description: o.description ?? '' } },
  });

export const waImage = (o: From & { caption?: string; mediaId?: string }) =>
  inbound(o, {
    type: 'image',
    image: { mime_type: 'image/jpeg', sha256: 'u0cA8Rkq2xu1Qw2O6lIY0Jw2Yz4mWm0bK0dNqAGp7e8=', id: o.mediaId ?? '1479537139650973', ...(o.caption ? { caption: o.caption } : {}) },
  });

/** A voice note (recorded in WhatsApp: voice true) or an audio file. */
export const waAudio = (o: From & { mediaId?: string; voice?: boolean }) =>
  inbound(o, {
    type: 'audio',
    audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'hE3d5Xl5pCj1QnY0k0oVh8f7n2n8xTq2yFz0Wm7Ue1w=', id: o.mediaId ?? '1003383421387256', voice: o.voice ?? true },
  });

export const waDocument = (o: From & { mediaId?: string; filename?: string; caption?: string; mime?: string }) =>
  inbound(o, {
    type: 'document',
    document: {
      ...(o.caption ? { caption: o.caption } : {}),
      filename: o.filename ?? 'صك الإيجار.pdf',
      mime_type: o.mime ?? 'application/pdf',
      sha256: 'Qm9yZWQgb2YgdGhpcz8gV2hhdCBhYm91dCB0aGlzPw==',
      id: o.mediaId ?? '934271058832517',
    },
  });

/** A shared place; `place` overrides its name and address (both absent when the user drops a bare pin). */
export const waLocation = (o: From & { place?: { name?: string; address?: string } }) =>
  inbound(o, { type: 'location', location: { latitude: 24.7136, longitude: 46.6753, ...(o.place ?? { name: 'الرياض', address: 'طريق الملك فهد' }) } });

export type WaStatusValue = 'sent' | 'delivered' | 'read' | 'failed';

/** A status webhook; `reference` is the biz_opaque_callback_data we sent, which Meta echoes. */
export function waStatus(o: { id: string; status: WaStatusValue; to?: string; timestamp?: number; error?: { code: number; title: string }; reference?: string }) {
  const to = o.to ?? '966551234567';
  return webhookEnvelope({
    statuses: [
      {
        id: o.id,
        status: o.status,
        timestamp: ts(o.timestamp),
        recipient_id: to,
        ...(o.reference !== undefined ? { biz_opaque_callback_data: o.reference } : {}),
        ...(o.status === 'failed'
          ? { errors: [{ code: o.error?.code ?? 131026, title: o.error?.title ?? 'Message undeliverable', message: o.error?.title ?? 'Message undeliverable', error_data: { details: 'Message Undeliverable.' } }] }
          : { conversation: { id: 'CONVERSATION_ID', origin: { type: 'service' } }, pricing: { billable: true, pricing_model: 'CBP', category: 'service' } }),
      },
    ],
  });
}

/** The exact bytes to POST and the header Meta would send with them. */
export function signed(payload: unknown, appSecret: string): { body: string; signature: string } {
  const body = JSON.stringify(payload);
  return { body, signature: `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}` };
}
