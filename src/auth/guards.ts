// Route guards for officer routes: signed in, CSRF on writes, password change done, and the right role.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';
import type { OfficerRole } from '../db/schema.ts';
import { sameSecret } from '../core/secrets.ts';

/** What the auth hook learned about this request's session (set together with `req.officer`). */
export interface OfficerSessionInfo {
  csrfToken: string;
  mustChangePassword: boolean;
  /** A second factor is confirmed for this officer. */
  totpEnabled: boolean;
  /** MFA_REQUIRED and no confirmed second factor yet: everything but the set-up answers ERR_TOTP_SETUP_REQUIRED. */
  totpSetupRequired: boolean;
  /** The stored hash of the session, not the cookie value. */
  sessionId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook with `officer`; undefined without a valid session. */
    officerSession?: OfficerSessionInfo;
    /** Set by the auth hook: false when an Origin header names another site. */
    officerOriginOk?: boolean;
  }
}

export const CSRF_HEADER = 'x-csrf-token';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type OfficerGuard = ((req: FastifyRequest) => Promise<void>) & {
  /** The roles this guard admits (empty = any signed-in officer); read by the API docs and the route-walk test. */
  readonly roles?: readonly OfficerRole[];
};

// Browsers leave the default port out of Origin; a Host header may carry it.
const bareHost = (host: string) => host.toLowerCase().replace(/:(80|443)$/, '');

/** True when the request has no Origin (not a browser page) or one naming this server (or a trusted origin). */
export function originMatches(req: FastifyRequest, trustedOrigins: readonly string[] = []): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (trustedOrigins.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && bareHost(url.host) === bareHost(req.host);
  } catch {
    // `Origin: null` (sandboxed frames, some redirects) is not us.
    return false;
  }
}

/** Writes need the session's CSRF token in X-CSRF-Token, and no foreign Origin. */
export function checkCsrf(req: FastifyRequest): void {
  if (!STATE_CHANGING.has(req.method)) return;
  const session = req.officerSession;
  const sent = req.headers[CSRF_HEADER];
  if (req.officerOriginOk === false) throw new AppError('ERR_CSRF', 'This request came from another site and was refused.');
  if (!session || typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
    throw new AppError('ERR_CSRF', 'The X-CSRF-Token header is missing or wrong; reload the page and try again.');
  }
}

/** What a guard still lets through before the account is ready: the password change, the TOTP set-up. */
interface Pending {
  passwordChange: boolean;
  totpSetup: boolean;
}

function guard(roles: readonly OfficerRole[], allow: Pending): OfficerGuard {
  const check = async (req: FastifyRequest): Promise<void> => {
    if (!req.officer || !req.officerSession) throw new AppError('ERR_UNAUTHORIZED', 'Please sign in.');
    checkCsrf(req);
    // A WebSocket handshake is a GET the browser sends from any page: only our own pages may open one.
    if (req.headers.upgrade?.toLowerCase() === 'websocket' && req.officerOriginOk === false) {
      throw new AppError('ERR_CSRF', 'This request came from another site and was refused.');
    }
    if (req.officerSession.mustChangePassword && !allow.passwordChange) {
      throw new AppError('ERR_PASSWORD_CHANGE_REQUIRED', 'Please choose a new password before continuing.');
    }
    if (req.officerSession.totpSetupRequired && !allow.totpSetup) {
      throw new AppError('ERR_TOTP_SETUP_REQUIRED', 'Please set up the authenticator app (second factor) before continuing.');
    }
    if (roles.length > 0 && !roles.includes(req.officer.role)) throw new AppError('ERR_FORBIDDEN', 'Your role does not allow this.');
  };
  return Object.assign(check, { roles: [...roles] });
}

/**
 * preHandler for officer routes: 401 without a session, 403 ERR_CSRF on a write without the CSRF token or from
 * another origin, 403 ERR_PASSWORD_CHANGE_REQUIRED until a one-time password is replaced, 403
 * ERR_TOTP_SETUP_REQUIRED until the second factor is set up (MFA_REQUIRED), 403 ERR_FORBIDDEN for a role not
 * listed. No roles = any officer; admin passes only where listed.
 */
export function requireOfficer(...roles: OfficerRole[]): OfficerGuard {
  return guard(roles, { passwordChange: false, totpSetup: false });
}

/** Like requireOfficer, but open to an officer who still has to change a one-time password or set up TOTP (sign-out, password). */
export function requireOfficerAllowingPasswordChange(): OfficerGuard {
  return guard([], { passwordChange: true, totpSetup: true });
}

/** For the TOTP set-up routes: open before the second factor exists, but only once the password is the officer's own. */
export function requireOfficerAllowingTotpSetup(): OfficerGuard {
  return guard([], { passwordChange: false, totpSetup: true });
}
