// Graph API failures → honest AppErrors (retryable or not), shared by sends, media uploads and media downloads.
import { AppError } from '../../src/core/errors.ts';
import { parseRetryAfter } from '../../src/core/retry-after.ts';

// 130429 throughput, 131056 pair rate (one business → one user), 80007 WABA rate limit.
const RATE_CODES = new Set([130429, 131056, 80007]);
const PAIR_RATE = 131056;
const RE_ENGAGEMENT = 131047;

/** What failed, at the start of every message: an operator reading the dead letters sees which call it was. */
export type GraphAction = 'WhatsApp send failed' | 'WhatsApp media upload failed' | 'WhatsApp media download failed';

export interface GraphOptions {
  fetch: typeof fetch;
  now: () => Date;
  /** Bound on each Graph call (and on reading a media download's body). */
  timeoutMs: number;
}

interface GraphError {
  message?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  fbtrace_id?: string;
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
export async function toSendError(res: Response, now: Date, action: GraphAction = 'WhatsApp send failed'): Promise<AppError> {
  const err = await graphError(res);
  const code = typeof err.code === 'number' ? err.code : undefined;
  const rateLimited = res.status === 429 || (code !== undefined && RATE_CODES.has(code));
  const retryable = rateLimited || res.status >= 500 || err.is_transient === true;
  const title = typeof err.message === 'string' ? err.message.slice(0, 300) : res.statusText;
  const retryAfterMs = rateLimited ? (parseRetryAfter(res.headers.get('retry-after'), now) ?? (code === PAIR_RATE ? 6000 : 1000)) : undefined;
  return new AppError('ERR_CHANNEL_SEND', `${action}: ${res.status}${code !== undefined ? ` (#${code})` : ''} ${title}`.trim(), {
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

export function networkError(err: unknown, action: GraphAction = 'WhatsApp send failed'): AppError {
  const e = err as { name?: unknown; cause?: { code?: unknown } } | null;
  const name = typeof e?.name === 'string' ? e.name : typeof err;
  const code = e?.name === 'TimeoutError' || e?.name === 'AbortError' ? 'TIMEOUT' : typeof e?.cause?.code === 'string' ? e.cause.code : name;
  // Deliberately no `cause`: undici errors can carry request details we do not want in logs.
  return new AppError('ERR_CHANNEL_SEND', `${action}: network error ${code}`, {
    retryable: true,
    details: { channel: 'whatsapp', network: code },
  });
}

/** A refusal decided before or instead of calling Graph: never worth retrying. */
export function permanent(message: string, reason: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('ERR_CHANNEL_SEND', message, { retryable: false, details: { channel: 'whatsapp', reason, ...extra } });
}

/** POST JSON or form data to Graph with the bearer token; network failures become retryable AppErrors. */
export async function graphPost(url: string, token: string, body: string | FormData, opts: GraphOptions, action: GraphAction): Promise<unknown> {
  let res: Response;
  try {
    res = await opts.fetch(url, {
      method: 'POST',
      // fetch sets the multipart boundary itself for FormData.
      headers: { authorization: `Bearer ${token}`, ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}) },
      body,
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    throw networkError(err, action);
  }
  if (!res.ok) throw await toSendError(res, opts.now(), action);
  try {
    return (await res.json()) as unknown;
  } catch (err) {
    // Done, probably, but unconfirmed; a retry risks a duplicate, which beats losing the message.
    throw networkError(err, action);
  }
}
