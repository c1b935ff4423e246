// The only reader of process.env: every setting, validated by zod; bad settings stop start-up, all listed at once.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CHANNEL_IDS, DEFAULT_NOTIFY_ORDER, type ChannelId } from './core/messages.ts';
import { telegramConfigFromEnv, type TelegramConfig } from '../channels/telegram/config.ts';
import { smsConfigFromEnv, type SmsConfig } from '../channels/sms/config.ts';
import { emailConfigFromEnv, type EmailConfig } from '../channels/email/config.ts';
import { whatsappConfigFromEnv, type WhatsappConfig } from '../channels/whatsapp/config.ts';
import { whatsappWebConfigFromEnv, type WhatsappWebConfig } from '../channels/whatsapp-web/config.ts';

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** "https://Charity.example.org/" → "https://charity.example.org"; undefined when it is not a bare http(s) origin. */
function toOrigin(entry: string): string | undefined {
  if (!/^https?:\/\/[^/?#\s]+\/?$/i.test(entry)) return undefined;
  try {
    return new URL(entry).origin;
  } catch {
    return undefined;
  }
}

const baseSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://chat.example.org' })
    .optional(),
  ORG_PROFILE: z.string().min(1).default('profiles/example.yaml'),
  DEFAULT_LOCALE: z.enum(['ar', 'en']).default('ar'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  FLOWS_DIR: z.string().min(1).default('flows'),
  LOCALES_DIR: z.string().min(1).default('locales'),
  WEBCHAT_MAX_TEXT: z.coerce.number().int().min(100).max(20000).default(4000),
  WEBCHAT_ALLOWED_ORIGINS: z
    .string()
    .transform((value, ctx): string[] | '*' => {
      const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
      if (entries.includes('*')) {
        if (entries.length > 1) ctx.addIssue({ code: 'custom', message: '"*" (any origin, for development) cannot be combined with other origins' });
        return '*';
      }
      const origins: string[] = [];
      for (const entry of entries) {
        const origin = toOrigin(entry);
        if (origin) origins.push(origin);
        else ctx.addIssue({ code: 'custom', message: `"${entry}" is not an origin like https://charity.example.org (scheme and host, optional port, no path)` });
      }
      return origins;
    })
    .default([]),
  WEBCHAT_IDENTITY_SECRET: z.string().min(16, 'must be at least 16 characters (e.g. the output of `openssl rand -hex 32`)').optional(),
  // Chat messages and uploads per minute per web chat token.
  WEBCHAT_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(30),
  // Web chat API requests per minute per client IP.
  WEBCHAT_IP_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000_000).default(300),
  // New web chat sessions per hour per client IP.
  WEBCHAT_SESSION_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(60),
  // Open web chat WebSockets per chat token (a few tabs) and per client network (an office or a carrier NAT).
  WEBCHAT_WS_PER_TOKEN: z.coerce.number().int().min(1).max(100).default(3),
  WEBCHAT_WS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(200),
  // A web chat token dies after this many days without use, and this many days after it was made.
  WEBCHAT_TOKEN_IDLE_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  WEBCHAT_TOKEN_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Application status lookups per hour per conversation's identity, and per client network (web chat: IPv4 address or IPv6 /64).
  STATUS_LOOKUP_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(5),
  STATUS_LOOKUP_IP_LIMIT: z.coerce.number().int().min(1).max(100_000_000).default(30),
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(MAX_UPLOAD_BYTES, 'must be at most 26214400 (25 MiB)').default(5 * 1024 * 1024),
  // No file is stored while DATA_DIR's disk has less free space than this (0 turns the check off).
  UPLOAD_MIN_FREE_MB: z.coerce.number().int().min(0).max(100_000_000).default(512),
  // Web chat uploads per day: per beneficiary, and per client network.
  UPLOAD_QUOTA_FILES_PER_DAY: z.coerce.number().int().min(1).max(1_000_000).default(20),
  UPLOAD_QUOTA_MB_PER_DAY: z.coerce.number().int().min(1).max(10_000_000).default(50),
  UPLOAD_IP_QUOTA_FILES_PER_DAY: z.coerce.number().int().min(1).max(10_000_000).default(200),
  UPLOAD_IP_QUOTA_MB_PER_DAY: z.coerce.number().int().min(1).max(100_000_000).default(500),
  // Files no message or application refers to are deleted this many days after they were stored.
  RETENTION_UNLINKED_FILES_DAYS: z.coerce.number().int().min(1).max(3650).default(3),
  // Conversations closed longer than this are deleted with their messages (the daily retention purge).
  RETENTION_MESSAGES_DAYS: z.coerce.number().int().min(1).max(36500).default(730),
  // Closed, rejected or delivered applications are anonymised this long after their last change.
  RETENTION_CLOSED_APPLICATIONS_DAYS: z.coerce.number().int().min(1).max(36500).default(1825),
  // Audit log entries older than this are deleted.
  RETENTION_AUDIT_DAYS: z.coerce.number().int().min(1).max(36500).default(1825),
  // Decided applications keep their non-identifying fields (status, dates, amounts, decision) when erased or expired.
  RETENTION_LEGAL_HOLD: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1')
    .default(true),
  // An erasure asked by one admin waits for a second admin's confirmation (four eyes).
  ERASURE_SECOND_APPROVAL: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1')
    .default(true),
  // An application intake left half-way keeps its answers (and the messages that carried them) this many hours.
  RETENTION_ABANDONED_INTAKE_HOURS: z.coerce.number().int().min(1).max(8760).default(72),
  // A loose check on purpose: z.email() refuses the default admin@localhost.
  ADMIN_EMAIL: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address').optional(),
  // The first admin's display name, as officers and the audit log show it.
  ADMIN_NAME: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters').optional(),
  // /docs and /docs/openapi.json for anyone (true) or admins only (the default): the route map helps an attacker.
  API_DOCS_PUBLIC: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1')
    .default(false),
  // A second factor (authenticator app, TOTP) for every officer; false lets officers without one in (warned at start).
  MFA_REQUIRED: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1')
    .default(true),
  // Encrypts TOTP secrets at rest and signs the known-device cookie; unset = DATA_DIR/server.key, made at first start.
  SECRET_KEY: z.string().min(32, 'must be at least 32 characters (e.g. the output of `openssl rand -hex 32`)').optional(),
  // The Chromium that renders PDF letters (and that whatsapp-web.js drives when WHATSAPP_WEB_ENABLED).
  CHROMIUM_PATH: z
    .string()
    .refine((p) => path.isAbsolute(p), 'must be an absolute path to the Chromium binary (e.g. /usr/bin/chromium)')
    .default('/usr/bin/chromium'),
  // GET /metrics on the main port with `Authorization: Bearer <token>`; unset, the main port answers 404 there.
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. the output of `openssl rand -hex 32`)').optional(),
  // /metrics without a token on a port of its own (0 = any free port), bound to METRICS_HOST.
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000),
  // After a crash, how long a send that may have reached WhatsApp/Twilio waits for their echo of our reference.
  OUTBOX_IN_DOUBT_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(120_000),
  // Notifications: after the preferred and the last-used channel, try these in order (the next when one refuses).
  NOTIFY_CHANNEL_ORDER: z
    .string()
    .transform((value, ctx): ChannelId[] => {
      const ids = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
      const bad = ids.filter((id) => !(CHANNEL_IDS as readonly string[]).includes(id));
      if (bad.length > 0 || ids.length === 0) ctx.addIssue({ code: 'custom', message: `must be channel ids separated by commas, from: ${CHANNEL_IDS.join(', ')}${bad.length ? ` (unknown: ${bad.join(', ')})` : ''}` });
      return [...new Set(ids)] as ChannelId[];
    })
    .default([...DEFAULT_NOTIFY_ORDER]),
});

