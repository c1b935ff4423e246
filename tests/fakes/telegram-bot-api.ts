// A local fake Telegram Bot API on 127.0.0.1: records calls, answers like the real API, fails on demand.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'telegraf/types';

export * from './telegram-updates.ts';

export interface RecordedCall {
  method: string;
  token: string;
  /** The parameters, whatever the encoding (JSON, urlencoded or multipart); JSON-typed form fields are parsed. */
  body: Record<string, unknown>;
  contentType: string;
}

/** An API error as Telegram returns it, a dropped connection (ECONNRESET), or no answer at all (client timeout). */
export type FakeFailure =
  | { status: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } }
  | { network: 'reset' | 'hang' };

export interface FakeTelegramOptions {
  /** When set, calls with any other token get 401 Unauthorized, like the real API. */
  token?: string;
  /** Cap on how long getUpdates holds an empty long poll, whatever `timeout` the client asked for. */
  maxLongPollMs?: number;
}

const BOT = { id: 7000000001, is_bot: true, first_name: 'Tawasul Test Bot', username: 'tawasul_test_bot' };
// telegraf stringifies these when it falls back to multipart; the real API parses them back.
const JSON_FIELDS = new Set(['reply_markup', 'allowed_updates', 'results', 'entities']);

type Reply = { status: number; body: unknown } | 'reset';
interface Poller { res: ServerResponse; offset: number; limit: number; timer: NodeJS.Timeout }

export class FakeTelegramBotApi {
  private server: Server | undefined;
  private root = '';
  private readonly recorded: RecordedCall[] = [];
  private readonly failures = new Map<string, FakeFailure[]>();
  private readonly listeners = new Set<() => void>();
  private updates: Update[] = [];
  private poller: Poller | undefined;
  private nextMessageId = 100;
  private webhookUrl = '';
  /** Updates below this id were confirmed by a getUpdates offset and will not be returned again. */
  confirmedOffset = 0;

  constructor(private readonly options: FakeTelegramOptions = {}) {}

