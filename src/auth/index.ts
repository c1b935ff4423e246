// The accounts-and-access module's public API, for the composition root and the officer-facing rooms.
export { createAudit, type Audit, type AuditEntry, type AuditEvent, type AuditQuery } from './audit.ts';
export { ensureFirstAdmin, formatFirstAdminNotice, DEFAULT_ADMIN_EMAIL, type FirstAdmin } from './first-admin.ts';
export { registerAuth, type AuthPluginOptions } from './plugin.ts';
export { checkCsrf, CSRF_HEADER, requireOfficer, requireOfficerAllowingPasswordChange, type OfficerGuard, type OfficerSessionInfo } from './guards.ts';
export type { OfficerPrincipal } from './principal.ts';
export { loadSecretKeys, type SecretKeys } from './secret-key.ts';
export type { SessionChange, SessionListener, SessionWatch } from './sessions.ts';
export {
  createAuthService,
  type Actor,
  type AuthenticatedOfficer,
  type AuthService,
  type AuthServiceDeps,
  type NewOfficer,
  type OfficerPatch,
  type OfficerView,
  type SignInInput,
} from './service.ts';
