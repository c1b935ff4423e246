// Officer accounts: sign-in with throttling, sessions, password changes and resets, and the admin's account changes.
import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, ne } from 'drizzle-orm';
import type { Logger } from '../core/channel.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import { officers, type OfficerRole } from '../db/schema.ts';
import { createAudit, type Audit } from './audit.ts';
import { knownDeviceOfficer, knownDeviceValue } from './known-device.ts';
import { generateOneTimePassword, hashPassword, verifyPassword } from './password.ts';
import { PASSWORD_PROBLEM_TEXT, passwordProblems } from './password-rules.ts';
import { createSecondFactor, TOTP_INVALID, type SecondFactorProof } from './second-factor.ts';
import { ephemeralKeys, type SecretKeys } from './secret-key.ts';
import { createSessionStore, type SessionWatch } from './sessions.ts';
import { createThrottle } from './throttle.ts';

export interface AuthServiceDeps {
  db: Db;
  now?: () => Date;
  logger: Logger;
  /** Defaults to an audit log on the same database. */
  audit?: Audit;
  /**
   * Failures allowed before attempts must wait: per email from one IP (5), per IP (20), and per email from anywhere
   * (`account`, 20; a browser with a known-device cookie for that account skips this one).
   */
  freeFailures?: { email?: number; ip?: number; account?: number };
  /** Encrypts TOTP secrets and signs known-device cookies; the default lasts for this process only (tests, tools). */
  secretKeys?: SecretKeys;
  /** MFA_REQUIRED: officers without a confirmed second factor may do nothing but set one up (default true). */
  mfaRequired?: boolean;
  /** The charity's names (profile names and short_name, Arabic and English): refused inside passwords. */
  charityNames?: readonly string[];
  /** The profile's branch ids: a representative's branchId must be one of them (any id when not given). */
  branchIds?: readonly string[];
}

/** Who is acting, for the audit log: an officer id, or null for the system (the CLI, first start). */
export type { Actor, AuthenticatedOfficer, NewOfficer, OfficerPatch, OfficerView, SignInInput, SignInResult } from './service-types.ts';
export { SIGN_IN_FAILED } from './service-types.ts';
import { SIGN_IN_FAILED, type Actor, type AuthenticatedOfficer, type NewOfficer, type OfficerPatch, type OfficerView, type SignInInput, type SignInResult } from './service-types.ts';

const DUMMY_HASH = 'scrypt$131072$8$1$MTTaOfory5ty0pymXxE1vA$51wDh8NMVAfFPj6gp-IU0Sqx5nrqCKaxeUqcxl6t-1Y4tuVWfJkJwOH3GY7qKcx5W5RNDMYhEmKmsltFldKitg';
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@]{1,189}$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const view = {
  id: officers.id,
  email: officers.email,
  displayName: officers.displayName,
  role: officers.role,
  grammaticalGender: officers.grammaticalGender,
  branchId: officers.branchId,
  active: officers.active,
  mustChangePassword: officers.mustChangePassword,
  totpEnabled: officers.totpEnabled,
  createdAt: officers.createdAt,
  updatedAt: officers.updatedAt,
};

