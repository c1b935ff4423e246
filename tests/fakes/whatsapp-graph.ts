// A local fake WhatsApp Cloud (Graph) API on 127.0.0.1: records /messages calls, answers like the real API, fails on demand.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeLocal, listenLocal } from './local-http.ts';

export * from './whatsapp-webhooks.ts';

export interface GraphCall {
  method: string;
  path: string;
  /** Whether an Authorization header came at all, and whether it was `Bearer <expected token>`. */
  hasAuthorization: boolean;
  authorized: boolean;
  body: Record<string, unknown>;
}

/** A Graph error (optionally with Retry-After), a bare 5xx, or a dropped connection. */
export type GraphFailure =
  | { status: number; retryAfter?: string; error?: { message: string; type?: string; code: number; error_subcode?: number } }
  | { network: 'reset' };

export interface FakeGraphOptions {
  /** When set, a wrong or missing bearer token gets Graph's 401 (code 190). */
  token?: string;
  /** Accept at most this many messages per rolling second; the rest get 429 with code 130429 (for benchmarks). */
  perSecond?: number;
}

export class FakeWhatsappGraph {
  private server: Server | undefined;
  private base = '';
  private readonly recorded: GraphCall[] = [];
  private readonly failures: GraphFailure[] = [];
  private readonly accepted: number[] = [];
  private nextId = 1;

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
    await closeLocal(this.server);
    this.server = undefined;
  }

  calls(): GraphCall[] {
    return [...this.recorded];
  }

  /** Messages sent to one recipient, in order. */
  sentTo(to: string): GraphCall[] {
    return this.recorded.filter((c) => c.body.to === to);
  }

  /** The next calls fail in order, one failure each. */
  failNext(...failures: GraphFailure[]): void {
    this.failures.push(...failures);
  }

  reset(): void {
    this.recorded.length = 0;
    this.failures.length = 0;
    this.accepted.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return this.reply(res, 400, graphError('(#100) Invalid JSON', 100));
    }
    const auth = req.headers.authorization;
    const authorized = this.options.token === undefined || auth === `Bearer ${this.options.token}`;
    this.recorded.push({ method: req.method ?? '', path: req.url ?? '', hasAuthorization: typeof auth === 'string', authorized, body });

    const failure = this.failures.shift();
    if (failure) {
      if ('network' in failure) return void req.socket.destroy();
      const headers: Record<string, string> = failure.retryAfter !== undefined ? { 'retry-after': failure.retryAfter } : {};
      return this.reply(res, failure.status, failure.error ? { error: { type: 'OAuthException', fbtrace_id: 'AbCdEf123', ...failure.error } } : { error: { message: 'Internal error' } }, headers);
    }
    if (!authorized) return this.reply(res, 401, graphError('Error validating access token', 190, 'OAuthException'));
    if (req.method !== 'POST' || !/^\/v[\d.]+\/\d+\/messages$/.test(req.url ?? '')) {
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
    this.reply(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.${this.nextId++}` }] });
  }

  private reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
}

export function graphError(message: string, code: number, type = 'OAuthException', subcode?: number) {
  return { error: { message, type, code, ...(subcode !== undefined ? { error_subcode: subcode } : {}), fbtrace_id: 'AbCdEf123' } };
}
