// SMS outbound: one message through Twilio's or Unifonic's REST API (one POST each), failures mapped to honest
// AppErrors. Twilio's documented Messages resource is called directly: its answer (the message SID, or
// `{ code, message, status }` with Retry-After on 429) is all we need, with no SDK internals in between.
import { AppError } from '../../src/core/errors.ts';
import type { SendResult } from '../../src/core/messages.ts';
import { parseRetryAfter } from '../../src/core/retry-after.ts';
import { TWILIO_DEFAULT_API_URL, type TwilioSettings, type UnifonicSettings } from './config.ts';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** fetch failures: TypeError('fetch failed') with a system code in `cause`, or our timeout signal. */
function networkCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { name?: unknown; code?: unknown; cause?: unknown };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'TIMEOUT';
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  if (e.name === 'TypeError' && e.cause !== undefined) return networkCode(e.cause) ?? 'FETCH_FAILED';
  if (e.cause !== undefined) return networkCode(e.cause);
  return undefined;
}

function httpError(provider: string, status: number, code: string | number | undefined, description: string, retryAfterMs?: number): AppError {
  const retryable = status === 429 || status >= 500;
  return new AppError('ERR_CHANNEL_SEND', `${provider} send failed: ${status}${code !== undefined ? ` (${code})` : ''} ${description}`.trim(), {
    retryable,
    ...(retryable && retryAfterMs !== undefined ? { retryAfterMs } : {}),
    details: { channel: 'sms', provider, status, ...(code !== undefined ? { code } : {}) },
  });
}

/** Maps anything thrown while sending; messages never carry credentials or the request URL. */
export function toSmsSendError(provider: 'twilio' | 'unifonic', err: unknown, retryAfterMs?: number): AppError {
  if (err instanceof AppError) return err;
  const e = err as { status?: unknown; code?: unknown; message?: unknown; detail?: unknown } | null;
  // twilio's RestException / TwilioServiceException: numeric HTTP status, Twilio error code (21211…).
  if (e && typeof e.status === 'number') {
    const code = typeof e.code === 'number' || typeof e.code === 'string' ? e.code : undefined;
    const description = typeof e.detail === 'string' ? e.detail : typeof e.message === 'string' ? e.message : '';
    return httpError(provider, e.status, code, description, retryAfterMs);
  }
  const network = networkCode(err);
  if (network !== undefined) {
    return new AppError('ERR_CHANNEL_SEND', `${provider} send failed: network error ${network}`, {
      retryable: true,
      details: { channel: 'sms', provider, network },
    });
  }
  // Unknown errors are bugs on our side; the same call would fail the same way.
  const name = err instanceof Error ? err.name : typeof err;
  return new AppError('ERR_CHANNEL_SEND', `${provider} send failed: unexpected ${name}`, { details: { channel: 'sms', provider } });
}

interface TwilioReply {
  sid?: string;
  code?: number | string;
  message?: string;
}

/**
 * POST {apiUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json with Basic auth (AccountSid:AuthToken) and the
 * form fields To, Body, From or MessagingServiceSid, StatusCallback; answers 201 `{ sid, status, … }`.
 */
export async function sendViaTwilio(fetchFn: typeof fetch, settings: TwilioSettings, to: string, body: string, statusCallback: string | undefined, timeoutMs: number, now: Date): Promise<SendResult> {
  const base = (settings.apiUrl ?? TWILIO_DEFAULT_API_URL).replace(/(?<!\/)\/+$/, '');
  const form = new URLSearchParams({ To: to, Body: body });
  if (settings.messagingServiceSid) form.set('MessagingServiceSid', settings.messagingServiceSid);
  else form.set('From', settings.from ?? '');
  if (statusCallback) form.set('StatusCallback', statusCallback);
  let res: globalThis.Response;
  let reply: TwilioReply | undefined;
  try {
    res = await fetchFn(`${base}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`,
      },
      body: form.toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    try {
      reply = JSON.parse(text) as TwilioReply;
    } catch {
      // An HTML error page from a proxy: the status says enough.
      reply = undefined;
    }
  } catch (err) {
    throw toSmsSendError('twilio', err);
  }
  if (!res.ok) throw httpError('twilio', res.status, reply?.code, reply?.message ?? '', parseRetryAfter(res.headers.get('retry-after'), now));
  if (typeof reply?.sid !== 'string') throw httpError('twilio', res.status, undefined, 'answered without a message SID', undefined);
  return { externalId: reply.sid };
}

interface UnifonicReply {
  success?: boolean;
  message?: string;
  errorCode?: string;
  data?: { MessageID?: string | number } | null;
}

/**
 * Unifonic's documented send: POST {apiUrl}/rest/SMS/messages, form fields AppSid, SenderID, Recipient
 * (international digits, no + or 00), Body; answers `{ success, message, errorCode, data: { MessageID, Status… } }`.
 */
export async function sendViaUnifonic(fetchFn: typeof fetch, settings: UnifonicSettings, to: string, body: string, timeoutMs: number, now: Date): Promise<SendResult> {
  const form = new URLSearchParams({ AppSid: settings.appSid, SenderID: settings.senderId, Recipient: to.replace(/^\+|^00/, ''), Body: body });
  let res: globalThis.Response;
  let reply: UnifonicReply | undefined;
  try {
    res = await fetchFn(`${settings.apiUrl}/rest/SMS/messages`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    try {
      reply = JSON.parse(text) as UnifonicReply;
    } catch {
      reply = undefined;
    }
  } catch (err) {
    throw toSmsSendError('unifonic', err);
  }
  if (!res.ok) {
    throw httpError('unifonic', res.status, reply?.errorCode, reply?.message ?? '', parseRetryAfter(res.headers.get('retry-after'), now));
  }
  const id = reply?.data?.MessageID;
  if (reply?.success !== true || id === undefined) {
    // A 200 with success=false is a refusal (bad AppSid, unregistered sender, invalid number, no balance).
    throw httpError('unifonic', res.status, reply?.errorCode, reply?.message || 'refused the message');
  }
  return { externalId: String(id) };
}
