// The officer API: sign-in, sign-out, who am I, password change; and the admin's accounts and audit log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { authRoutes as api } from '../api/auth.ts';
import { AppError } from '../core/errors.ts';
import type { Audit } from './audit.ts';
import { isPlaceholderName } from './first-admin.ts';
import { clearedSessionCookie, readCookies, sessionCookie, sessionCookieName } from './cookies.ts';
import { requireOfficer, requireOfficerAllowingPasswordChange, requireOfficerAllowingTotpSetup } from './guards.ts';
import { deviceCookieName, knownDeviceCookie } from './known-device.ts';
import type { AuthService, OfficerView } from './service.ts';

export interface AuthRouteDeps {
  auth: AuthService;
  audit: Audit;
  /** Mark the cookie Secure even on plain-http requests (PUBLIC_URL is https, TLS ends at a proxy). */
  secureCookies: boolean;
}

type PublicOfficerInput = Pick<OfficerView, 'id' | 'email' | 'displayName' | 'role' | 'mustChangePassword' | 'totpEnabled'> & {
  totpSetupRequired: boolean;
  grammaticalGender?: OfficerView['grammaticalGender'] | undefined;
};

const publicOfficer = (o: PublicOfficerInput) => ({
  id: o.id,
  email: o.email,
  displayName: o.displayName,
  role: o.role,
  grammaticalGender: o.grammaticalGender ?? 'm',
  mustChangePassword: o.mustChangePassword,
  totpEnabled: o.totpEnabled,
  totpSetupRequired: o.totpSetupRequired,
  /** The name is still the first admin's placeholder: the inbox asks for the real one (PUT /api/auth/me). */
  nameNeeded: isPlaceholderName(o.displayName),
});

function secure(req: FastifyRequest, deps: AuthRouteDeps): boolean {
  return deps.secureCookies || req.protocol === 'https';
}

function actor(req: FastifyRequest) {
  return { officerId: req.officer?.id ?? null, ip: req.ip };
}

