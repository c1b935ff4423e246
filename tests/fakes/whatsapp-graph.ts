// A local fake WhatsApp Cloud (Graph) API on 127.0.0.1: records /messages and /media calls, serves media like Graph and
// lookaside.fbsbx.com (bearer required on both), answers like the real API, fails on demand, and can echo statuses.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeLocal, listenLocal } from './local-http.ts';
import { signed, waStatus, type WaStatusValue } from './whatsapp-webhooks.ts';

export * from './whatsapp-webhooks.ts';

export interface GraphCall {
  method: string;
  path: string;
  /** Whether an Authorization header came at all, and whether it was `Bearer <expected token>`. */
  hasAuthorization: boolean;
  authorized: boolean;
  /** The JSON body (empty for GETs and multipart uploads; see uploads()). */
  body: Record<string, unknown>;
}

/** A file POSTed to /<phone number id>/media, as Graph received it. */
export interface GraphUpload {
  /** The `messaging_product` and `type` form fields. */
  messagingProduct: string | null;
  mime: string | null;
  /** The file part's filename and bytes. */
  filename: string | null;
  bytes: Buffer;
  authorized: boolean;
  /** The media id answered, which a /messages payload then refers to. */
  id: string;
}

/** A file the fake holds for GET /<media id>; the lies (fileSize, sha256) test the adapter's checks. */
export interface FakeMediaInput {
  data: Buffer;
  mime: string;
  id?: string;
  /** What the metadata claims (the real size by default). */
  fileSize?: number;
  /** What the metadata claims (the real hash, hex, by default); null leaves it out. */
  sha256?: string | null;
  /** Send the download without Content-Length, in small chunks (a server that does not say the size up front). */
  chunked?: boolean;
  /** Send the headers and the first chunk, then nothing (a silent network). */
  stall?: boolean;
  /** The download URL the metadata gives (this fake's own lookaside path by default). */
  downloadUrl?: string;
}

type HeldMedia = Omit<Required<FakeMediaInput>, 'sha256' | 'downloadUrl'> & { sha256: string | null; downloadUrl: string | undefined };

/** A Graph error (optionally with Retry-After), a bare 5xx, or a dropped connection. */
export type GraphFailure =
  | { status: number; retryAfter?: string; error?: { message: string; type?: string; code: number; error_subcode?: number } }
  | { network: 'reset' };

export interface FakeGraphOptions {
  /** When set, a wrong or missing bearer token gets Graph's 401 (code 190), on downloads too. */
  token?: string;
  /** Accept at most this many messages per rolling second; the rest get 429 with code 130429 (for benchmarks). */
  perSecond?: number;
}

const MESSAGES = /^\/v[\d.]+\/\d+\/messages$/;
const UPLOAD = /^\/v[\d.]+\/\d+\/media$/;
const MEDIA = /^\/v[\d.]+\/([A-Za-z0-9_-]+)$/;
const DOWNLOAD = '/whatsapp_business/attachments/';

export class FakeWhatsappGraph {
  private server: Server | undefined;
  private base = '';
  private readonly recorded: GraphCall[] = [];
  private readonly uploaded: GraphUpload[] = [];
  private readonly media = new Map<string, HeldMedia>();
  private statusWebhook: { url: string; appSecret: string } | undefined;
  private readonly failures: GraphFailure[] = [];
  private readonly accepted: number[] = [];
  private readonly echoes: Promise<unknown>[] = [];
  private readonly byWamid = new Map<string, Record<string, unknown>>();
  private nextId = 1;
  private nextMediaId = 1;

  constructor(private readonly options: FakeGraphOptions = {}) {}

  async start(): Promise<{ url: string }> {
    const { server, base } = await listenLocal((req, res) => void this.handle(req, res));
    this.server = server;
    this.base = base;
    return { url: this.base };
  }

