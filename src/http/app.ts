// buildApp(deps): the Fastify app — body parsers, error mapping, and every route, with services passed in.
import querystring from 'node:querystring';
import websocket from '@fastify/websocket';
import { pino } from 'pino';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { ChannelAdapter, DeliveryUpdate, WebhookHandler, WebhookRequest } from '../core/channel.ts';
import { AppError, isAppError, SHOWN_SERVER_ERRORS } from '../core/errors.ts';
import type { EventBus } from '../conversations/events.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { InboundMedia } from '../conversations/media.ts';
import type { UploadGate } from '../conversations/upload-gate.ts';
import type { Attachments } from '../webchat/attachments.ts';
import { registerWebchatRoutes, type WebchatOptions } from '../webchat/routes.ts';
import type { WebchatSessions } from '../webchat/sessions.ts';
import { registerAuth, requireOfficer, type Audit, type AuthService } from '../auth/index.ts';
import { sessionCookieName } from '../auth/cookies.ts';
import type { ApplicationRouteDeps } from '../applications/deps.ts';
import { registerReportRoutes } from '../applications/reports.ts';
import { registerApplicationRoutes } from '../applications/routes.ts';
import { registerInboxRoutes, type InboxDeps } from '../inbox/routes.ts';
import { registerLearningRoutes, type LearningDeps } from '../learning/routes.ts';
import { createChannelStatus } from './channel-status.ts';
import { applySecurityHeaders, registerSecurityHeaders } from './headers.ts';
import { collectRoutes, registerDocsRoutes } from './openapi.ts';
import { registerStaticRoutes } from './static.ts';

export interface AppDeps {
  conversations: ConversationService;
  sessions: WebchatSessions;
  bus: EventBus;
  adapters: ReadonlyMap<string, ChannelAdapter>;
  attachments: Attachments;
  /** Whether a web chat visitor may upload now (a document question, or an officer holds the conversation). */
  uploadGate: UploadGate;
  publicUrl: string | undefined;
  /** API_DOCS_PUBLIC: /docs and /docs/openapi.json without an admin session. */
  apiDocsPublic?: boolean;
  webchat: WebchatOptions;
  /** The gateway's clock (web chat signature expiry and the stream's token end). */
  now?: () => Date;
  /** The project's web/ folder: widget build output and the demo page. */
  webDir: string;
  /** Applies provider delivery reports (monotonic) — the outbox's applyDeliveryUpdates. */
  deliveries: (channel: string, updates: readonly DeliveryUpdate[]) => void;
  /** Provider media of inbound messages, downloaded after the commit (WhatsApp photos, voice notes…). */
  media?: Pick<InboundMedia, 'fetchLater'>;
  /** Officer accounts, sessions and the audit log. */
  auth: AuthService;
  audit: Audit;
  inbox: InboxDeps;
  applications: Omit<ApplicationRouteDeps, 'conversations' | 'logger'>;
  /** The misses the bot kept and the examples admins add (learnt without a restart). */
  learning: Omit<LearningDeps, 'audit'>;
  logger?: FastifyBaseLogger;
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const https = deps.publicUrl?.startsWith('https://') ?? false;
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger ?? pino({ enabled: false }),
    // Bodies are small chat messages; the web chat text limit is enforced separately with a clear 413.
    bodyLimit: 256 * 1024,
    // Request lines would carry the web chat stream's ?token=; we log what matters ourselves.
    logController: new LogController({ disableRequestLogging: true }),
    // X-Forwarded-For is believed only from a proxy on this host or the private network; trusting it from
    // anyone would let a client pick the IP the per-IP rate limits count.
    trustProxy: ['loopback', 'linklocal', 'uniquelocal'],
    // Errors Fastify raises before routing (a malformed URL such as /api/%E0%A4%A, a bad Content-Type header)
    // get the same { error: { code, message } } body as ours.
    frameworkErrors: (err, req, reply: FastifyReply) => {
      applySecurityHeaders(reply, req.url, { https });
      void reply.code(400).send(errorBody('ERR_VALIDATION', err.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid.' : 'The request could not be read.'));
    },
  });

