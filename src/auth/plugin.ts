// registerAuth: the hook that turns the session cookie into `req.officer`, and the officer/admin routes.
import type { FastifyInstance } from 'fastify';
import type { Audit } from './audit.ts';
import { readCookies, sessionCookieName } from './cookies.ts';
import { originMatches } from './guards.ts';
import { registerAuthRoutes } from './routes.ts';
import type { AuthService } from './service.ts';

export interface AuthPluginOptions {
  auth: AuthService;
  audit: Audit;
  /**
   * True when PUBLIC_URL is https: the cookie is `__Host-tawasul_session` and Secure even if TLS ends at a proxy.
   */
  secureCookies: boolean;
  /**
   * Origins accepted besides the request's own host (e.g. PUBLIC_URL's origin, for a proxy that does not pass the
   * Host header on). Compared exactly: `https://chat.example.org`.
   */
  trustedOrigins?: readonly string[];
}

/**
 * Call on the root instance (not through app.register, so the hook covers every route): sets `req.officer` and
 * `req.officerSession` for a valid session cookie and registers /api/auth/* and /api/admin/*.
 */
export function registerAuth(app: FastifyInstance, options: AuthPluginOptions): void {
  const trusted = options.trustedOrigins ?? [];
  const cookieName = sessionCookieName(options.secureCookies);
  app.addHook('onRequest', async (req) => {
    req.officerOriginOk = originMatches(req, trusted);
    // A browser may hold more than one cookie of this name (an old path, a sibling subdomain): the first live one wins.
    for (const token of readCookies(req.headers.cookie, cookieName)) {
      const session = await options.auth.authenticate(token);
      if (!session) continue;
      req.officer = { id: session.id, email: session.email, displayName: session.displayName, role: session.role };
      req.officerSession = { csrfToken: session.csrfToken, mustChangePassword: session.mustChangePassword, totpEnabled: session.totpEnabled, totpSetupRequired: session.totpSetupRequired, sessionId: session.sessionId };
      break;
    }
  });
  registerAuthRoutes(app, options);
}

