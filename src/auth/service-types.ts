// The shapes the officer account service takes and gives (sign-in, views, account changes).
import type { GrammaticalGender, OfficerRole } from '../db/schema.ts';
import type { OfficerPrincipal } from './principal.ts';

export interface Actor {
  officerId: string | null;
  ip?: string | undefined;
}

export interface OfficerView {
  id: string;
  email: string;
  displayName: string;
  role: OfficerRole;
  grammaticalGender: GrammaticalGender;
  /** The branch a representative works for; null for other roles. */
  branchId: string | null;
  active: boolean;
  mustChangePassword: boolean;
  /** A second factor (authenticator app) is confirmed: sign-in needs a code. */
  totpEnabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AuthenticatedOfficer extends OfficerPrincipal {
  csrfToken: string;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  /** MFA is required and not set up yet: only sign-out, /me, the password change and the TOTP set-up are open. */
  totpSetupRequired: boolean;
  /** The stored hash of the session (not usable as a cookie): lets a password change keep this session. */
  sessionId: string;
}

export interface SignInInput {
  email: string;
  password: string;
  ip?: string | undefined;
  userAgent?: string | undefined;
  /** The second factor: a 6-digit TOTP code (Arabic-Indic digits and spaces allowed) or an unused recovery code. */
  totp?: string | undefined;
  /** Known-device cookie values this browser sent: one signed for this account skips the per-account delay. */
  knownDevices?: readonly string[] | undefined;
  /** Session cookies this browser still had: they are ended, so each sign-in rotates the browser's session. */
  replaceTokens?: readonly string[] | undefined;
}

export interface SignInResult {
  sessionToken: string;
  csrfToken: string;
  officer: OfficerView;
  /** The known-device cookie value, after a complete sign-in (password and, where set up, the second factor). */
  knownDevice?: string;
}

export interface NewOfficer {
  email: string;
  displayName: string;
  role: OfficerRole;
  grammaticalGender?: GrammaticalGender | undefined;
  branchId?: string | null | undefined;
  password?: string | undefined;
}

export interface OfficerPatch {
  displayName?: string | undefined;
  role?: OfficerRole | undefined;
  grammaticalGender?: GrammaticalGender | undefined;
  branchId?: string | null | undefined;
  active?: boolean | undefined;
}

export const SIGN_IN_FAILED = 'The email or password is not correct, or the account is disabled.';
// A hash of a random, forgotten password: unknown emails cost the same scrypt work as known ones.