  const routes = collectRoutes(app);
  registerSecurityHeaders(app, { https });

  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
    req.rawBody = body;
    if (body.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(body.toString('utf8')));
    } catch {
      done(new AppError('ERR_VALIDATION', 'The body is not valid JSON.'), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
    req.rawBody = body;
    done(null, querystring.parse(body.toString('utf8')));
  });

  app.setErrorHandler((err, req, reply) => {
    if (isAppError(err)) {
      const status = err.status;
      if (status >= 500) req.log.error({ err }, 'request failed');
      if (status === 429 && err.retryAfterMs !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
      return reply.code(status).send(errorBody(err.code, status < 500 || SHOWN_SERVER_ERRORS.has(err.code) ? err.message : 'Internal error'));
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(errorBody('ERR_PAYLOAD_TOO_LARGE', 'The request body is too large.'));
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send(errorBody('ERR_UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type; send application/json.'));
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).send(errorBody('ERR_VALIDATION', e.message ?? 'Bad request'));
    }
    req.log.error({ err }, 'unexpected error');
    return reply.code(500).send(errorBody('ERR_INTERNAL', 'Internal error'));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorBody('ERR_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`)));

  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  // On the root app (not a plugin) and before any route, so every route sees req.officer.
  registerAuth(app, {
    auth: deps.auth,
    audit: deps.audit,
    secureCookies: https,
    trustedOrigins: deps.publicUrl ? [new URL(deps.publicUrl).origin] : [],
  });

  app.get('/health', async () => ({ status: 'ok' }));

  // Which channels run, and for WhatsApp Web its link state and QR code (admins only: the QR pairs a phone).
  const channelStatus = createChannelStatus();
  app.get('/api/admin/channels', { preHandler: requireOfficer('admin') }, async () => {
    return { channels: await channelStatus.list(deps.adapters.values()) };
  });

  await registerInboxRoutes(app, deps.inbox);
  await registerApplicationRoutes(app, { ...deps.applications, conversations: deps.conversations, logger: app.log });
  await registerLearningRoutes(app, { ...deps.learning, audit: deps.audit });
  await registerReportRoutes(app, { db: deps.applications.db, guard: deps.applications.guard, ...(deps.applications.now ? { now: deps.applications.now } : {}) });

  registerStaticRoutes(app, { webDir: deps.webDir });
  await registerWebchatRoutes(app, {
    ...deps.webchat,
    conversations: deps.conversations,
    sessions: deps.sessions,
    bus: deps.bus,
    attachments: deps.attachments,
    uploadGate: deps.uploadGate,
    publicUrl: deps.publicUrl,
    ...(deps.now ? { now: deps.now } : {}),
  });

  for (const adapter of deps.adapters.values()) {
    for (const hook of [adapter.webhook, ...(adapter.extraWebhooks ?? [])]) if (hook) registerWebhook(adapter, hook);
  }

  function registerWebhook(adapter: ChannelAdapter, hook: WebhookHandler): void {
    if (hook.handshake) {
      const handshake = hook.handshake.bind(hook);
      app.get(hook.path, async (req, reply) => {
        const answer = handshake(req.query as Record<string, string | undefined>);
        if (answer === null) throw new AppError('ERR_FORBIDDEN', 'Verification failed.');
        return reply.type('text/plain').send(answer);
      });
    }
    app.post(hook.path, async (req, reply) => {
      const request: WebhookRequest = {
        headers: req.headers,
        rawBody: req.rawBody ?? Buffer.alloc(0),
        body: req.body,
        url: `${deps.publicUrl ?? `${req.protocol}://${req.host}`}${req.url}`,
        query: req.query as Record<string, string | undefined>,
      };
      if (!hook.verify(request)) throw new AppError('ERR_UNAUTHORIZED', 'Webhook signature check failed.');
      let events;
      let updates: DeliveryUpdate[] = [];
      try {
        events = hook.normalize(req.body);
        if (hook.statuses) updates = hook.statuses(req.body, req.query as Record<string, string | undefined>);
      } catch (err) {
        req.log.warn({ channel: adapter.id, err: err instanceof Error ? err.message : String(err) }, 'webhook payload rejected');
        throw new AppError('ERR_VALIDATION', 'The webhook payload does not have the expected shape.');
      }
      if (updates.length > 0) deps.deliveries(adapter.id, updates);
      // Stored and committed before we answer 200, so a provider retry is the only way to lose nothing.
      for (const event of events) {
        const result = await deps.conversations.receive(event);
        if (!result.duplicate) deps.media?.fetchLater(event, result.messageId);
        if (!result.duplicate && adapter.acknowledge) {
          adapter.acknowledge(event).catch((err: unknown) => req.log.warn({ channel: adapter.id, err: err instanceof Error ? err.message : String(err) }, 'acknowledge failed'));
        }
      }
      return reply.code(200).send({ ok: true });
    });
  }

  registerDocsRoutes(app, routes, { public: deps.apiDocsPublic ?? false, cookieName: sessionCookieName(https) });
  return app;
}

