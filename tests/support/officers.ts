// Officers for tests as MFA_REQUIRED (the default) wants them: the authenticator app set up through the real service,
// codes the server accepts right now, and the real sign-in route with password and code.
import { eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generateSync } from 'otplib';
import type { AuthService, NewOfficer, OfficerView } from '../../src/auth/service.ts';
import { hashRecoveryCode, TOTP_PERIOD_S } from '../../src/auth/totp.ts';
import type { Db } from '../../src/db/client.ts';
import { officers } from '../../src/db/schema.ts';

/** What the helpers need: the gateway (or the auth test app) and, when it runs on a fake clock, that clock. */
export interface OfficerHost {
  auth: AuthService;
  db: Db;
  app: FastifyInstance;
  /** The clock the server uses (default: the real one). */
  now?: () => Date;
  /** Moves a fake clock on; used only when one time step's codes are all used up. */
  advance?: (ms: number) => void;
}

export interface SecondFactor {
  secret: string;
  recoveryCodes: string[];
}

export interface OfficerHeaders extends Record<string, string> {
  cookie: string;
  'x-csrf-token': string;
}

// Per database, per officer id: what the authenticator app of that officer would know.
const factors = new WeakMap<Db, Map<string, SecondFactor>>();
const PERIOD_MS = TOTP_PERIOD_S * 1000;

const clock = (host: OfficerHost) => (host.now ?? (() => new Date()))();
const officerRow = (host: OfficerHost, id: string) => host.db.select().from(officers).where(eq(officers.id, id)).get();

/** The 6-digit code an authenticator app shows for `secret` at `at`. */
export function totpCode(secret: string, at: Date): string {
  return generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/** Sets up and confirms the officer's authenticator app through the service, as the inbox walk-through does. */
export async function enrolTotp(host: OfficerHost, officerId: string): Promise<SecondFactor> {
  const { secret } = await host.auth.setupTotp(officerId);
  const at = clock(host);
  // Confirmed with the previous step's code (still accepted) when it is safely inside the window, so the current
  // and the next step stay free for sign-ins.
  const intoStep = at.getTime() % PERIOD_MS;
  const code = totpCode(secret, new Date(at.getTime() - (intoStep < PERIOD_MS - 2000 ? PERIOD_MS : 0)));
  const { recoveryCodes } = await host.auth.confirmTotp(officerId, code);
  return rememberFactor(host, officerId, { secret, recoveryCodes });
}

/** Tells the helpers about a factor a test set up another way (through the routes or the inbox page). */
export function rememberFactor(host: OfficerHost, officerId: string, factor: SecondFactor): SecondFactor {
  const known = factors.get(host.db) ?? new Map<string, SecondFactor>();
  known.set(officerId, factor);
  factors.set(host.db, known);
  return factor;
}

/** The factor enrolTotp set up for this officer (undefined when the helpers did not set it up). */
export function factorOf(host: OfficerHost, officerId: string): SecondFactor | undefined {
  return factors.get(host.db)?.get(officerId);
}

/**
 * A code the server accepts now and that no earlier sign-in used: the oldest fresh TOTP step within the one-step
 * tolerance, else an unused recovery code; on a fake clock, the clock moves on a step when both are used up.
 */
export function currentTotp(host: OfficerHost, officerId: string): string {
  const factor = factorOf(host, officerId);
  if (!factor) throw new Error(`officer ${officerId} has no second factor set up by tests/support/officers.ts`);
  for (let round = 0; round < 2; round += 1) {
    const row = officerRow(host, officerId);
    const at = clock(host).getTime();
    const step = Math.floor(at / PERIOD_MS);
    // The previous step only while the request surely lands before the current step ends.
    const candidates = [...(at % PERIOD_MS < PERIOD_MS - 2000 ? [step - 1] : []), step, step + 1];
    const fresh = candidates.find((s) => row?.totpLastStep === null || row?.totpLastStep === undefined || s > row.totpLastStep);
    if (fresh !== undefined) return totpCode(factor.secret, new Date(fresh * PERIOD_MS));
    const unused: unknown = JSON.parse(row?.totpRecoveryCodes ?? '[]');
    const recovery = factor.recoveryCodes.find((c) => Array.isArray(unused) && unused.includes(hashRecoveryCode(c)));
    if (recovery) return recovery;
    if (!host.advance) break;
    host.advance(PERIOD_MS);
  }
  throw new Error(`no unused TOTP or recovery code left for officer ${officerId} in this time step`);
}

/** The officer's current code, setting up the authenticator app first when the officer has none yet. */
export async function totpFor(host: OfficerHost, email: string): Promise<string | undefined> {
  const officer = await host.auth.findByEmail(email);
  if (!officer) return undefined;
  if (!officer.totpEnabled || !factorOf(host, officer.id)) await enrolTotp(host, officer.id);
  return currentTotp(host, officer.id);
}

/** Creates an officer whose authenticator app is already set up (the password chosen, no one-time password). */
export async function createOfficerWithTotp(host: OfficerHost, input: NewOfficer & { password: string }): Promise<OfficerView> {
  const { officer } = await host.auth.createOfficer(input);
  await enrolTotp(host, officer.id);
  return (await host.auth.getOfficer(officer.id)) ?? officer;
}

/** POST /api/auth/sign-in with the password and the officer's current code, through fastify inject. */
export async function signInInject(host: OfficerHost, email: string, password: string, options: { headers?: Record<string, string>; remoteAddress?: string } = {}): Promise<LightMyRequestResponse> {
  const totp = await totpFor(host, email);
  return host.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email, password, ...(totp ? { totp } : {}) },
    headers: options.headers ?? {},
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
}

/** The session cookie (name=value) out of a sign-in answer's Set-Cookie. */
export function sessionCookieOf(setCookie: string | string[] | undefined | null): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? setCookie.split(/,(?=\s*[\w-]+=)/) : [];
  const found = all.map((c) => /^\s*((?:__Host-)?tawasul_session=[^;]*)/.exec(c)?.[1]).find((c) => c !== undefined);
  if (!found) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
  return found;
}

/** Signs an officer in through the real route (password, then the current code): the headers of their requests. */
export async function signInOfficer(host: OfficerHost, email: string, password: string): Promise<OfficerHeaders> {
  const res = await signInInject(host, email, password);
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return { cookie: sessionCookieOf(res.headers['set-cookie']), 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
}

/** The same over real HTTP (`base` = http://127.0.0.1:port): the answer, and the headers of further requests. */
export async function signInOverHttp(host: OfficerHost, base: string, email: string, password: string, headers: Record<string, string> = {}): Promise<{ res: Response; headers: OfficerHeaders }> {
  const totp = await totpFor(host, email);
  const res = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email, password, ...(totp ? { totp } : {}) }) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const body = (await res.clone().json()) as { csrfToken: string };
  return { res, headers: { cookie: sessionCookieOf(res.headers.getSetCookie()), 'x-csrf-token': body.csrfToken } };
}
