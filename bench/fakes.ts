// Bench-local provider fakes: WhatsApp Graph /messages (optionally N per sliding second per number) and Twilio Messages.json.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const GRAPH_MESSAGES = /^\/v[\d.]+\/(\d+)\/messages$/;
const TWILIO_MESSAGES = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** Largest number of times that fall in any window (t - windowMs, t]; `times` sorted ascending. */
export function peakInWindow(times: readonly number[], windowMs = 1000): number {
  let peak = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[lo] ?? Infinity) <= (times[hi] ?? 0) - windowMs) lo++;
    peak = Math.max(peak, hi - lo + 1);
  }
  return peak;
}

export interface GraphStats {
  /** Every POST /messages, accepted or not (performance.now() ms, arrival order). */
  requests: number[];
  /** Arrival times of the messages answered 200. */
  accepted: number[];
  /** Arrival times of the messages answered 429. */
  rejected: number[];
}

/**
 * WhatsApp Cloud API /messages that answers 200 at once, or, with `perSecond`, accepts at most that many messages
 * per phone number id in any sliding 1-second window and answers the rest like Graph does (429, code 130429).
 */
export class BenchGraph {
  private server: Server | undefined;
  private base = '';
  private stats: GraphStats = { requests: [], accepted: [], rejected: [] };
  // Per phone number id: accepted arrival times still inside the window (a queue with a moving head).
  private readonly windows = new Map<string, { times: number[]; head: number }>();
  private nextId = 1;

  constructor(private readonly perSecond?: number) {}

  async start(): Promise<string> {
    const { server, base } = await listen((req, res) => this.handle(req, res));
    this.server = server;
    this.base = base;
    return `${this.base}/v21.0`;
  }

  /** Stats since the last reset, and start counting afresh. */
  take(): GraphStats {
    const out = this.stats;
    this.stats = { requests: [], accepted: [], rejected: [] };
    return out;
  }

  peek(): Readonly<GraphStats> {
    return this.stats;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    // Stamped on arrival, before the body: the time a rate limiter in front of Graph would see.
    const at = performance.now();
    req.resume();
    req.on('end', () => {
      const match = req.method === 'POST' ? GRAPH_MESSAGES.exec(req.url ?? '') : null;
      if (!match?.[1]) return json(res, 400, { error: { message: 'Unsupported request', type: 'OAuthException', code: 100 } });
      this.stats.requests.push(at);
      if (this.perSecond !== undefined && !this.admit(match[1], at)) {
        this.stats.rejected.push(at);
        return json(res, 429, { error: { message: 'Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: 'BenchTrace' } });
      }
      this.stats.accepted.push(at);
      json(res, 200, { messaging_product: 'whatsapp', contacts: [], messages: [{ id: `wamid.bench.${this.nextId++}` }] });
    });
  }

  private admit(phoneNumberId: string, at: number): boolean {
    let w = this.windows.get(phoneNumberId);
    if (!w) {
      w = { times: [], head: 0 };
      this.windows.set(phoneNumberId, w);
    }
    while (w.head < w.times.length && (w.times[w.head] ?? 0) <= at - 1000) w.head++;
    if (w.head > 4096) {
      w.times = w.times.slice(w.head);
      w.head = 0;
    }
    if (w.times.length - w.head >= (this.perSecond ?? Infinity)) return false;
    w.times.push(at);
    return true;
  }
}

/** Twilio REST Messages.json that accepts every message at once (201 with a fresh SM sid). */
export class BenchTwilio {
  private server: Server | undefined;
  private nextId = 1;
  /** Arrival times (performance.now() ms) of the messages accepted. */
  readonly arrivals: number[] = [];

  get received(): number {
    return this.arrivals.length;
  }

  async start(): Promise<string> {
    const { server, base } = await listen((req, res) => this.handle(req, res));
    this.server = server;
    return base;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const at = performance.now();
    req.resume();
    req.on('end', () => {
      const match = req.method === 'POST' ? TWILIO_MESSAGES.exec(req.url ?? '') : null;
      if (!match) return json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      this.arrivals.push(at);
      const sid = `SM${(this.nextId++).toString(16).padStart(32, '0')}`;
      json(res, 201, { sid, account_sid: match[1], status: 'queued', num_segments: '1', direction: 'outbound-api', uri: `/2010-04-01/Accounts/${match[1]}/Messages/${sid}.json` });
    });
  }
}