  async start(): Promise<{ apiRoot: string }> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.root = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return { apiRoot: this.root };
  }

  get apiRoot(): string {
    return this.root;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    if (this.poller) clearTimeout(this.poller.timer);
    this.poller = undefined;
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    // telegraf keeps connections alive; without this close() waits for them to idle out.
    this.server.closeAllConnections();
    await closed;
    this.server = undefined;
  }

  calls(method?: string): RecordedCall[] {
    return method === undefined ? [...this.recorded] : this.recorded.filter((c) => c.method === method);
  }

  /** Resolves with the first call (past or future) of `method` matching `predicate`; rejects after timeoutMs. */
  waitFor(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = 2000): Promise<RecordedCall> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.recorded.find((c) => c.method === method && predicate(c));
        if (!hit) return false;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(hit);
        return true;
      };
      const listener = () => void check();
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`fake Bot API: no matching ${method} call within ${timeoutMs} ms (saw ${this.recorded.map((c) => c.method).join(', ') || 'nothing'})`));
      }, timeoutMs);
      if (!check()) this.listeners.add(listener);
    });
  }

  /** The next `times` calls of `method` fail this way (checked before any other handling). */
  failNext(method: string, failure: FakeFailure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Queues updates for getUpdates; a waiting long poll is answered at once. */
  pushUpdate(...updates: Update[]): void {
    this.updates.push(...updates);
    const p = this.poller;
    if (p && this.pending(p.offset).length > 0) this.answerPoll(p);
  }

  /** Updates not yet confirmed by an offset. */
  pendingUpdates(): Update[] {
    return this.pending(this.confirmedOffset);
  }

  get webhook(): string {
    return this.webhookUrl;
  }

  private pending(offset: number): Update[] {
    return this.updates.filter((u) => u.update_id >= offset);
  }

  private answerPoll(p: Poller): void {
    clearTimeout(p.timer);
    if (this.poller === p) this.poller = undefined;
    send(p.res, { status: 200, body: { ok: true, result: this.pending(p.offset).slice(0, p.limit) } });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const raw = await readBody(req);
    if (req.method !== 'POST' && req.method !== 'GET') return send(res, apiError(405, 'Method Not Allowed'));
    if (!match) return send(res, apiError(404, 'Not Found'));
    const [, token = '', method = ''] = match;
    const contentType = req.headers['content-type'] ?? '';
    const call: RecordedCall = { method, token, body: parseBody(raw, contentType), contentType };
    this.recorded.push(call);
    for (const l of [...this.listeners]) l();

    const failure = this.failures.get(method)?.shift();
    if (failure && 'network' in failure) return failure.network === 'reset' ? send(res, 'reset') : undefined;
    if (failure) return send(res, apiError(failure.status, failure.description, failure.parameters));
    if (this.options.token !== undefined && token !== this.options.token) return send(res, apiError(401, 'Unauthorized'));
    if (method === 'getUpdates') return this.getUpdates(call.body, res);
    send(res, this.answer(method, call.body));
  }

  private getUpdates(body: Record<string, unknown>, res: ServerResponse): void {
    if (this.webhookUrl) {
      return send(res, apiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"));
    }
    // Only one long poll at a time, as on the real API: the older one is told it was replaced.
    if (this.poller) {
      clearTimeout(this.poller.timer);
      send(this.poller.res, apiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
      this.poller = undefined;
    }
    const offset = Number(body.offset ?? 0);
    if (offset > this.confirmedOffset) this.confirmedOffset = offset;
    this.updates = this.pending(this.confirmedOffset);
    const limit = Math.min(Math.max(Number(body.limit ?? 100), 1), 100);
    const waitMs = Math.min(Number(body.timeout ?? 0) * 1000, this.options.maxLongPollMs ?? 1000);
    const poller: Poller = { res, offset: this.confirmedOffset, limit, timer: setTimeout(() => this.answerPoll(poller), waitMs) };
    if (this.pending(poller.offset).length > 0 || waitMs <= 0) return this.answerPoll(poller);
    this.poller = poller;
    res.on('close', () => {
      if (this.poller !== poller) return;
      clearTimeout(poller.timer);
      this.poller = undefined;
    });
  }

  private answer(method: string, body: Record<string, unknown>): Reply {
    switch (method) {
      case 'getMe':
        return ok({ ...BOT, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false });
      case 'sendMessage':
        return this.sendMessage(body);
      case 'sendPhoto':
      case 'sendDocument': {
        // The file must come as a multipart part (the fake records its name and size).
        const file = body[method === 'sendPhoto' ? 'photo' : 'document'] as { filename?: string; size?: number } | undefined;
        if (body.chat_id === undefined || body.chat_id === '') return apiError(400, 'Bad Request: chat_id is empty');
        if (!file || typeof file !== 'object' || !file.size) return apiError(400, 'Bad Request: there is no file in the request');
        return ok({ message_id: this.nextMessageId++, from: BOT, chat: { id: Number(body.chat_id), type: 'private' }, date: Math.floor(Date.now() / 1000) });
      }
      case 'answerCallbackQuery':
        return ok(true);
      case 'deleteWebhook':
        this.webhookUrl = '';
        return ok(true);
      case 'setWebhook': {
        const url = String(body.url ?? '');
        if (url !== '' && !url.startsWith('https://')) return apiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
        if (body.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(body.secret_token))) {
          return apiError(400, 'Bad Request: secret token contains unallowed characters');
        }
        this.webhookUrl = url;
        return ok(true);
      }
      case 'getWebhookInfo':
        return ok({ url: this.webhookUrl, has_custom_certificate: false, pending_update_count: this.pendingUpdates().length });
      default:
        return apiError(404, 'Not Found: method not found');
    }
  }

  private sendMessage(body: Record<string, unknown>): Reply {
    const text = typeof body.text === 'string' ? body.text : '';
    if (body.chat_id === undefined || body.chat_id === '') return apiError(400, 'Bad Request: chat_id is empty');
    if (text.trim() === '') return apiError(400, 'Bad Request: message text is empty');
    if ([...text].length > 4096) return apiError(400, 'Bad Request: message is too long');
    const markup = body.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
    const tooLong = markup?.inline_keyboard?.flat().some((b) => Buffer.byteLength(b.callback_data ?? '') > 64);
    if (tooLong) return apiError(400, 'Bad Request: BUTTON_DATA_INVALID');
    const chatId = /^-?\d+$/.test(String(body.chat_id)) ? Number(body.chat_id) : body.chat_id;
    return ok({
      message_id: this.nextMessageId++,
      from: BOT,
      chat: { id: chatId, first_name: 'Beneficiary', type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(markup ? { reply_markup: markup } : {}),
    });
  }
}

function ok(result: unknown): Reply {
  return { status: 200, body: { ok: true, result } };
}

function apiError(status: number, description: string, parameters?: object): Reply {
  return { status, body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) } };
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply === 'reset') {
    res.socket?.destroy();
    return;
  }
  if (res.writableEnded) return;
  res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function field(name: string, value: string): [string, unknown] {
  if (!JSON_FIELDS.has(name)) return [name, value];
  try {
    return [name, JSON.parse(value)];
  } catch {
    return [name, value];
  }
}

function parseBody(raw: Buffer, contentType: string): Record<string, unknown> {
  if (raw.length === 0) return {};
  if (contentType.startsWith('application/json')) return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries([...new URLSearchParams(raw.toString('utf8'))].map(([k, v]) => field(k, v)));
  }
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!contentType.startsWith('multipart/form-data') || !boundary) return { _raw: raw.toString('utf8') };
  const out: Record<string, unknown> = {};
  for (const part of raw.toString('latin1').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const headers = part.slice(0, split);
    const name = /name="([^"]+)"/.exec(headers)?.[1];
    if (!name) continue;
    const value = Buffer.from(part.slice(split + 4).replace(/\r\n$/, ''), 'latin1');
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    const [key, parsed] = filename === undefined ? field(name, value.toString('utf8')) : [name, { filename, size: value.length }];
    out[key] = parsed;
  }
  return out;
}
