// WhatsApp Cloud API outbound: build /messages payloads (text, reply buttons, template) and map failures to honest AppErrors.
import { AppError } from '../../src/core/errors.ts';
import type { SendContext } from '../../src/core/channel.ts';
import type { OutboundMessage, SendResult } from '../../src/core/messages.ts';
import type { WhatsappConfig } from './config.ts';

const WINDOW_MS = 24 * 60 * 60 * 1000;
// WhatsApp's own limit on the body of an interactive message (plain text allows 4096).
const INTERACTIVE_BODY_MAX = 1024;
// 130429 throughput, 131056 pair rate (one business → one user), 80007 WABA rate limit.
const RATE_CODES = new Set([130429, 131056, 80007]);
const PAIR_RATE = 131056;
const RE_ENGAGEMENT = 131047;

export interface SendOptions {
  fetch: typeof fetch;
  now: () => Date;
  timeoutMs: number;
}

interface GraphError {
  message?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** True when the user wrote within the last 24 hours; an absent or unreadable time counts as closed. */
export function insideWindow(context: SendContext | undefined, now: Date): boolean {
  const last = context?.lastInboundAt ? Date.parse(context.lastInboundAt) : Number.NaN;
  return Number.isFinite(last) && now.getTime() - last <= WINDOW_MS;
}

// Template parameters refuse new lines, tabs and more than four spaces in a row.
const templateParam = (text: string) => text.replace(/\s*[\n\t]+\s*/g, ' ').replace(/ {2,}/g, ' ').trim();

export function buildPayload(config: WhatsappConfig, to: string, message: OutboundMessage, context: SendContext | undefined, now: Date): object {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  if (!insideWindow(context, now)) {
    if (!config.template) {
      throw new AppError('ERR_CHANNEL_SEND', 'outside the 24-hour window: WhatsApp allows only an approved template, and none is configured (WHATSAPP_TEMPLATE_NAME)', {
        retryable: false,
        details: { channel: 'whatsapp', reason: 'window_closed' },
      });
    }
    // Buttons cannot ride on a one-parameter template; the beneficiary's next message reopens the window.
    const { name, language } = config.template;
    const parameters = [{ type: 'text', text: templateParam(message.text) }];
    return { ...base, type: 'template', template: { name, language: { code: language }, components: [{ type: 'body', parameters }] } };
  }
  if (message.buttons && message.buttons.length > 0) {
    if (message.text.length > INTERACTIVE_BODY_MAX) {
      throw new AppError('ERR_CHANNEL_SEND', `WhatsApp button messages allow at most ${INTERACTIVE_BODY_MAX} characters of text`, {
        retryable: false,
        details: { channel: 'whatsapp', reason: 'body_too_long', length: message.text.length },
      });
    }
    const buttons = message.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.label } }));
    return { ...base, type: 'interactive', interactive: { type: 'button', body: { text: message.text }, action: { buttons } } };
  }
  return { ...base, type: 'text', text: { body: message.text, preview_url: false } };
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterHeader(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now.getTime()) : undefined;
}

async function graphError(res: Response): Promise<GraphError> {
  try {
    const body = (await res.json()) as { error?: GraphError } | null;
    return body && typeof body.error === 'object' && body.error !== null ? body.error : {};
  } catch {
    return {};
  }
}

/** Maps a Graph failure; the message carries only Graph's code and message, never the token. */
export async function toSendError(res: Response, now: Date): Promise<AppError> {
  const err = await graphError(res);
  const code = typeof err.code === 'number' ? err.code : undefined;
  const rateLimited = res.status === 429 || (code !== undefined && RATE_CODES.has(code));
  const retryable = rateLimited || res.status >= 500 || err.is_transient === true;
  const title = typeof err.message === 'string' ? err.message.slice(0, 300) : res.statusText;
  const retryAfterMs = rateLimited ? (retryAfterHeader(res.headers.get('retry-after'), now) ?? (code === PAIR_RATE ? 6000 : 1000)) : undefined;
  return new AppError('ERR_CHANNEL_SEND', `WhatsApp send failed: ${res.status}${code !== undefined ? ` (#${code})` : ''} ${title}`.trim(), {
    retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    details: {
      channel: 'whatsapp',
      status: res.status,
      ...(code !== undefined ? { code } : {}),
      ...(err.error_subcode !== undefined ? { subcode: err.error_subcode } : {}),
      ...(err.fbtrace_id !== undefined ? { fbtraceId: err.fbtrace_id } : {}),
      ...(code === RE_ENGAGEMENT ? { reason: 'window_closed' } : {}),
    },
  });
}

function networkError(err: unknown): AppError {
  const e = err as { name?: unknown; cause?: { code?: unknown } } | null;
  const name = typeof e?.name === 'string' ? e.name : typeof err;
  const code = e?.name === 'TimeoutError' || e?.name === 'AbortError' ? 'TIMEOUT' : typeof e?.cause?.code === 'string' ? e.cause.code : name;
  // Deliberately no `cause`: undici errors can carry request details we do not want in logs.
  return new AppError('ERR_CHANNEL_SEND', `WhatsApp send failed: network error ${code}`, {
    retryable: true,
    details: { channel: 'whatsapp', network: code },
  });
}

export async function sendWhatsappMessage(
  config: WhatsappConfig,
  address: string,
  message: OutboundMessage,
  context: SendContext | undefined,
  opts: SendOptions,
): Promise<SendResult> {
  const now = opts.now();
  const payload = buildPayload(config, address, message, context, now);
  let res: Response;
  try {
    res = await opts.fetch(`${config.graphUrl}/${config.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    throw networkError(err);
  }
  if (!res.ok) throw await toSendError(res, now);
  let body: { messages?: { id?: unknown }[] } | null;
  try {
    body = (await res.json()) as typeof body;
  } catch (err) {
    // Sent, probably, but unconfirmed; a retry risks a duplicate, which beats losing the message.
    throw networkError(err);
  }
  const id = body?.messages?.[0]?.id;
  return typeof id === 'string' ? { externalId: id } : {};
}
