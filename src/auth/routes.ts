// The officer API: sign-in, sign-out, who am I, password change; and the admin's accounts and audit log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { parseInput } from '../core/parse.ts';
import { GRAMMATICAL_GENDERS, OFFICER_ROLES } from '../db/schema.ts';
import { AUDIT_MAX_LIMIT, type Audit } from './audit.ts';
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

const nameBody = z.object({ name: z.string().trim().min(2).max(100) });
const signInBody = z.object({ email: z.string().max(320), password: z.string().max(1024), totp: z.string().max(64).optional() });
const confirmBody = z.object({ code: z.string().min(1).max(64) });
const passwordBody = z.object({ current: z.string().max(1024), next: z.string().max(1024) });
const displayName = z.string().trim().min(1).max(100);
const grammaticalGender = z.enum(GRAMMATICAL_GENDERS);
const branchId = z.string().min(1).max(40).nullable().optional();
const createBody = z.object({ email: z.string().trim().min(3).max(254), displayName, role: z.enum(OFFICER_ROLES), grammaticalGender: grammaticalGender.optional(), branchId, password: z.string().max(1024).optional() });
const patchBody = z
  .object({ displayName: displayName.optional(), role: z.enum(OFFICER_ROLES).optional(), grammaticalGender: grammaticalGender.optional(), branchId, active: z.boolean().optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one of displayName, role, grammaticalGender, branchId, active' });
const idParams = z.object({ id: z.string().min(1).max(64) });
const filter = z.string().min(1).max(200).optional();
const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(AUDIT_MAX_LIMIT).default(50),
  before: z.coerce.number().int().min(1).optional(),
  officerId: filter,
  action: filter,
  targetType: filter,
  targetId: filter,
  // The beneficiary: entries about their conversations, applications and contact record.
  contactId: filter,
});

const parse = parseInput;

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

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const { auth, audit } = deps;
  const cookieName = sessionCookieName(deps.secureCookies);
  const deviceCookie = deviceCookieName(deps.secureCookies);
  const signedIn = requireOfficerAllowingPasswordChange();
  const settingUp = requireOfficerAllowingTotpSetup();
  const admin = requireOfficer('admin');
  const setupRequired = (o: Pick<OfficerView, 'totpEnabled'>) => auth.mfaRequired && !o.totpEnabled;

  app.post('/api/auth/sign-in', async (req, reply) => {
    // No session yet, so no CSRF token: a page on another site must not be able to sign a browser in.
    if (req.officerOriginOk === false) throw new AppError('ERR_CSRF', 'This request came from another site and was refused.');
    // JSON only: a plain HTML form cannot send it, and a cross-site fetch of it needs a CORS preflight we never grant.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new AppError('ERR_UNSUPPORTED_MEDIA_TYPE', 'Send the sign-in as application/json.');
    const body = parse(signInBody, req.body);
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

  app.post('/api/auth/sign-out', { preHandler: signedIn }, async (req, reply) => {
    for (const token of readCookies(req.headers.cookie, cookieName)) await auth.signOut(token, req.ip);
    return reply.header('set-cookie', clearedSessionCookie(cookieName, secure(req, deps))).code(204).send();
  });

  app.get('/api/auth/me', async (req, reply: FastifyReply) => {
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
  app.put('/api/auth/me', { preHandler: requireOfficer() }, async (req) => {
    const { name } = parse(nameBody, req.body);
    const officer = req.officer;
    const session = req.officerSession;
    if (!officer || !session) throw new AppError('ERR_UNAUTHORIZED', 'Please sign in.');
    const view = await auth.updateOfficer(officer.id, { displayName: name }, { officerId: officer.id, ip: req.ip });
    return { officer: publicOfficer({ ...view, totpSetupRequired: session.totpSetupRequired }) };
  });

  app.post('/api/auth/password', { preHandler: signedIn }, async (req) => {
    const body = parse(passwordBody, req.body);
    const officer = req.officer;
    const session = req.officerSession;
    if (!officer || !session) throw new AppError('ERR_UNAUTHORIZED', 'Please sign in.');
    await auth.changePassword(officer.id, body.current, body.next, { keepSessionId: session.sessionId, ip: req.ip });
    return { officer: publicOfficer({ ...officer, mustChangePassword: false, totpEnabled: session.totpEnabled, totpSetupRequired: session.totpSetupRequired }), csrfToken: session.csrfToken };
  });

  // The second factor's set-up: open to a session that still owes it (and to one that may add it voluntarily).
  app.post('/api/auth/totp/setup', { preHandler: settingUp }, async (req) => {
    const officer = req.officer;
    if (!officer) throw new AppError('ERR_UNAUTHORIZED', 'Please sign in.');
    return auth.setupTotp(officer.id, actor(req));
  });

  app.post('/api/auth/totp/confirm', { preHandler: settingUp }, async (req, reply) => {
    const officer = req.officer;
    if (!officer) throw new AppError('ERR_UNAUTHORIZED', 'Please sign in.');
    const body = parse(confirmBody, req.body);
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

  app.get('/api/admin/officers', { preHandler: admin }, async () => ({ officers: await auth.listOfficers() }));

  app.post('/api/admin/officers', { preHandler: admin }, async (req, reply) => {
    const body = parse(createBody, req.body);
    const created = await auth.createOfficer(body, actor(req));
    return reply.code(201).send(created);
  });

  app.patch('/api/admin/officers/:id', { preHandler: admin }, async (req) => {
    const { id } = parse(idParams, req.params);
    const body = parse(patchBody, req.body);
    return { officer: await auth.updateOfficer(id, body, actor(req)) };
  });

  app.post('/api/admin/officers/:id/reset-password', { preHandler: admin }, async (req) => {
    const { id } = parse(idParams, req.params);
    return auth.resetPassword(id, actor(req));
  });

  app.post('/api/admin/officers/:id/totp/reset', { preHandler: admin }, async (req) => {
    const { id } = parse(idParams, req.params);
    return { officer: await auth.resetTotp(id, actor(req)) };
  });

  app.get('/api/admin/audit', { preHandler: admin }, async (req) => {
    const query = parse(auditQuery, req.query);
    const entries = audit.view(query);
    const last = entries.at(-1);
    return { entries, nextBefore: entries.length === query.limit && last ? last.id : null };
  });
}