  /** The Graph base URL to put in WHATSAPP_GRAPH_URL (a version segment like the real one). */
  get url(): string {
    return `${this.base}/v21.0`;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.echoes);
    await closeLocal(this.server);
    this.server = undefined;
  }

  calls(): GraphCall[] {
    return [...this.recorded];
  }

  /** Messages sent to one recipient, in order (text, interactive buttons and lists, media, templates). */
  sentTo(to: string): GraphCall[] {
    return this.recorded.filter((c) => c.body.to === to);
  }

  uploads(): GraphUpload[] {
    return [...this.uploaded];
  }

  /** Holds a file as if a beneficiary had sent it; returns its media id. */
  addMedia(input: FakeMediaInput): string {
    const id = input.id ?? String(1_000_000_000_000 + this.nextMediaId++);
    const sha256 = input.sha256 === undefined ? createHash('sha256').update(input.data).digest('hex') : input.sha256;
    const { data, mime, fileSize = data.length, chunked = false, stall = false, downloadUrl } = input;
    this.media.set(id, { id, data, mime, fileSize, chunked, stall, sha256, downloadUrl });
    return id;
  }

  /** From now on every accepted message is followed by a signed `sent` status webhook POSTed to `url`, as Meta does. */
  echoStatusesTo(target: { url: string; appSecret: string } | undefined): void {
    this.statusWebhook = target;
  }

  /** A status webhook for a message we accepted, echoing its biz_opaque_callback_data as Meta does. */
  statusFor(wamid: string, status: WaStatusValue): Record<string, unknown> {
    const sent = this.byWamid.get(wamid);
    const reference = typeof sent?.biz_opaque_callback_data === 'string' ? sent.biz_opaque_callback_data : undefined;
    return waStatus({ id: wamid, status, ...(typeof sent?.to === 'string' ? { to: sent.to } : {}), ...(reference !== undefined ? { reference } : {}) });
  }

  /** The next calls fail in order, one failure each. */
  failNext(...failures: GraphFailure[]): void {
    this.failures.push(...failures);
  }

  reset(): void {
    this.recorded.length = 0;
    this.uploaded.length = 0;
    this.failures.length = 0;
    this.accepted.length = 0;
    this.byWamid.clear();
    this.statusWebhook = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const multipart = (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
    let body: Record<string, unknown> = {};
    if (!multipart) {
      try {
        body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return this.reply(res, 400, graphError('(#100) Invalid JSON', 100));
      }
    }
    const auth = req.headers.authorization;
    const authorized = this.options.token === undefined || auth === `Bearer ${this.options.token}`;
    const path = req.url ?? '';
    const call: GraphCall = { method: req.method ?? '', path, hasAuthorization: typeof auth === 'string', authorized, body };
    this.recorded.push(call);

    const failure = this.failures.shift();
    if (failure) {
      if ('network' in failure) return void req.socket.destroy();
      const headers: Record<string, string> = failure.retryAfter !== undefined ? { 'retry-after': failure.retryAfter } : {};
      return this.reply(res, failure.status, failure.error ? { error: { type: 'OAuthException', fbtrace_id: 'AbCdEf123', ...failure.error } } : { error: { message: 'Internal error' } }, headers);
    }
    if (!authorized) return this.reply(res, 401, graphError('Error validating access token', 190, 'OAuthException'));
    const pathname = new URL(path, this.base).pathname;
    if (req.method === 'GET' && pathname === DOWNLOAD) return this.download(new URL(path, this.base).searchParams.get('mid') ?? '', res);
    if (req.method === 'GET' && MEDIA.test(pathname)) return this.metadata(MEDIA.exec(pathname)?.[1] ?? '', res);
    if (req.method === 'POST' && UPLOAD.test(pathname) && multipart) return this.upload(req, raw, authorized, res);
    if (req.method !== 'POST' || !MESSAGES.test(pathname)) {
      return this.reply(res, 400, graphError('Unsupported request', 100));
    }
    if (this.options.perSecond !== undefined) {
      const now = Date.now();
      while (this.accepted.length > 0 && (this.accepted[0] ?? 0) <= now - 1000) this.accepted.shift();
      if (this.accepted.length >= this.options.perSecond) {
        return this.reply(res, 429, graphError('(#130429) Rate limit hit', 130429));
      }
      this.accepted.push(now);
    }
    const to = String(body.to ?? '');
    const wamid = `wamid.${this.nextId++}`;
    this.byWamid.set(wamid, body);
    this.reply(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: wamid }] });
    if (this.statusWebhook) this.echo(this.statusFor(wamid, 'sent'));
  }

  private metadata(id: string, res: ServerResponse): void {
    const m = this.media.get(id);
    // What Graph answers for an unknown or expired media id.
    if (!m) return this.reply(res, 400, graphError(`Unsupported get request. Object with ID '${id}' does not exist`, 100, 'GraphMethodException', 33));
    const url = m.downloadUrl ?? `${this.base}${DOWNLOAD}?mid=${id}&ext=${Math.floor(Date.now() / 1000)}&hash=${randomBytes(8).toString('base64url')}`;
    this.reply(res, 200, { messaging_product: 'whatsapp', url, mime_type: m.mime, ...(m.sha256 !== null ? { sha256: m.sha256 } : {}), file_size: m.fileSize, id });
  }

  private download(id: string, res: ServerResponse): void {
    const m = this.media.get(id);
    if (!m) return void res.writeHead(404).end();
    if (m.stall) {
      res.writeHead(200, { 'content-type': m.mime, 'content-length': String(m.data.length) });
      return void res.write(m.data.subarray(0, 1024));
    }
    if (!m.chunked) {
      res.writeHead(200, { 'content-type': m.mime, 'content-length': String(m.data.length) });
      return void res.end(m.data);
    }
    res.writeHead(200, { 'content-type': m.mime });
    for (let i = 0; i < m.data.length; i += 16 * 1024) res.write(m.data.subarray(i, i + 16 * 1024));
    res.end();
  }

  private async upload(req: IncomingMessage, raw: Buffer, authorized: boolean, res: ServerResponse): Promise<void> {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
    } catch {
      return this.reply(res, 400, graphError('(#100) Invalid multipart body', 100));
    }
    const file = form.get('file');
    const text = (name: string) => (typeof form.get(name) === 'string' ? (form.get(name) as string) : null);
    if (text('messaging_product') !== 'whatsapp' || !(file instanceof Blob)) {
      return this.reply(res, 400, graphError('(#100) The parameter messaging_product and file are required', 100));
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const id = this.addMedia({ data: bytes, mime: text('type') ?? file.type });
    this.uploaded.push({ messagingProduct: text('messaging_product'), mime: text('type'), filename: file instanceof File ? file.name : null, bytes, authorized, id });
    this.reply(res, 200, { id });
  }

  private echo(payload: unknown): void {
    const hook = this.statusWebhook;
    if (!hook) return;
    const { body, signature } = signed(payload, hook.appSecret);
    this.echoes.push(fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body }).catch(() => undefined));
  }

  private reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
}

export function graphError(message: string, code: number, type = 'OAuthException', subcode?: number) {
  return { error: { message, type, code, ...(subcode !== undefined ? { error_subcode: subcode } : {}), fbtrace_id: 'AbCdEf123' } };
}
