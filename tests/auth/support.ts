// A small Fastify app with registerAuth, two dummy guarded routes and one role-guarded route, on a temp SQLite file.
// Officers from addOfficer have their authenticator app set up, and signIn/signInRequest send the current code.
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createAudit, type Audit } from '../../src/auth/audit.ts';
import { requireOfficer } from '../../src/auth/guards.ts';
import { registerAuth } from '../../src/auth/plugin.ts';
import { createAuthService, type AuthService } from '../../src/auth/service.ts';
import type { Logger } from '../../src/core/channel.ts';
import { registerBase } from '../../src/http/base.ts';
import type { Db } from '../../src/db/client.ts';
import type { OfficerRole } from '../../src/db/schema.ts';
import { enrolTotp, totpFor } from '../support/officers.ts';
import { openTempDb } from '../support/temp-db.ts';

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
export const PASSWORD = 'correct horse battery';

export interface AuthTestApp {
  app: FastifyInstance;
  db: Db;
  dir: string;
  auth: AuthService;
  audit: Audit;
  /** The injected clock (absent when a gateway on the real clock stands in for this app). */
  now?: () => Date;
  /** Moves the injected clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function authTestApp(options: { secureCookies?: boolean; dir?: string; trustedOrigins?: string[]; mfaRequired?: boolean; freeFailures?: { email?: number; ip?: number; account?: number } } = {}): Promise<AuthTestApp> {
  const { db, dir, close } = openTempDb(options.dir);
  let t = Date.parse('2025-01-05T08:00:00.000Z');
  const now = () => new Date(t);
  const audit = createAudit(db, { now });
  const auth = createAuthService({ db, now, logger: silentLogger, audit, ...(options.mfaRequired !== undefined ? { mfaRequired: options.mfaRequired } : {}), ...(options.freeFailures ? { freeFailures: options.freeFailures } : {}) });
  const app = Fastify();
  // As in src/http/app.ts: the zod contract's compilers, the security headers and the one error shape come first.
  await registerBase(app, { https: options.secureCookies ?? false });
  registerAuth(app, { auth, audit, secureCookies: options.secureCookies ?? false, trustedOrigins: options.trustedOrigins ?? [] });
  app.get('/api/test/ping', { preHandler: requireOfficer() }, async (req) => ({ officer: req.officer }));
  app.post('/api/test/echo', { preHandler: requireOfficer() }, async (req) => ({ echoed: req.body ?? null }));
  app.get('/api/test/committee', { preHandler: requireOfficer('committee') }, async () => ({ ok: true }));
  await app.ready();
  return {
    app,
    db,
    dir,
    auth,
    audit,
    now,
    advance(ms) {
      t += ms;
    },
    async close() {
      await app.close();
      close();
    },
  };
}

/** An officer with a chosen password and the authenticator app already set up (tests/support/officers.ts). */
export async function addOfficer(t: AuthTestApp, email: string, role: OfficerRole = 'officer', password = PASSWORD) {
  const { officer } = await t.auth.createOfficer({ email, displayName: `Officer ${email}`, role, password });
  await enrolTotp(t, officer.id);
  return { ...officer, totpEnabled: true };
}

function sessionCookieFrom(res: LightMyRequestResponse): { name: string; token: string } | undefined {
  const header = res.headers['set-cookie'];
  const all = Array.isArray(header) ? header : header ? [header] : [];
  const match = all.map((c) => /^((?:__Host-)?tawasul_session)=([^;]*)/.exec(c)).find((m) => m !== null);
  return match?.[2] ? { name: match[1] ?? '', token: match[2] } : undefined;
}

/** The session token from a response's Set-Cookie (undefined when none was set). */
export function sessionFrom(res: LightMyRequestResponse): string | undefined {
  return sessionCookieFrom(res)?.token;
}

export interface Signed {
  cookie: string;
  csrf: string;
  res: LightMyRequestResponse;
}

/** POST /api/auth/sign-in with the officer's current TOTP code (the app is set up first for an officer without one). */
export async function signInRequest(t: AuthTestApp, email: string, password: string, headers: Record<string, string> = {}, remoteAddress?: string) {
  const totp = await totpFor(t, email);
  return t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password, ...(totp ? { totp } : {}) }, headers, ...(remoteAddress ? { remoteAddress } : {}) });
}

export async function signIn(t: AuthTestApp, email: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<Signed> {
  const res = await signInRequest(t, email, password, headers);
  expect(res.statusCode, res.body).toBe(200);
  const set = sessionCookieFrom(res);
  expect(set).toBeDefined();
  return { cookie: `${set?.name ?? ''}=${set?.token ?? ''}`, csrf: (res.json() as { csrfToken: string }).csrfToken, res };
}

export function auditActions(t: AuthTestApp): string[] {
  return t.audit.list({ limit: 500 }).map((e) => e.action).reverse();
}