export interface Config {
  /** Channel order for notifications after the preferred and last-used ones. */
  notifyOrder: ChannelId[];
  /** OUTBOX_IN_DOUBT_GRACE_MS. */
  inDoubtGraceMs: number;
  port: number;
  host: string;
  dataDir: string;
  dbFile: string;
  publicUrl: string | undefined;
  orgProfile: string;
  defaultLocale: 'ar' | 'en';
  logLevel: (typeof LOG_LEVELS)[number];
  flowsDir: string;
  localesDir: string;
  webchatMaxText: number;
  webchat: WebchatConfig;
  /** Status lookups allowed per hour per identity and per client network. */
  statusLookups: { perIdentity: number; perIp: number };
  /** Largest accepted upload, in bytes. */
  uploadMaxBytes: number;
  uploads: UploadsConfig;
  retention: RetentionConfig;
  shutdownTimeoutMs: number;
  /** METRICS_TOKEN, METRICS_PORT (undefined: no separate port) and METRICS_HOST. */
  metrics: { token: string | undefined; port: number | undefined; host: string };
  /** CHROMIUM_PATH: the browser that prints PDF letters. */
  chromiumPath: string;
  adminEmail: string | undefined;
  /** ADMIN_NAME: the first admin's display name. */
  adminName: string | undefined;
  /** API_DOCS_PUBLIC: /docs without an admin session. */
  apiDocsPublic: boolean;
  /** MFA_REQUIRED: officers must set up TOTP before anything else. */
  mfaRequired: boolean;
  /** SECRET_KEY; undefined = the key file DATA_DIR/server.key. */
  secretKey: string | undefined;
  telegram: TelegramConfig | null;
  sms: SmsConfig | null;
  email: EmailConfig | null;
  whatsapp: WhatsappConfig | null;
  whatsappWeb: WhatsappWebConfig | null;
}

