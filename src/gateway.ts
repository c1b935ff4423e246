// Builds the whole gateway from a Config: database, texts, flows, services, adapters, worker and the HTTP app.
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger as PinoLogger } from 'pino';
import { ROOT_DIR, type Config } from './config.ts';
import { createAdapters, type ChannelOverrides } from './channels.ts';
import type { ChannelAdapter } from './core/channel.ts';
import { createEventBus, type EventBus } from './conversations/events.ts';
import { createRepo } from './conversations/repo.ts';
import { ACTIONS } from './conversations/actions.ts';
import { createConversationService, type ConversationService } from './conversations/service.ts';
import { createInboundMedia } from './conversations/media.ts';
import { createIngest } from './conversations/ingest.ts';
import { createUploadGate } from './conversations/upload-gate.ts';
import { createUnlinkedFilePurge, type UnlinkedFilePurge } from './files/purge.ts';
import { scheduleAbandonedIntakePurge } from './privacy/abandoned.ts';
import { storedPath } from './files/uploads.ts';
import fs from 'node:fs/promises';
import { closeDb, openDb, type Db } from './db/client.ts';
import { isOpen, nextOpening } from './dates/working-hours.ts';
import { checkActions, loadFlows } from './flows/loader.ts';
import { buildApp } from './http/app.ts';
import { createAudit, createAuthService, loadSecretKeys, requireOfficer, type Audit, type AuthService } from './auth/index.ts';
import { createI18n } from './i18n/index.ts';
import { classifierForFlows } from './nlu/classifier.ts';
import { storedExamples } from './learning/misses.ts';
import { createOutbox } from './outbound/outbox.ts';
import { createWorker, type Worker } from './outbound/worker.ts';
import { createOutboxStats } from './outbound/stats.ts';
import { migrationChecker } from './db/migrations-state.ts';
import { listenMetrics, type MetricsServer } from './http/ops.ts';
import { createMetrics, type GatewayMetrics } from './ops/metrics.ts';
import { createReadiness } from './ops/ready.ts';
import { createPdfRenderer } from './letters/renderer.ts';
import { loadProfile, profileJson } from './profile/load.ts';
import { readShippedLibrary, seedLibrary } from './inbox/seed.ts';
import { intakeRules } from './applications/intake.ts';
import { registrationProfileOf } from './applications/deps.ts';
import { createAttachments } from './webchat/attachments.ts';
import { incompleteApplication } from './conversations/incomplete-upload.ts';
import { createWebchatSessions } from './webchat/sessions.ts';
import { createPseudonymizer } from './core/pseudonym.ts';
import { createErasure } from './privacy/erase.ts';
import { createRetentionPurge, type RetentionPurge } from './privacy/purge.ts';

export interface GatewayOptions {
  logger?: PinoLogger;
  channels?: ChannelOverrides;
  now?: () => Date;
  /** Outbound worker poll interval (tests use a short one). */
  workerPollMs?: number;
  /** After a crash, how long an in-doubt send waits for the provider's echo of our reference (default 2 min). */
  inDoubtGraceMs?: number;
  /** Waits between download attempts of webhook media (tests use short ones). */
  mediaRetryDelaysMs?: number[];
  /** How soon after listen(), and how often, files linked to nothing are purged (default 1 minute, then 6 hours). */
  purgeIntervalMs?: number;
  /** The inbox live feed's heartbeat, which also re-checks each stream's session (default 20 s; tests shorten it). */
  inboxHeartbeatMs?: number;
  /** On close, how long open HTTP connections may stay before they are dropped (default 3 s). */
  closeGraceMs?: number;
}

export interface Gateway {
  app: FastifyInstance;
  db: Db;
  bus: EventBus;
  worker: Worker;
  conversations: ConversationService;
  adapters: Map<string, ChannelAdapter>;
  auth: AuthService;
  audit: Audit;
  logger: PinoLogger;
  /** The scheduled purge of files linked to nothing (started by listen()). */
  purge: UnlinkedFilePurge;
  /** The daily retention purge (RETENTION_*), started by listen(), caught up at start when a day was missed. */
  retention: RetentionPurge;
  /** This gateway's Prometheus registry and counters. */
  metrics: GatewayMetrics;
  /** Where METRICS_PORT's server listens (http://host:port), once listen() ran; undefined without METRICS_PORT. */
  metricsUrl(): string | undefined;
  /** Listen on HOST:PORT, start long-lived channels and the worker. Returns the bound address. */
  listen(): Promise<string>;
  /** Stop accepting, finish in-flight work, close the database. */
  close(): Promise<void>;
}

