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

export const waImage = (o: From & { caption?: string }) =>
  inbound(o, {
    type: 'image',
    image: { mime_type: 'image/jpeg', sha256: 'u0cA8Rkq2xu1Qw2O6lIY0Jw2Yz4mWm0bK0dNqAGp7e8=', id: '1479537139650973', ...(o.caption ? { caption: o.caption } : {}) },
  });

export const waLocation = (o: From) =>
  inbound(o, { type: 'location', location: { latitude: 24.7136, longitude: 46.6753, name: 'الرياض', address: 'طريق الملك فهد' } });

export function waStatus(o: { id: string; status: 'sent' | 'delivered' | 'read' | 'failed'; to?: string; timestamp?: number; error?: { code: number; title: string } }) {
  const to = o.to ?? '966551234567';
  return webhookEnvelope({
    statuses: [
      {
        id: o.id,
        status: o.status,
        timestamp: ts(o.timestamp),
        recipient_id: to,
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