export interface WebchatConfig {
  /** Extra origins allowed to call the web chat API ('*' = any, for development); the gateway's own origin is always allowed. */
  allowedOrigins: string[] | '*';
  /** HMAC-SHA256 key for identity verification; undefined = verification unavailable. */
  identitySecret: string | undefined;
  /** Messages and uploads per minute per token. */
  tokenRateLimit: number;
  /** Web chat API requests per minute per IP. */
  ipRateLimit: number;
  /** New sessions per hour per IP. */
  sessionRateLimit: number;
  /** Open WebSockets per token and per client network. */
  wsPerToken: number;
  wsPerIp: number;
  /** Token expiry: days without use, and days since it was made. */
  tokenIdleDays: number;
  tokenMaxDays: number;
}

export interface RetentionConfig {
  /** RETENTION_MESSAGES_DAYS, RETENTION_CLOSED_APPLICATIONS_DAYS, RETENTION_AUDIT_DAYS. */
  messagesDays: number;
  closedApplicationsDays: number;
  auditDays: number;
  /** RETENTION_LEGAL_HOLD. */
  legalHold: boolean;
  /** ERASURE_SECOND_APPROVAL. */
  secondApproval: boolean;
  /** RETENTION_ABANDONED_INTAKE_HOURS: an unfinished intake's answers and messages are deleted after this. */
  abandonedIntakeHours: number;
}

export interface DailyAllowance {
  files: number;
  bytes: number;
}

export interface UploadsConfig {
  /** UPLOAD_MIN_FREE_MB in bytes; 0 = no check. */
  minFreeBytes: number;
  /** Web chat uploads per day per beneficiary and per client network. */
  perContact: DailyAllowance;
  perNetwork: DailyAllowance;
  /** RETENTION_UNLINKED_FILES_DAYS. */
  unlinkedRetentionDays: number;
}

