// SMS outbound: one message through Twilio (real client) or Unifonic (one REST POST), failures mapped to honest AppErrors.
import type { Twilio } from 'twilio';
import { AppError } from '../../src/core/errors.ts';
import type { SendResult } from '../../src/core/messages.ts';
import type { TwilioSettings, UnifonicSettings } from './config.ts';
import { parseRetryAfter, twilioCallContext } from './twilio-http.ts';

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

export async function sendViaTwilio(client: Twilio, settings: TwilioSettings, to: string, body: string, statusCallback: string | undefined): Promise<SendResult> {
  const scratch: { retryAfterMs?: number } = {};
  try {
    const message = await twilioCallContext.run(scratch, () =>
      client.messages.create({
        to,
        body,
        ...(settings.messagingServiceSid ? { messagingServiceSid: settings.messagingServiceSid } : { from: settings.from ?? '' }),
        ...(statusCallback ? { statusCallback } : {}),
      }),
    );
    return { externalId: message.sid };
  } catch (err) {
    throw toSmsSendError('twilio', err, scratch.retryAfterMs);
  }
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
