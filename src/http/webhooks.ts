// The webhooks plugin: provider callbacks in their own encapsulated scope, with parsers that keep the raw body
// (signatures are computed over the exact bytes) and read form posts (Twilio). Verified, normalized events go to
// the one ingest(); the rest of the app never sees raw bodies or form parsing.
import querystring from 'node:querystring';
import type { FastifyInstance } from 'fastify';
import type { ChannelAdapter, DeliveryUpdate, WebhookHandler, WebhookRequest } from '../core/channel.ts';
import { AppError } from '../core/errors.ts';
import type { Ingest } from '../conversations/ingest.ts';

export interface WebhookDeps {
  adapters: Iterable<ChannelAdapter>;
  ingest: Ingest;
  /** PUBLIC_URL: the address providers call, for schemes that sign the URL (Twilio). */
  publicUrl: string | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a webhook's body (set only inside the webhooks plugin). */
    rawBody?: Buffer;
  }
}

export async function registerWebhooks(app: FastifyInstance, deps: WebhookDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
      req.rawBody = body;
      if (body.length === 0) return done(null, undefined);
      try {
        done(null, JSON.parse(body.toString('utf8')));
      } catch {
        done(new AppError('ERR_VALIDATION', 'The body is not valid JSON.'), undefined);
      }
    });
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
      req.rawBody = body;
      done(null, querystring.parse(body.toString('utf8')));
    });

    for (const adapter of deps.adapters) {
      for (const hook of [adapter.webhook, ...(adapter.extraWebhooks ?? [])]) if (hook) route(scope, adapter, hook);
    }
  });

  function route(scope: FastifyInstance, adapter: ChannelAdapter, hook: WebhookHandler): void {
    if (hook.handshake) {
      const handshake = hook.handshake.bind(hook);
      scope.get(hook.path, async (req, reply) => {
        const answer = handshake(req.query as Record<string, string | undefined>);
        if (answer === null) throw new AppError('ERR_FORBIDDEN', 'Verification failed.');
        return reply.type('text/plain').send(answer);
      });
    }
    scope.post(hook.path, async (req, reply) => {
      const query = req.query as Record<string, string | undefined>;
      const request: WebhookRequest = {
        headers: req.headers,
        rawBody: req.rawBody ?? Buffer.alloc(0),
        body: req.body,
        url: `${deps.publicUrl ?? `${req.protocol}://${req.host}`}${req.url}`,
        query,
      };
      if (!hook.verify(request)) throw new AppError('ERR_UNAUTHORIZED', 'Webhook signature check failed.');
      let events;
      let updates: DeliveryUpdate[] = [];
      try {
        events = hook.normalize(req.body);
        if (hook.statuses) updates = hook.statuses(req.body, query);
      } catch (err) {
        req.log.warn({ channel: adapter.id, err: err instanceof Error ? err.message : String(err) }, 'webhook payload rejected');
        throw new AppError('ERR_VALIDATION', 'The webhook payload does not have the expected shape.');
      }
      deps.ingest.deliveries(adapter.id, updates);
      // Stored and committed before we answer 200, so a provider retry is the only way to lose nothing.
      for (const event of events) await deps.ingest.event(adapter, event, 'webhook');
      return reply.code(200).send({ ok: true });
    });
  }
}