export interface RetentionConfig {
  /** RETENTION_ABANDONED_INTAKE_HOURS: answers of an intake left half-way are deleted after this. */
  abandonedIntakeHours: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const MIB = 1024 * 1024;

/** Settings that are each valid alone but contradict one another. */
function crossChecks(b: z.infer<typeof baseSchema>): string[] {
  const problems: string[] = [];
  if (b.WEBCHAT_TOKEN_IDLE_DAYS > b.WEBCHAT_TOKEN_MAX_DAYS) problems.push('WEBCHAT_TOKEN_IDLE_DAYS: must not be more than WEBCHAT_TOKEN_MAX_DAYS');
  for (const name of ['UPLOAD_QUOTA_MB_PER_DAY', 'UPLOAD_IP_QUOTA_MB_PER_DAY'] as const) {
    if (b[name] * MIB < b.UPLOAD_MAX_BYTES) problems.push(`${name}: must allow at least one file of UPLOAD_MAX_BYTES (${(b.UPLOAD_MAX_BYTES / MIB).toFixed(1)} MiB)`);
  }
  return problems;
}

function resolveFromRoot(p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(ROOT_DIR, p);
}

/** Parse settings from an env-like object; throws ConfigError listing every problem. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings are treated as unset, so `FOO=` in a .env file means "use the default".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const problems: string[] = [];
  const base = baseSchema.safeParse(cleaned);
  if (!base.success) {
    for (const issue of base.error.issues) problems.push(`${issue.path.join('.') || '(env)'}: ${issue.message}`);
  }
  const telegram = telegramConfigFromEnv({ ...cleaned, PUBLIC_URL: cleaned.PUBLIC_URL });
  if (telegram && !telegram.success) problems.push(...telegram.problems);
  const sms = smsConfigFromEnv({ ...cleaned, PUBLIC_URL: cleaned.PUBLIC_URL });
  if (sms && !sms.success) problems.push(...sms.problems);
  const email = emailConfigFromEnv(cleaned);
  if (email && !email.success) problems.push(...email.problems);
  const whatsapp = whatsappConfigFromEnv(cleaned);
  if (whatsapp && !whatsapp.success) problems.push(...whatsapp.problems);
  const whatsappWeb = whatsappWebConfigFromEnv({ ...cleaned, DATA_DIR: resolveFromRoot(cleaned.DATA_DIR ?? './data') });
  if (whatsappWeb && !whatsappWeb.success) problems.push(...whatsappWeb.problems);
  if (base.success) problems.push(...crossChecks(base.data));
  if (problems.length > 0 || !base.success) throw new ConfigError(problems);
  const b = base.data;
  const dataDir = resolveFromRoot(b.DATA_DIR);
  return {
    port: b.PORT,
    host: b.HOST,
    dataDir,
    dbFile: path.join(dataDir, 'tawasul.sqlite'),
    publicUrl: b.PUBLIC_URL?.replace(/(?<!\/)\/+$/, ''),
    orgProfile: resolveFromRoot(b.ORG_PROFILE),
    defaultLocale: b.DEFAULT_LOCALE,
    logLevel: b.LOG_LEVEL,
    flowsDir: resolveFromRoot(b.FLOWS_DIR),
    localesDir: resolveFromRoot(b.LOCALES_DIR),
    webchatMaxText: b.WEBCHAT_MAX_TEXT,
    webchat: {
      allowedOrigins: b.WEBCHAT_ALLOWED_ORIGINS,
      identitySecret: b.WEBCHAT_IDENTITY_SECRET,
      tokenRateLimit: b.WEBCHAT_RATE_LIMIT,
      ipRateLimit: b.WEBCHAT_IP_RATE_LIMIT,
      sessionRateLimit: b.WEBCHAT_SESSION_RATE_LIMIT,
      wsPerToken: b.WEBCHAT_WS_PER_TOKEN,
      wsPerIp: b.WEBCHAT_WS_PER_IP,
      tokenIdleDays: b.WEBCHAT_TOKEN_IDLE_DAYS,
      tokenMaxDays: b.WEBCHAT_TOKEN_MAX_DAYS,
    },
    statusLookups: { perIdentity: b.STATUS_LOOKUP_LIMIT, perIp: b.STATUS_LOOKUP_IP_LIMIT },
    uploadMaxBytes: b.UPLOAD_MAX_BYTES,
    uploads: {
      minFreeBytes: b.UPLOAD_MIN_FREE_MB * MIB,
      perContact: { files: b.UPLOAD_QUOTA_FILES_PER_DAY, bytes: b.UPLOAD_QUOTA_MB_PER_DAY * MIB },
      perNetwork: { files: b.UPLOAD_IP_QUOTA_FILES_PER_DAY, bytes: b.UPLOAD_IP_QUOTA_MB_PER_DAY * MIB },
      unlinkedRetentionDays: b.RETENTION_UNLINKED_FILES_DAYS,
    },
    retention: {
      messagesDays: b.RETENTION_MESSAGES_DAYS,
      closedApplicationsDays: b.RETENTION_CLOSED_APPLICATIONS_DAYS,
      auditDays: b.RETENTION_AUDIT_DAYS,
      legalHold: b.RETENTION_LEGAL_HOLD,
      secondApproval: b.ERASURE_SECOND_APPROVAL,
      abandonedIntakeHours: b.RETENTION_ABANDONED_INTAKE_HOURS,
    },
    shutdownTimeoutMs: b.SHUTDOWN_TIMEOUT_MS,
    metrics: { token: b.METRICS_TOKEN, port: b.METRICS_PORT, host: b.METRICS_HOST },
    chromiumPath: b.CHROMIUM_PATH,
    notifyOrder: b.NOTIFY_CHANNEL_ORDER,
    inDoubtGraceMs: b.OUTBOX_IN_DOUBT_GRACE_MS,
    adminEmail: b.ADMIN_EMAIL,
    adminName: b.ADMIN_NAME,
    apiDocsPublic: b.API_DOCS_PUBLIC,
    mfaRequired: b.MFA_REQUIRED,
    secretKey: b.SECRET_KEY,
    telegram: telegram?.success ? telegram.config : null,
    sms: sms?.success ? sms.config : null,
    email: email?.success ? email.config : null,
    whatsapp: whatsapp?.success ? whatsapp.config : null,
    whatsappWeb: whatsappWeb?.success ? whatsappWeb.config : null,
  };
}

/** Reads process.env, after loading `.env` from the project folder when there is one (real env wins). */
export function loadConfig(): Config {
  const envFile = path.join(ROOT_DIR, '.env');
  if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}