export function createLogger(level: Config['logLevel']): PinoLogger {
  return pino({
    level,
    // Tokens and signatures must never reach the logs.
    redact: { paths: ['req.headers.authorization', 'req.headers["x-telegram-bot-api-secret-token"]', 'req.headers["x-hub-signature-256"]', 'req.headers["x-twilio-signature"]', 'token', 'botToken', 'smtpUrl', 'imapUrl', 'pass', 'authToken', 'accessToken'], censor: '[redacted]' },
  });
}

/** The flow every conversation starts in and `menu` returns to; its `intents` table is what the classifier learns. */
const MAIN_FLOW = 'main';

export async function createGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const profile = await loadProfile(config.orgProfile);
  const texts = await createI18n(config.localesDir, { digits: profile.digits });
  // The officer's tools shipped beside the profile (profiles/example.yaml → profiles/example/), on the first start only.
  const shippedLibrary = await readShippedLibrary(config.orgProfile.replace(/\.ya?ml$/i, ''));
  const { flows } = loadFlows(config.flowsDir);
  const unknownActions = checkActions(flows, Object.keys(ACTIONS));
  if (unknownActions.length > 0) throw new Error(`Flows call unknown actions:\n${unknownActions.join('\n')}`);

  const classifier = classifierForFlows(texts.lookup, flows, MAIN_FLOW);
  const db = openDb({ file: config.dbFile, migrationsDir: path.join(ROOT_DIR, 'migrations') });
  seedLibrary(db, shippedLibrary, options.now ?? (() => new Date()));
  // Examples admins added from the misses page are data too: learnt with the locales' own at start-up.
  classifier.learn(storedExamples(db));
  const intentIds = Object.keys(flows.get(MAIN_FLOW)?.intents ?? {});
  const bus = createEventBus();
  const repo = createRepo(db);
  const outbox = createOutbox(db);
  const adapters = createAdapters(config, logger, options.channels);
  const uploadsDir = path.join(config.dataDir, 'uploads');
  const attachments = createAttachments(db, uploadsDir);
  const outboxStats = createOutboxStats(db);
  const metrics = createMetrics({ bus, outbox: () => outboxStats.read(new Date()) });
  const worker = createWorker({
    metrics: metrics.send,
    outbox,
    adapters,
    logger,
    ...(options.workerPollMs ? { pollMs: options.workerPollMs } : {}),
    inDoubtGraceMs: options.inDoubtGraceMs ?? config.inDoubtGraceMs,
    // A file an officer sends: read from DATA_DIR/uploads when the channel needs the bytes.
    readMedia: async (attachmentId) => {
      const row = attachments.get(attachmentId);
      const file = row && storedPath(uploadsDir, row.storagePath);
      if (!row || !file) throw new Error(`attachment ${attachmentId} not found`);
      return { data: await fs.readFile(file), mime: row.mime, ...(row.originalName ? { name: row.originalName } : {}) };
    },
  });
  const media = createInboundMedia({
    db,
    adapters,
    uploadsDir,
    maxBytes: config.uploadMaxBytes,
    minFreeBytes: config.uploads.minFreeBytes,
    documents: profile.required_documents,
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.mediaRetryDelaysMs ? { retryDelaysMs: options.mediaRetryDelaysMs } : {}),
  });
  const secretKeys = loadSecretKeys(config.dataDir, config.secretKey);
  const pseudonym = createPseudonymizer(secretKeys.signing);
  const conversations = createConversationService({
    db,
    repo,
    outbox,
    bus,
    texts,
    flows,
    mainFlow: MAIN_FLOW,
    surveyFlow: 'survey',
    profile: {
      ...(profileJson(profile) as Record<string, never>),
      committee_review_days: profile.committee_review_days,
      declaration_version: profile.declaration_version,
      privacy_notice_version: profile.privacy_notice_version,
      // The privacy notice says how long an unfinished intake is kept (RETENTION_ABANDONED_INTAKE_HOURS).
      retention: { abandoned_intake_hours: config.retention.abandonedIntakeHours },
    },
    documents: profile.required_documents,
    hours: { isOpen: (now) => isOpen(now, profile), nextOpening: (now) => nextOpening(now, profile) },
    adapters,
    defaultLocale: config.defaultLocale,
    logger,
    ...(options.now ? { now: options.now } : {}),
    onOutbox: () => worker.nudge(),
    notifyOrder: config.notifyOrder,
    lookupLimits: config.statusLookups,
    classify: classifier.classify,
    pseudonym,
  });
  const ingest = createIngest({
    conversations,
    media,
    applyDeliveries: (channel, updates) => void outbox.applyDeliveryUpdates(channel, updates, new Date()),
    logger,
  });
  const audit = createAudit(db, options.now ? { now: options.now } : {});
  // Officers may not choose a password made of the charity's name, in either language.
  const charityNames = [profile.names.ar, profile.names.en, profile.short_name.ar, profile.short_name.en];
  if (!config.mfaRequired) logger.warn('MFA_REQUIRED is false: officers can sign in with a password alone. Set MFA_REQUIRED=true (the default) to require the authenticator app.');
  const auth = createAuthService({ db, logger, audit, charityNames, branchIds: profile.branches.map((b) => b.id), secretKeys, mfaRequired: config.mfaRequired, ...(options.now ? { now: options.now } : {}) });
  const sessions = createWebchatSessions(db, { idleDays: config.webchat.tokenIdleDays, maxDays: config.webchat.tokenMaxDays, ...(options.now ? { now: options.now } : {}) });
  const now = options.now ?? (() => new Date());
  const placeholder = (locale: 'ar' | 'en') => texts.t(locale, 'retention.erased_placeholder');
  const erasure = createErasure({ db, pseudonym, placeholder, uploadsDir, legalHold: config.retention.legalHold, secondApproval: config.retention.secondApproval, audit, logger, now });
  const retention = createRetentionPurge({ db, uploadsDir, retention: config.retention, placeholder: placeholder(config.defaultLocale), logger, now });
  const purge = createUnlinkedFilePurge({ db, uploadsDir, retentionDays: config.uploads.unlinkedRetentionDays, logger, ...(options.now ? { now: options.now } : {}) });
  // One Chromium for PDF letters, started on the first letter, closed with the gateway.
  const renderer = createPdfRenderer({ executablePath: config.chromiumPath, logger });
  let running = false;
  const ready = createReadiness({
    db,
    migrations: migrationChecker(path.join(ROOT_DIR, 'migrations')),
    // One instance on SQLite holds every lease: each configured sender's pacing, and each long-lived source.
    leases: () => ({
      mode: 'single',
      held: running
        ? [...[...adapters.keys()].map((id) => `outbox:${id}`), ...[...adapters.values()].filter((a) => a.start).map((a) => `source:${a.id}`)]
        : [],
    }),
  });
  const app = await buildApp({
    ops: { ready, metrics, metricsToken: config.metrics.token },
    conversations,
    sessions,
    bus,
    adapters,
    attachments,
    uploadGate: createUploadGate({ repo, flows, hasIncomplete: (contactId) => incompleteApplication(db, contactId) !== undefined }),
    publicUrl: config.publicUrl,
    apiDocsPublic: config.apiDocsPublic,
    ...(options.now ? { now: options.now } : {}),
    webchat: {
      maxText: config.webchatMaxText,
      uploadMaxBytes: config.uploadMaxBytes,
      ...config.webchat,
      uploadQuota: { perContact: config.uploads.perContact, perNetwork: config.uploads.perNetwork },
      minFreeBytes: config.uploads.minFreeBytes,
    },
    webDir: path.join(ROOT_DIR, 'web'),
    ingest,
    auth,
    audit,
    inbox: {
      conversations,
      db,
      bus,
      guard: requireOfficer,
      audit,
      sessions: auth.sessionWatch,
      ...(options.inboxHeartbeatMs ? { heartbeatMs: options.inboxHeartbeatMs } : {}),
      dataDir: config.dataDir, uploadMaxBytes: config.uploadMaxBytes, minFreeBytes: config.uploads.minFreeBytes, ...(options.now ? { now: options.now } : {}) },
    applications: {
      db,
      texts,
      guard: requireOfficer,
      audit,
      dataDir: config.dataDir,
      uploadMaxBytes: config.uploadMaxBytes,
      intake: intakeRules(flows.get('apply')),
      profile: registrationProfileOf(profile),
      ...(options.now ? { now: options.now } : {}),
    },
    letters: { db, texts, profile, renderer, guard: requireOfficer, audit, dataDir: config.dataDir, minFreeBytes: config.uploads.minFreeBytes, ...(options.now ? { now: options.now } : {}) },
    learning: {
      db,
      guard: requireOfficer,
      intents: intentIds.map((id) => ({ id, label: { ar: texts.t('ar', `intents.label.${id}`), en: texts.t('en', `intents.label.${id}`) } })),
      learn: (example) => classifier.learn([example]),
      ...(options.now ? { now: options.now } : {}),
    },
    privacy: {
      routes: { db, guard: requireOfficer, audit, erasure, texts, uploadsDir, now, renderer, minFreeBytes: config.uploads.minFreeBytes },
      incidents: { db, guard: requireOfficer, audit, now },
    },
    logger,
  });

  const abandonedDeps = { db, hours: config.retention.abandonedIntakeHours, logger, placeholder: texts.t(config.defaultLocale, 'privacy.abandoned') };
  let abandoned: { stop(): void } | undefined;
  let closing: Promise<void> | undefined;
  let metricsServer: MetricsServer | undefined;
  const gateway: Gateway = {
    app,
    db,
    bus,
    worker,
    conversations,
    adapters,
    auth,
    audit,
    logger,
    purge,
    retention,
    metrics,
    metricsUrl() {
      const addr = metricsServer?.address();
      return addr && `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
    },
    async listen() {
      const address = await app.listen({ port: config.port, host: config.host });
      if (config.metrics.port !== undefined) metricsServer = await listenMetrics(metrics, config.metrics.port, config.metrics.host);
      worker.start();
      if (options.purgeIntervalMs) purge.start(options.purgeIntervalMs, options.purgeIntervalMs);
      else purge.start();
      retention.start();
      // Hourly; the lead may fold it into the daily retention scheduler (src/privacy).
      abandoned = scheduleAbandonedIntakePurge(abandonedDeps, options.now ?? (() => new Date()));
      media.resume([...adapters.values()].filter((a) => a.webhook && a.fetchMedia).map((a) => a.id));
      for (const source of adapters.values()) {
        await source.start?.(
          async (event) => {
            try {
              await ingest.event(source, event, 'source');
            } catch (err) {
              logger.error({ channel: source.id, err: err instanceof Error ? err.message : String(err) }, 'inbound event failed');
              throw err;
            }
          },
          (updates) => ingest.deliveries(source.id, updates),
        );
      }
      running = true;
      return address;
    },
    close() {
      closing ??= (async () => {
        // Order matters: no new requests, no new polled events, then let queued sends finish, then close the file.
        // In-flight requests get a few seconds to finish; a connection still held open after that (a client that
        // never read its answer) is dropped, so shutdown never hangs on it.
        const linger = setTimeout(() => app.server.closeAllConnections(), options.closeGraceMs ?? 3000);
        running = false;
        await app.close().finally(() => clearTimeout(linger));
        await metricsServer?.close();
        await renderer.close();
        for (const adapter of adapters.values()) await adapter.stop?.().catch(() => undefined);
        media.stop();
        abandoned?.stop();
        await purge.stop();
        await retention.stop();
        await worker.stop();
        closeDb(db);
      })();
      return closing;
    },
  };
  return gateway;
}
