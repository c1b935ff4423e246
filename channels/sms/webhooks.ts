// Twilio webhooks: signature check, inbound SMS → normalized event, status callback → delivery updates.
import twilio from 'twilio';
import { z } from 'zod';
import type { DeliveryUpdate, WebhookRequest } from '../../src/core/channel.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';

export const TWILIO_INBOUND_PATH = '/webhooks/twilio';
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

const E164 = /^\+[1-9]\d{6,14}$/;
/** What our outbox references look like (SendContext.reference): safe in a URL query as they are. */
export const REFERENCE = /^[A-Za-z0-9.-]{1,64}$/;

/** Form fields as the gateway parses them (querystring: string or repeated string[]); anything else → null. */
function formParams(body: unknown): Record<string, string | string[]> | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) out[k] = v as string | string[];
    else return null;
  }
  return out;
}

/** X-Twilio-Signature over the exact public URL plus the sorted form params; a missing header never passes. */
export function twilioVerifier(authToken: string): (req: WebhookRequest) => boolean {
  return (req) => {
    const signature = req.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || signature === '') return false;
    const params = formParams(req.body);
    if (!params) return false;
    try {
      return twilio.validateRequest(authToken, signature, req.url, params);
    } catch {
      return false;
    }
  };
}

const inboundSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/),
  From: z.string().regex(E164),
  To: z.string().optional(),
  Body: z.string().default(''),
  NumMedia: z.coerce.number().int().min(0).default(0),
  MediaContentType0: z.string().optional(),
});

function mediaKind(mime: string | undefined): 'image' | 'audio' | 'video' | 'document' | 'other' {
  const top = mime?.split('/')[0];
  if (top === 'image' || top === 'audio' || top === 'video') return top;
  return mime ? 'document' : 'other';
}

/** Pure: one inbound SMS (or MMS) → one event; a text body wins over attached media. */
export function normalizeTwilioInbound(body: unknown, receivedAt: Date): NormalizedInbound[] {
  const m = inboundSchema.parse(body);
  const text = m.Body.trim();
  const content: NormalizedInbound['content'] =
    text === '' && m.NumMedia > 0 ? { type: 'media', kind: mediaKind(m.MediaContentType0) } : { type: 'text', text: m.Body };
  return [{ channel: 'sms', externalId: m.MessageSid, address: m.From, sender: { phone: m.From }, content, receivedAt, raw: body }];
}

const statusSchema = z.object({
  MessageSid: z.string().min(1).max(200),
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().optional(),
  ErrorMessage: z.string().optional(),
});

// queued/accepted/scheduled/sending precede 'sent', which the outbox already records at send time.
const STATUS_MAP: Record<string, DeliveryUpdate['status'] | undefined> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/** Pure: a status callback → zero or one update; repeats and out-of-order arrivals are left to the monotonic outbox. */
export function twilioStatuses(body: unknown, at: Date, reference?: string): DeliveryUpdate[] {
  const s = statusSchema.parse(body);
  const status = STATUS_MAP[s.MessageStatus.toLowerCase()];
  if (!status) return [];
  const update: DeliveryUpdate = { externalId: s.MessageSid, status, at, ...(reference && REFERENCE.test(reference) ? { reference } : {}) };
  if (status === 'failed') update.error = [s.ErrorCode ? `Twilio ${s.ErrorCode}` : `Twilio ${s.MessageStatus}`, s.ErrorMessage].filter(Boolean).join(': ');
  return [update];
}
