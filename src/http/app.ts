// buildApp(deps): the Fastify app — body parsers, error mapping, and every route, with services passed in.
import websocket from '@fastify/websocket';
import { pino } from 'pino';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { ChannelAdapter } from '../core/channel.ts';
import type { EventBus } from '../conversations/events.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { Ingest } from '../conversations/ingest.ts';
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
import { registerLetterRoutes, type LetterRouteDeps } from '../letters/routes.ts';
import { registerLearningRoutes, type LearningDeps } from '../learning/routes.ts';
import { registerPrivacyRoutes, type PrivacyRouteDeps } from '../privacy/routes.ts';
import { registerIncidentRoutes, type IncidentRouteDeps } from '../privacy/incidents.ts';
import { registerCorrectionRoutes } from '../applications/correction.ts';
import { registerPrivacyRequestRoutes } from '../privacy/requests-routes.ts';
import { createChannelStatus } from './channel-status.ts';
import { errorBody, registerBase } from './base.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { adminToolRoutes } from '../api/admin-tools.ts';
import { applySecurityHeaders } from './headers.ts';
import { describeRoutes, registerDocsPages, registerOpenApi } from './openapi.ts';
import { registerStaticRoutes } from './static.ts';
import { registerWebhooks } from './webhooks.ts';
import { registerOps, type OpsDeps } from './ops.ts';

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
  /** The one way in for webhook events and delivery reports. */
  ingest: Ingest;
  /** Officer accounts, sessions and the audit log. */
  auth: AuthService;
  audit: Audit;
  inbox: InboxDeps;
  applications: Omit<ApplicationRouteDeps, 'conversations' | 'logger'>;
  /** Official letters as PDF (download and send); absent in apps built without a renderer. */
  letters?: Omit<LetterRouteDeps, 'conversations' | 'adapters'>;
  /** The misses the bot kept and the examples admins add (learnt without a restart). */
  learning: Omit<LearningDeps, 'audit'>;
  /** The beneficiary's rights (access copy, erasure) and personal-data incidents; absent in apps built without them. */
  privacy?: { routes: Omit<PrivacyRouteDeps, 'conversations' | 'adapters'>; incidents: Omit<IncidentRouteDeps, 'conversations'> };
  /** /health, /ready and /metrics. */
  ops: OpsDeps;
  logger?: FastifyBaseLogger;
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

  await registerBase(app, { https });
  describeRoutes(app);
  await registerOpenApi(app, { cookieName: sessionCookieName(https) });

  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  // On the root app (not a plugin) and before any route, so every route sees req.officer.
  registerAuth(app, {
    auth: deps.auth,
    audit: deps.audit,
    secureCookies: https,
    trustedOrigins: deps.publicUrl ? [new URL(deps.publicUrl).origin] : [],
  });

  await registerOps(app, deps.ops);

  // Which channels run, and for WhatsApp Web its link state and QR code (admins only: the QR pairs a phone).
  const channelStatus = createChannelStatus();
  app.withTypeProvider<ZodTypeProvider>().get('/api/admin/channels', { preValidation: requireOfficer('admin'), schema: adminToolRoutes.channels }, async () => {
    return { channels: await channelStatus.list(deps.adapters.values()) };
  });

  await registerInboxRoutes(app, deps.inbox);
  await registerApplicationRoutes(app, { ...deps.applications, conversations: deps.conversations, logger: app.log, bus: deps.bus });
  if (deps.letters) await registerLetterRoutes(app, { ...deps.letters, conversations: deps.conversations, adapters: deps.adapters });
  await registerLearningRoutes(app, { ...deps.learning, audit: deps.audit });
  registerCorrectionRoutes(app, { ...deps.applications, conversations: deps.conversations, logger: app.log });
  if (deps.privacy) {
    registerPrivacyRoutes(app, { ...deps.privacy.routes, conversations: deps.conversations, adapters: deps.adapters });
    registerIncidentRoutes(app, { ...deps.privacy.incidents, conversations: deps.conversations });
  }
  registerPrivacyRequestRoutes(app, { db: deps.applications.db, guard: requireOfficer, audit: deps.audit, conversations: deps.conversations, ...(deps.now ? { now: deps.now } : {}) });
  await registerReportRoutes(app, { db: deps.applications.db, guard: deps.applications.guard, ...(deps.applications.now ? { now: deps.applications.now } : {}) });

  await registerStaticRoutes(app, { webDir: deps.webDir });
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

  await registerWebhooks(app, { adapters: deps.adapters.values(), ingest: deps.ingest, publicUrl: deps.publicUrl });

  await registerDocsPages(app, { public: deps.apiDocsPublic ?? false, cookieName: sessionCookieName(https) });
  return app;
}

