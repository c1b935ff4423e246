// A local fake Twilio REST API (Messages.json) on 127.0.0.1, plus signed inbound/status-callback form builders.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeLocal, listenLocal } from './local-http.ts';
import twilio from 'twilio';

export interface TwilioCall {
  accountSid: string;
  /** Decoded Basic auth, e.g. `AC…:token`; undefined when the header was missing. */
  auth: string | undefined;
  form: Record<string, string>;
  sid: string | undefined;
}

export type TwilioFailure = { status: 429; retryAfter?: string } | { status: number; code: number; message: string } | { status: 500 } | { network: 'reset' };

const PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;

export const sid = (prefix: string): string => prefix + randomBytes(16).toString('hex');

export class FakeTwilioApi {
  private server: Server | undefined;
  private readonly recorded: TwilioCall[] = [];
  private readonly failures: TwilioFailure[] = [];

  constructor(private readonly credentials?: { accountSid: string; authToken: string }) {}

  async start(): Promise<{ apiUrl: string }> {
    const { server, base } = await listenLocal((req, res) => void this.handle(req, res));
    this.server = server;
    return { apiUrl: base };
  }

  async stop(): Promise<void> {
    await closeLocal(this.server);
    this.server = undefined;
  }

  calls(): TwilioCall[] {
    return [...this.recorded];
  }

  failNext(failure: TwilioFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const match = PATH.exec(req.url ?? '');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !match) return json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    const header = req.headers.authorization;
    const auth = header?.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : undefined;
    const call: TwilioCall = { accountSid: match[1] ?? '', auth, form, sid: undefined };
    this.recorded.push(call);
    const c = this.credentials;
    if (c && (auth !== `${c.accountSid}:${c.authToken}` || call.accountSid !== c.accountSid)) {
      return json(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    }
    const failure = this.failures.shift();
    if (failure) {
      if ('network' in failure) return void req.socket.destroy();
      if (failure.status === 429) {
        const retryAfter = 'retryAfter' in failure ? failure.retryAfter : undefined;
        return json(429, { code: 20429, message: 'Too Many Requests', status: 429 }, retryAfter ? { 'retry-after': retryAfter } : {});
      }
      if ('code' in failure) return json(failure.status, { code: failure.code, message: failure.message, more_info: `https://www.twilio.com/docs/errors/${failure.code}`, status: failure.status });
      return json(failure.status, { code: 20500, message: 'Internal Server Error', status: failure.status });
    }
    call.sid = sid('SM');
    json(201, {
      sid: call.sid,
      account_sid: call.accountSid,
      to: form.To,
      from: form.From ?? null,
      messaging_service_sid: form.MessagingServiceSid ?? null,
      body: form.Body,
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      date_created: new Date().toUTCString(),
      uri: `/2010-04-01/Accounts/${call.accountSid}/Messages/${call.sid}.json`,
    });
  }
}

/** An inbound SMS webhook body as Twilio posts it. */
export function inboundSms(o: { from: string; body: string; to?: string; messageSid?: string; accountSid?: string }): Record<string, string> {
  const messageSid = o.messageSid ?? sid('SM');
  return {
    ToCountry: 'US', ToState: 'CA', SmsMessageSid: messageSid, NumMedia: '0', ToCity: '', FromZip: '', SmsSid: messageSid,
    FromState: '', SmsStatus: 'received', FromCity: '', Body: o.body, FromCountry: 'SA', To: o.to ?? '+15005550006',
    ToZip: '', NumSegments: '1', MessageSid: messageSid, AccountSid: o.accountSid ?? `AC${'0'.repeat(32)}`, From: o.from, ApiVersion: '2010-04-01',
  };
}

/** A status callback body for a message we sent. */
export function statusCallback(o: { messageSid: string; status: string; errorCode?: string; to?: string }): Record<string, string> {
  return {
    SmsSid: o.messageSid, SmsStatus: o.status, MessageStatus: o.status, To: o.to ?? '+966551234567', MessageSid: o.messageSid,
    AccountSid: `AC${'0'.repeat(32)}`, From: '+15005550006', ApiVersion: '2010-04-01', ...(o.errorCode ? { ErrorCode: o.errorCode } : {}),
  };
}

export const sign = (authToken: string, url: string, params: Record<string, string>): string => twilio.getExpectedTwilioSignature(authToken, url, params);

/** POSTs a form to `target`, signed for `signedUrl` (the public URL Twilio would have called). */
export function postSigned(target: string, signedUrl: string, params: Record<string, string>, authToken: string, signature?: string | null): Promise<Response> {
  const sig = signature === undefined ? sign(authToken, signedUrl, params) : signature;
  return fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(sig !== null ? { 'x-twilio-signature': sig } : {}) },
    body: new URLSearchParams(params).toString(),
  });
}