export function createAuthService(deps: AuthServiceDeps) {
  const { db, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const audit = deps.audit ?? createAudit(db, { now });
  const sessions = createSessionStore(db, now);
  const throttle = createThrottle(db, now);
  const emailFree = deps.freeFailures?.email ?? 5;
  const ipFree = deps.freeFailures?.ip ?? 20;
  const accountFree = deps.freeFailures?.account ?? 20;
  const keys = deps.secretKeys ?? ephemeralKeys();
  const mfaRequired = deps.mfaRequired ?? true;
  const secondFactor = createSecondFactor(db, keys, now);

  const find = (id: string) => db.select().from(officers).where(eq(officers.id, id)).get();
  const findView = (id: string): OfficerView | undefined => db.select(view).from(officers).where(eq(officers.id, id)).get();
  const mustFind = (id: string) => find(id) ?? fail('ERR_NOT_FOUND', 'No such officer.');

  function fail(code: 'ERR_VALIDATION' | 'ERR_NOT_FOUND' | 'ERR_CONFLICT', message: string): never {
    throw new AppError(code, message);
  }

  function rateLimited(waitMs: number): never {
    throw new AppError('ERR_RATE_LIMITED', `Too many failed attempts. Please wait ${Math.ceil(waitMs / 1000)} s and try again.`, { retryable: true, retryAfterMs: waitMs });
  }

  function checkNewPassword(password: string, email: string): void {
    const problems = passwordProblems(password, { email, charityNames: deps.charityNames ?? [] });
    if (problems.length > 0) throw new AppError('ERR_WEAK_PASSWORD', `The password is not acceptable: ${problems.map((p) => PASSWORD_PROBLEM_TEXT[p]).join('; ')}.`, { details: { problems } });
  }

  /** Refuses to leave the system without an active admin (nobody could manage accounts any more). */
  function keepOneAdmin(id: string): void {
    const others = db.select({ n: count() }).from(officers).where(and(eq(officers.role, 'admin'), eq(officers.active, true), ne(officers.id, id))).get();
    if ((others?.n ?? 0) === 0) fail('ERR_CONFLICT', 'This is the only active admin: make another officer an admin first.');
  }

  /** Still active, with the password hash we verified against. */
  function unchanged(id: string, passwordHash: string): boolean {
    const current = db.select({ passwordHash: officers.passwordHash, active: officers.active }).from(officers).where(eq(officers.id, id)).get();
    return current !== undefined && current.active && current.passwordHash === passwordHash;
  }

  /** A representative belongs to exactly one known branch; nobody else has one. */
  function branchFor(role: OfficerRole, branchId: string | null | undefined): string | null {
    if (role !== 'representative') {
      if (branchId) fail('ERR_VALIDATION', 'branchId: only a representative belongs to a branch.');
      return null;
    }
    if (!branchId) fail('ERR_VALIDATION', 'branchId: a representative needs the branch they work for.');
    if (deps.branchIds && !deps.branchIds.includes(branchId)) fail('ERR_VALIDATION', `branchId: not one of the charity's branches (${deps.branchIds.join(', ') || 'none'}).`);
    return branchId;
  }

  function touch(id: string, set: Partial<typeof officers.$inferInsert>): void {
    db.update(officers).set({ ...set, updatedAt: now().toISOString() }).where(eq(officers.id, id)).run();
  }

  async function setActive(officerId: string, active: boolean, actor: Actor = { officerId: null }): Promise<OfficerView> {
    const row = mustFind(officerId);
    if (row.active !== active) {
      if (!active && row.role === 'admin') keepOneAdmin(officerId);
      db.transaction(() => {
        touch(officerId, { active });
        // Disabling takes effect now, not when the cookie expires.
        if (!active) sessions.endAllFor(officerId);
        audit.record({ officerId: actor.officerId, action: active ? 'officer.enable' : 'officer.disable', targetType: 'officer', targetId: officerId, ip: actor.ip });
      });
    }
    return findView(officerId) ?? fail('ERR_NOT_FOUND', 'No such officer.');
  }

  const sessionWatch: SessionWatch = { check: (id) => sessions.check(id), onChange: (listener) => sessions.onChange(listener) };

  return {
    /** Lets long-lived streams end with their session (see src/inbox/events.ts). */
    sessionWatch,

    async signIn(input: SignInInput): Promise<SignInResult> {
      const email = normalizeEmail(input.email);
      // The account's own delay is per email *and* IP, so a stranger's guesses elsewhere never lock the officer out;
      // the per-account key (guesses from many addresses) is skipped by a browser this account signed in on before.
      const emailKey = `email-ip:${email}|${input.ip ?? '-'}`;
      const accountKey = `email:${email}`;
      throttle.sweep();
      sessions.sweep();
      const row = db.select().from(officers).where(eq(officers.email, email)).get();
      const at = now();
      const known = row !== undefined && (input.knownDevices ?? []).some((v) => knownDeviceOfficer(keys, v, at) === row.id);
      const attempt = throttle.reserve([
        { key: emailKey, freeFailures: emailFree },
        ...(known ? [] : [{ key: accountKey, freeFailures: accountFree }]),
        ...(input.ip ? [{ key: `ip:${input.ip}`, freeFailures: ipFree }] : []),
      ]);
      if (!('reservations' in attempt)) {
        logger.warn({ ip: input.ip, waitMs: attempt.waitMs }, 'sign-in throttled');
        rateLimited(attempt.waitMs);
      }
      const check = await verifyPassword(input.password, row?.passwordHash ?? DUMMY_HASH);
      if (!row || !check.ok || !row.active) {
        // The reservation stays: it was this failure. The reason is for the admin, never for the caller.
        const reason = !row ? 'unknown_email' : !check.ok ? 'wrong_password' : 'disabled';
        audit.record({ officerId: null, action: 'auth.sign_in_failed', targetType: row ? 'officer' : undefined, targetId: row?.id, details: { email, reason }, ip: input.ip });
        logger.info({ ip: input.ip, reason }, 'sign-in failed');
        throw new AppError('ERR_UNAUTHORIZED', SIGN_IN_FAILED);
      }
      const forgive = () => {
        throttle.clear(emailKey);
        for (const r of attempt.reservations) if (r.key !== emailKey) throttle.release(r);
      };
      let proof: SecondFactorProof | undefined;
      if (row.totpEnabled) {
        const totp = input.totp?.trim() ?? '';
        if (totp === '') {
          // Only the password was sent (the form's first step): no guess was made at the second factor.
          for (const r of attempt.reservations) throttle.release(r);
          throw new AppError('ERR_TOTP_REQUIRED', 'Enter the 6-digit code from your authenticator app, or a recovery code.');
        }
        proof = await secondFactor.check(row, totp);
        if (!proof) {
          // Counted like a wrong password: the reservation stays.
          audit.record({ officerId: null, action: 'auth.sign_in_failed', targetType: 'officer', targetId: row.id, details: { email, reason: 'wrong_totp' }, ip: input.ip });
          throw new AppError('ERR_TOTP_INVALID', TOTP_INVALID);
        }
      }
      const rehashed = check.needsRehash ? await hashPassword(input.password) : undefined;
      const session = db.transaction(() => {
        // scrypt took a while: a reset, password change or disabling in the meantime wins over this sign-in.
        if (!unchanged(row.id, row.passwordHash)) throw new AppError('ERR_UNAUTHORIZED', SIGN_IN_FAILED);
        // A code used meanwhile (the same step sent twice at once, a recovery code raced) opens no second session.
        if (proof && !secondFactor.consume(row.id, proof)) throw new AppError('ERR_TOTP_INVALID', TOTP_INVALID);
        if (rehashed) touch(row.id, { passwordHash: rehashed });
        for (const old of input.replaceTokens ?? []) sessions.end(old);
        const details = proof ? { secondFactor: proof.kind } : row.totpEnabled || !mfaRequired ? undefined : { secondFactor: 'setup_required' };
        audit.record({ officerId: row.id, action: 'auth.sign_in', targetType: 'officer', targetId: row.id, details, ip: input.ip });
        return sessions.create(row.id, input.ip, input.userAgent);
      });
      forgive();
      const officer = findView(row.id) ?? fail('ERR_NOT_FOUND', 'No such officer.');
      // Only a complete sign-in makes the browser known (not one still owing its set-up).
      const complete = row.totpEnabled || !mfaRequired;
      return { sessionToken: session.token, csrfToken: session.csrfToken, officer, ...(complete ? { knownDevice: knownDeviceValue(keys, row.id, now()) } : {}) };
    },

    async signOut(token: string | undefined, ip?: string): Promise<void> {
      const officerId = sessions.end(token);
      if (officerId) audit.record({ officerId, action: 'auth.sign_out', targetType: 'officer', targetId: officerId, ip });
    },

    async authenticate(token: string | undefined): Promise<AuthenticatedOfficer | undefined> {
      const live = sessions.lookup(token);
      if (!live) return undefined;
      return { ...live.officer, csrfToken: live.csrfToken, sessionId: live.sessionId, totpSetupRequired: mfaRequired && !live.officer.totpEnabled };
    },

    async changePassword(officerId: string, current: string, next: string, options: { keepSessionId?: string; ip?: string } = {}): Promise<void> {
      const row = mustFind(officerId);
      checkNewPassword(next, row.email);
      if (next === current) fail('ERR_VALIDATION', 'The new password must differ from the current one.');
      // Guessing the current password from a stolen session is throttled like sign-in.
      const passwordKey = `password:${officerId}`;
      const attempt = throttle.reserve([{ key: passwordKey, freeFailures: emailFree }]);
      if (!('reservations' in attempt)) rateLimited(attempt.waitMs);
      if (!(await verifyPassword(current, row.passwordHash)).ok) {
        audit.record({ officerId, action: 'auth.password_change_failed', targetType: 'officer', targetId: officerId, ip: options.ip });
        fail('ERR_VALIDATION', 'The current password is not correct.');
      }
      throttle.clear(passwordKey);
      const passwordHash = await hashPassword(next);
      db.transaction(() => {
        if (!unchanged(officerId, row.passwordHash)) fail('ERR_CONFLICT', 'The password was changed meanwhile; please sign in again.');
        touch(officerId, { passwordHash, mustChangePassword: false });
        const ended = sessions.endAllFor(officerId, options.keepSessionId);
        audit.record({ officerId, action: 'auth.password_change', targetType: 'officer', targetId: officerId, details: { endedSessions: ended }, ip: options.ip });
      });
    },

    async createOfficer(input: NewOfficer, actor: Actor = { officerId: null }): Promise<{ officer: OfficerView; oneTimePassword?: string }> {
      const email = normalizeEmail(input.email);
      const displayName = input.displayName.trim();
      if (!EMAIL_SHAPE.test(email)) fail('ERR_VALIDATION', 'The email address is not valid.');
      if (displayName.length === 0 || displayName.length > 100) fail('ERR_VALIDATION', 'The display name must be 1 to 100 characters.');
      if (input.password !== undefined) checkNewPassword(input.password, email);
      const branchId = branchFor(input.role, input.branchId);
      if (db.select({ id: officers.id }).from(officers).where(eq(officers.email, email)).get()) fail('ERR_CONFLICT', 'An officer with this email already exists.');
      const oneTimePassword = input.password === undefined ? generateOneTimePassword() : undefined;
      const passwordHash = await hashPassword(input.password ?? oneTimePassword ?? '');
      const id = randomUUID();
      const at = now().toISOString();
      try {
        db.insert(officers).values({ id, email, displayName, role: input.role, grammaticalGender: input.grammaticalGender ?? 'm', branchId, passwordHash, mustChangePassword: oneTimePassword !== undefined, createdAt: at, updatedAt: at }).run();
      } catch (err) {
        // Two creations for one email at once: the unique index decides.
        if (err instanceof Error && /UNIQUE/.test(err.message)) fail('ERR_CONFLICT', 'An officer with this email already exists.');
        throw err;
      }
      audit.record({ officerId: actor.officerId, action: 'officer.create', targetType: 'officer', targetId: id, details: { email, role: input.role, branchId, oneTimePassword: oneTimePassword !== undefined }, ip: actor.ip });
      const officer = findView(id) ?? fail('ERR_NOT_FOUND', 'No such officer.');
      return oneTimePassword === undefined ? { officer } : { officer, oneTimePassword };
    },

    setActive,

    async updateOfficer(officerId: string, patch: OfficerPatch, actor: Actor = { officerId: null }): Promise<OfficerView> {
      const row = mustFind(officerId);
      const displayName = patch.displayName?.trim();
      if (displayName !== undefined && (displayName.length === 0 || displayName.length > 100)) fail('ERR_VALIDATION', 'The display name must be 1 to 100 characters.');
      const changes: Record<string, unknown> = {};
      if (displayName !== undefined && displayName !== row.displayName) changes.displayName = true;
      if (patch.role !== undefined && patch.role !== row.role) {
        if (row.role === 'admin' && row.active) keepOneAdmin(officerId);
        changes.role = { from: row.role, to: patch.role };
      }
      if (patch.grammaticalGender !== undefined && patch.grammaticalGender !== row.grammaticalGender) changes.grammaticalGender = { from: row.grammaticalGender, to: patch.grammaticalGender };
      // A role change away from representative drops the branch; a representative must keep one.
      const role = patch.role ?? row.role;
      const branchId = branchFor(role, patch.branchId === undefined ? (role === 'representative' ? row.branchId : null) : patch.branchId);
      if (branchId !== row.branchId) changes.branchId = { from: row.branchId, to: branchId };
      if (Object.keys(changes).length > 0) {
        touch(officerId, { ...(changes.displayName ? { displayName } : {}), ...(changes.role ? { role: patch.role } : {}), ...(changes.grammaticalGender ? { grammaticalGender: patch.grammaticalGender } : {}), ...(changes.branchId ? { branchId } : {}) });
        audit.record({ officerId: actor.officerId, action: 'officer.update', targetType: 'officer', targetId: officerId, details: changes, ip: actor.ip });
        // Requests read the role afresh; open streams are told, so one the new role may not see closes now.
        if (changes.role || changes.branchId) sessions.officerChanged(officerId);
      }
      if (patch.active !== undefined) return setActive(officerId, patch.active, actor);
      return findView(officerId) ?? fail('ERR_NOT_FOUND', 'No such officer.');
    },

    /** The admin's reset: a new one-time password, every session ended, sign-in delays for the account cleared. */
    async resetPassword(officerId: string, actor: Actor = { officerId: null }): Promise<{ oneTimePassword: string }> {
      const row = mustFind(officerId);
      const oneTimePassword = generateOneTimePassword();
      const passwordHash = await hashPassword(oneTimePassword);
      db.transaction(() => {
        touch(officerId, { passwordHash, mustChangePassword: true });
        sessions.endAllFor(officerId);
        throttle.clearAccount(row.email, officerId);
        audit.record({ officerId: actor.officerId, action: 'auth.password_reset', targetType: 'officer', targetId: officerId, ip: actor.ip });
      });
      return { oneTimePassword };
    },

    /** Step 1 of the set-up: a new pending secret, as text, otpauth URI and QR code. */
    async setupTotp(officerId: string, actor: Actor = { officerId }): Promise<{ secret: string; otpauthUri: string; qrSvg: string }> {
      const enrolment = await secondFactor.setup(officerId);
      audit.record({ officerId: actor.officerId, action: 'auth.totp_setup', targetType: 'officer', targetId: officerId, ip: actor.ip });
      return enrolment;
    },

    /** Step 2: a code from the app confirms the secret; the recovery codes are returned this once, stored hashed. */
    async confirmTotp(officerId: string, code: string, actor: Actor = { officerId }): Promise<{ recoveryCodes: string[]; knownDevice: string }> {
      try {
        const { recoveryCodes } = await secondFactor.confirm(officerId, code);
        audit.record({ officerId: actor.officerId, action: 'auth.totp_enabled', targetType: 'officer', targetId: officerId, ip: actor.ip });
        return { recoveryCodes, knownDevice: knownDeviceValue(keys, officerId, now()) };
      } catch (err) {
        if (err instanceof AppError && err.code === 'ERR_TOTP_INVALID') audit.record({ officerId: actor.officerId, action: 'auth.totp_confirm_failed', targetType: 'officer', targetId: officerId, ip: actor.ip });
        throw err;
      }
    },

    /** The admin's reset of a lost phone: the factor is forgotten and every session of the officer ends. */
    async resetTotp(officerId: string, actor: Actor = { officerId: null }): Promise<OfficerView> {
      const row = mustFind(officerId);
      db.transaction(() => {
        secondFactor.clear(officerId);
        const ended = sessions.endAllFor(officerId);
        audit.record({ officerId: actor.officerId, action: 'auth.totp_reset', targetType: 'officer', targetId: officerId, details: { wasEnabled: row.totpEnabled, endedSessions: ended }, ip: actor.ip });
      });
      return findView(officerId) ?? fail('ERR_NOT_FOUND', 'No such officer.');
    },

    /** MFA_REQUIRED as this service applies it. */
    mfaRequired,

    async listOfficers(): Promise<OfficerView[]> {
      return db.select(view).from(officers).orderBy(asc(officers.email)).all();
    },

    async getOfficer(officerId: string): Promise<OfficerView | undefined> {
      return findView(officerId);
    },

    async findByEmail(email: string): Promise<OfficerView | undefined> {
      return db.select(view).from(officers).where(eq(officers.email, normalizeEmail(email))).get();
    },

    async hasOfficers(): Promise<boolean> {
      return db.select({ id: officers.id }).from(officers).limit(1).get() !== undefined;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
