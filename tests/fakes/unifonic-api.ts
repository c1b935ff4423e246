// A local fake Unifonic REST API (POST /rest/SMS/messages) on 127.0.0.1: records calls, answers like Unifonic, fails on demand.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeLocal, listenLocal } from './local-http.ts';

export interface UnifonicCall {
  form: Record<string, string>;
  contentType: string;
}

/** An HTTP error, or a 200 with success=false (how Unifonic refuses: bad AppSid, sender, number). */
export type UnifonicFailure = { status: number; retryAfter?: string } | { refuse: { errorCode: string; message: string } };

export class FakeUnifonicApi {
  private server: Server | undefined;
  private readonly recorded: UnifonicCall[] = [];
  private readonly failures: UnifonicFailure[] = [];
  private nextId = 41000000000001;

  async start(): Promise<{ apiUrl: string }> {
    const { server, base } = await listenLocal((req, res) => void this.handle(req, res));
    this.server = server;
    return { apiUrl: base };
  }

  async stop(): Promise<void> {
    await closeLocal(this.server);
    this.server = undefined;
  }

  calls(): UnifonicCall[] {
    return [...this.recorded];
  }

  failNext(failure: UnifonicFailure): void {
    this.failures.push(failure);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/rest/SMS/messages') return json(404, { success: false, message: 'Not found', errorCode: 'ER-404', data: null });
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    this.recorded.push({ form, contentType: req.headers['content-type'] ?? '' });
    const failure = this.failures.shift();
    if (failure && 'refuse' in failure) return json(200, { success: false, message: failure.refuse.message, errorCode: failure.refuse.errorCode, data: null });
    if (failure) return json(failure.status, { success: false, message: 'Error', errorCode: `HTTP-${failure.status}`, data: null }, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    json(200, {
      success: true,
      message: '',
      errorCode: 'ER-00',
      data: { MessageID: this.nextId++, CorrelationID: '', Status: 'Sent', NumberOfUnits: 1, Cost: 0.04, Balance: 100, Recipient: Number(form.Recipient), TimeCreated: new Date().toISOString(), CurrencyCode: 'SAR' },
    });
  }
}