export function registerAuthRoutes(server: FastifyInstance, deps: AuthRouteDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const { auth, audit } = deps;
  const cookieName = sessionCookieName(deps.secureCookies);
  const deviceCookie = deviceCookieName(deps.secureCookies);
  const signedIn = requireOfficerAllowingPasswordChange();
  const settingUp = requireOfficerAllowingTotpSetup();
  const admin = requireOfficer('admin');
  const setupRequired = (o: Pick<OfficerView, 'totpEnabled'>) => auth.mfaRequired && !o.totpEnabled;

  // Checked before the body is read: no session yet, so no CSRF token, and a page on another site must not be able
  // to sign a browser in; JSON only, which a plain HTML form cannot send and a cross-site fetch needs a preflight for.
  const signInOrigin = async (req: FastifyRequest) => {
    if (req.officerOriginOk === false) throw new AppError('ERR_CSRF', 'This request came from another site and was refused.');
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new AppError('ERR_UNSUPPORTED_MEDIA_TYPE', 'Send the sign-in as application/json.');
  };
  app.post('/api/auth/sign-in', { preValidation: signInOrigin, schema: api.signIn }, async (req, reply) => {
    const body = req.body;
    const result = await auth.signIn({
      email: body.email,
      password: body.password,
      totp: body.totp,
      ip: req.ip,
      userAgent: req.headers['user-agent'],
      knownDevices: readCookies(req.headers.cookie, deviceCookie),
      replaceTokens: readCookies(req.headers.cookie, cookieName),
    });
    const cookies = [sessionCookie(cookieName, result.sessionToken, secure(req, deps))];
    if (result.knownDevice) cookies.push(knownDeviceCookie(deviceCookie, result.knownDevice, secure(req, deps)));
    reply.header('set-cookie', cookies);
    const totpSetupRequired = setupRequired(result.officer);
    return { officer: publicOfficer({ ...result.officer, totpSetupRequired }), csrfToken: result.csrfToken, totpEnabled: result.officer.totpEnabled, totpSetupRequired };
  });

  app.post('/api/auth/sign-out', { preValidation: signedIn, schema: api.signOut }, async (req, reply) => {
    for (const token of readCookies(req.headers.cookie, cookieName)) await auth.signOut(token, req.ip);
    return reply.header('set-cookie', clearedSessionCookie(cookieName, secure(req, deps))).code(204).send(null);
  });

  app.get('/api/auth/me', { schema: api.me }, async (req, reply: FastifyReply) => {
    const session = req.officerSession;
    if (!req.officer || !session) {
      // A cookie that no longer works is removed, so the browser stops sending it.
      if (readCookies(req.headers.cookie, cookieName).length > 0) reply.header('set-cookie', clearedSessionCookie(cookieName, secure(req, deps)));
      throw new AppError('ERR_UNAUTHORIZED', 'Please sign in.');
    }
    const { totpEnabled } = session;
    const gender = (await auth.getOfficer(req.officer.id))?.grammaticalGender;
    const officer = publicOfficer({ ...req.officer, grammaticalGender: gender, mustChangePassword: session.mustChangePassword, totpEnabled, totpSetupRequired: session.totpSetupRequired });
    return { officer, csrfToken: session.csrfToken, totpEnabled, totpSetupRequired: session.totpSetupRequired };
  });

  // The officer's own name (the first admin's placeholder replaced at first sign-in); audited like an admin's edit.
  app.put('/api/auth/me', { preValidation: requireOfficer(), schema: api.meName }, async (req) => {
    const { name } = req.body;
    const officer = req.officer;
    const session = req.officerSession;
    if (!officer || !session) throw new AppError('ERR_UNAUTHORIZED', 'Please sign in.');
    const view = await auth.updateOfficer(officer.id, { displayName: name }, { officerId: officer.id, ip: req.ip });
    return { officer: publicOfficer({ ...view, totpSetupRequired: session.totpSetupRequired }) };
  });

  app.post('/api/auth/password', { preValidation: signedIn, schema: api.password }, async (req) => {
    const body = req.body;
    const officer = req.officer;
    const session = req.officerSession;
    if (!officer || !session) throw new AppError('ERR_UNAUTHORIZED', 'Please sign in.');
    await auth.changePassword(officer.id, body.current, body.next, { keepSessionId: session.sessionId, ip: req.ip });
    return { officer: publicOfficer({ ...officer, mustChangePassword: false, totpEnabled: session.totpEnabled, totpSetupRequired: session.totpSetupRequired }), csrfToken: session.csrfToken };
  });

  // The second factor's set-up: open to a session that still owes it (and to one that may add it voluntarily).
  app.post('/api/auth/totp/setup', { preValidation: settingUp, schema: api.totpSetup }, async (req) => {
    const officer = req.officer;
    if (!officer) throw new AppError('ERR_UNAUTHORIZED', 'Please sign in.');
    return auth.setupTotp(officer.id, actor(req));
  });

  app.post('/api/auth/totp/confirm', { preValidation: settingUp, schema: api.totpConfirm }, async (req, reply) => {
    const officer = req.officer;
    if (!officer) throw new AppError('ERR_UNAUTHORIZED', 'Please sign in.');
    const body = req.body;
    try {
      const { recoveryCodes, knownDevice } = await auth.confirmTotp(officer.id, body.code, actor(req));
      reply.header('set-cookie', knownDeviceCookie(deviceCookie, knownDevice, secure(req, deps)));
      return { recoveryCodes };
    } catch (err) {
      // A typing mistake in a form, not a failed authentication: the session stays as it was.
      if (err instanceof AppError && err.code === 'ERR_TOTP_INVALID') return reply.code(400).send({ error: { code: err.code, message: err.message } });
      throw err;
    }
  });

  app.get('/api/admin/officers', { preValidation: admin, schema: api.officerList }, async () => ({ officers: await auth.listOfficers() }));

  app.post('/api/admin/officers', { preValidation: admin, schema: api.officerCreate }, async (req, reply) => {
    const created = await auth.createOfficer(req.body, actor(req));
    return reply.code(201).send(created);
  });

  app.patch('/api/admin/officers/:id', { preValidation: admin, schema: api.officerUpdate }, async (req) => {
    return { officer: await auth.updateOfficer(req.params.id, req.body, actor(req)) };
  });

  app.post('/api/admin/officers/:id/reset-password', { preValidation: admin, schema: api.officerResetPassword }, async (req) => {
    return auth.resetPassword(req.params.id, actor(req));
  });

  app.post('/api/admin/officers/:id/totp/reset', { preValidation: admin, schema: api.officerResetTotp }, async (req) => {
    return { officer: await auth.resetTotp(req.params.id, actor(req)) };
  });

  app.get('/api/admin/audit', { preValidation: admin, schema: api.audit }, async (req) => {
    const query = req.query;
    const entries = audit.view(query);
    const last = entries.at(-1);
    return { entries, nextBefore: entries.length === query.limit && last ? last.id : null };
  });
}
