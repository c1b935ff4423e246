// A fetch-based twilio.RequestClient: lets the real twilio client talk to TWILIO_API_URL and exposes Retry-After.
import { AsyncLocalStorage } from 'node:async_hooks';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as TwilioResponse from 'twilio/lib/http/response.js';

export const TWILIO_API_ORIGIN = 'https://api.twilio.com';

/** Per-send scratch space: the client has no way to hand response headers to the caller, so 429's Retry-After lands here. */
export const twilioCallContext = new AsyncLocalStorage<{ retryAfterMs?: number }>();

// Hop-by-hop headers that fetch (undici) refuses or manages itself.
const DROPPED = new Set(['connection', 'keep-alive', 'content-length', 'host', 'transfer-encoding']);

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date = new Date()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function form(data: object): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(data)) {
    // qs with arrayFormat 'repeat', as the stock client encodes; undefined fields are left out.
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined && v !== null) params.append(key, String(v));
  }
  return params;
}

export interface FetchTwilioOptions {
  /** Replaces https://api.twilio.com; undefined keeps Twilio's own hosts. */
  apiUrl?: string;
  fetch?: typeof fetch;
  /** Bound on each request so a silent network cannot stall the outbound worker (default 15 s). */
  timeoutMs?: number;
}

export class FetchTwilioHttpClient extends twilio.RequestClient {
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: FetchTwilioOptions = {}) {
    super();
    this.fetchFn = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioResponse.default<TData>> {
    const base = this.options.apiUrl;
    let uri = opts.uri;
    if (base && uri.startsWith(TWILIO_API_ORIGIN)) uri = base.replace(/(?<!\/)\/+$/, '') + uri.slice(TWILIO_API_ORIGIN.length);
    const url = new URL(uri);
    if (opts.params) for (const [k, v] of form(opts.params)) url.searchParams.append(k, v);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (!DROPPED.has(k.toLowerCase()) && v !== undefined) headers[k] = String(v);
    if (opts.username && opts.password) headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    else if (opts.authStrategy) headers.Authorization = await opts.authStrategy.getAuthString();
    const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    let body: string | undefined;
    if (opts.data) body = contentType === 'application/json' ? JSON.stringify(opts.data) : form(opts.data).toString();
    const res = await this.fetchFn(url, {
      method: opts.method.toUpperCase(),
      headers,
      ...(body !== undefined ? { body } : {}),
      redirect: opts.allowRedirects ? 'follow' : 'manual',
      signal: AbortSignal.timeout(opts.timeout ?? this.timeoutMs),
    });
    const text = await res.text();
    if (res.status === 429) {
      const store = twilioCallContext.getStore();
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      if (store && retryAfterMs !== undefined) store.retryAfterMs = retryAfterMs;
    }
    let parsed: unknown = text;
    try {
      parsed = text === '' ? text : JSON.parse(text);
    } catch {
      // Non-JSON (an HTML error page from a proxy): the client builds its exception from the status.
    }
    const responseHeaders: Record<string, string> = {};
    res.headers.forEach((value, key) => void (responseHeaders[key] = value));
    // The stock client also returns this plain shape, not a Response instance.
    return { statusCode: res.status, body: parsed, headers: responseHeaders } as unknown as TwilioResponse.default<TData>;
  }
}
