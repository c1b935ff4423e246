// Transport: the JSON HTTP calls, uploads over XMLHttpRequest, and the live WebSocket with its fallback.
import { IDLE, RECONNECT_DEFAULTS, step, type LinkEvent, type ReconnectOptions } from './reconnect.ts';
import type { Attachment, Locale, MessageView } from './types.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code = '',
    readonly retryAfter = 0,
  ) {
    super(`HTTP ${status} ${code}`);
  }
}

export interface SendBody {
  text?: string;
  choice?: string;
  clientId: string;
}

/** One history read: the messages, and whether the conversation takes a file now (older servers do not say). */
export interface History {
  messages: MessageView[];
  acceptsUpload?: boolean;
}

export function createApi(base: string, token: () => string | undefined) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    const t = token();
    if (t) headers.Authorization = `Bearer ${t}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(base + path, { method, headers, credentials: 'omit', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new HttpError(0);
    }
    if (!res.ok) {
      const err = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
      throw new HttpError(res.status, err.error?.code, Number(res.headers.get('Retry-After')) || 0);
    }
    return (await res.json()) as T;
  }

  return {
    createSession: (b: { locale: Locale; userId?: string; userHash?: string; phone?: string; phoneHash?: string; exp?: number }) =>
      call<{ token: string; conversationId: string }>('POST', '/api/webchat/sessions', b),
    history: (after: number) => call<History>('GET', `/api/webchat/messages?after=${after}`),
    send: (b: SendBody) => call<{ id: number }>('POST', '/api/webchat/messages', b),
    upload(file: Blob & { name: string }, onProgress: (p: number) => void): Promise<{ id: number; attachment: Attachment }> {
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `${base}/api/webchat/uploads`);
        xhr.setRequestHeader('Authorization', `Bearer ${token() ?? ''}`);
        xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
        xhr.setRequestHeader('X-Filename', encodeURIComponent(file.name));
        xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
        xhr.onload = () => {
          let body: { id?: number; attachment?: Attachment; error?: { code?: string } } = {};
          try {
            body = JSON.parse(xhr.responseText) as typeof body;
          } catch {
            // An empty or non-JSON body leaves the status to speak.
          }
          if (xhr.status >= 200 && xhr.status < 300 && typeof body.id === 'number' && body.attachment) resolve({ id: body.id, attachment: body.attachment });
          else reject(new HttpError(xhr.status, body.error?.code, Number(xhr.getResponseHeader('Retry-After')) || 0));
        };
        xhr.onerror = xhr.ontimeout = () => reject(new HttpError(0));
        xhr.send(file);
      });
    },
  };
}

export type Api = ReturnType<typeof createApi>;

export interface LiveDeps {
  base: string;
  token: () => string | undefined;
  cursor: () => number;
  poll: (after: number) => Promise<History>;
  onMessages: (m: MessageView[]) => void;
  /** Whether the conversation takes a file now, each time the server says so. */
  onState: (acceptsUpload: boolean) => void;
  /** The token was refused (close 4401 or HTTP 401); `expired` when it outlived its time: a new session follows. */
  onUnauthorized: (expired: boolean) => void;
  onMode?: (mode: 'open' | 'waiting' | 'polling') => void;
  random?: () => number;
}

function isView(v: unknown): v is MessageView {
  const m = v as MessageView | null;
  return !!m && typeof m.id === 'number' && (m.direction === 'in' || m.direction === 'out') && typeof m.text === 'string';
}

/** Keeps one socket open; after repeated failures it also polls, and it keeps retrying the socket. */
export function createLive(d: LiveDeps) {
  const o: ReconnectOptions = { ...RECONNECT_DEFAULTS, random: d.random ?? Math.random };
  let state = IDLE;
  let ws: WebSocket | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  const url = d.base.replace(/^http/, 'ws') + '/api/webchat/stream';

  function apply(e: LinkEvent): void {
    const r = step(state, e, o);
    state = r.state;
    if (r.retryInMs !== undefined) {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => {
        apply('retry');
        connect();
      }, r.retryInMs);
    }
    if (state.polling && pollTimer === undefined) pollTimer = setTimeout(pollOnce, 0);
    d.onMode?.(state.mode === 'open' ? 'open' : state.polling ? 'polling' : 'waiting');
  }

  async function pollOnce(): Promise<void> {
    try {
      const h = await d.poll(d.cursor());
      d.onMessages(h.messages);
      if (typeof h.acceptsUpload === 'boolean') d.onState(h.acceptsUpload);
    } catch (e) {
      if (e instanceof HttpError && e.status === 401) {
        pollTimer = undefined;
        return d.onUnauthorized(e.code === 'ERR_TOKEN_EXPIRED');
      }
    }
    pollTimer = state.polling ? setTimeout(pollOnce, o.pollMs) : undefined;
  }

  function connect(): void {
    const token = d.token();
    if (state.mode !== 'connecting') return;
    if (!token) return stop();
    let sock: WebSocket;
    try {
      sock = new WebSocket(url);
    } catch {
      return apply('fail');
    }
    ws = sock;
    // A socket stuck in CONNECTING (some proxies) counts as a failure.
    const guard = setTimeout(() => sock.close(), 10_000);
    sock.onopen = () => {
      clearTimeout(guard);
      // The token travels in the first frame, never in the URL (URLs end up in logs).
      sock.send(JSON.stringify({ token, after: d.cursor(), state: true }));
      apply('open');
    };
    sock.onmessage = (e) => {
      try {
        const v: unknown = JSON.parse(String(e.data));
        const st = v as { type?: unknown; acceptsUpload?: unknown } | null;
        if (st?.type === 'state' && typeof st.acceptsUpload === 'boolean') d.onState(st.acceptsUpload);
        else if (isView(v)) d.onMessages([v]);
      } catch {
        // Not a message frame: ignore.
      }
    };
    sock.onclose = (e) => {
      clearTimeout(guard);
      if (ws !== sock) return;
      ws = undefined;
      if (e.code === 4401) {
        stop();
        return d.onUnauthorized(e.reason === 'token expired');
      }
      apply('fail');
    };
  }

  function stop(): void {
    apply('stop');
    clearTimeout(retryTimer);
    clearTimeout(pollTimer);
    pollTimer = undefined;
    const s = ws;
    ws = undefined;
    s?.close(1000);
  }

  return {
    start(): void {
      if (state.mode !== 'idle') return;
      apply('start');
      connect();
    },
    stop,
    /** Back online or visible again: try the socket now instead of waiting out the back-off. */
    nudge(): void {
      if (state.mode !== 'waiting') return;
      clearTimeout(retryTimer);
      apply('retry');
      connect();
    },
  };
}
