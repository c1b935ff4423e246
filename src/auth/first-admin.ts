// The first admin on a fresh install: created with a one-time password that the caller shows once, never a default.
import type { Logger } from '../core/channel.ts';
import type { AuthService } from './service.ts';

export const DEFAULT_ADMIN_EMAIL = 'admin@localhost';
/** The stored display name when ADMIN_NAME is not set (Arabic first; the admin renames it on the Admin page). */
export const DEFAULT_ADMIN_NAME = 'مدير النظام';

/** Names a first admin gets without ADMIN_NAME (this default, an older English one, or nothing): asked at sign-in. */
const PLACEHOLDER_NAMES = new Set([DEFAULT_ADMIN_NAME, 'administrator', 'admin', '']);
export function isPlaceholderName(name: string): boolean {
  return PLACEHOLDER_NAMES.has(name.trim().toLowerCase());
}

export interface FirstAdmin {
  email: string;
  oneTimePassword: string;
}

/**
 * When no officer exists at all, creates an admin with a one-time password and returns it, for the caller to show
 * once (on stderr, not through the logger); undefined when officers already exist.
 */
export async function ensureFirstAdmin(options: { auth: AuthService; logger: Logger; email?: string | undefined; name?: string | undefined }): Promise<FirstAdmin | undefined> {
  const { auth, logger } = options;
  if (await auth.hasOfficers()) return undefined;
  const email = options.email ?? DEFAULT_ADMIN_EMAIL;
  const created = await auth.createOfficer({ email, displayName: options.name ?? DEFAULT_ADMIN_NAME, role: 'admin' }, { officerId: null });
  if (created.oneTimePassword === undefined) throw new Error('the first admin was created without a one-time password');
  // The password itself is never logged: logs are kept and shipped; the terminal shows it once.
  logger.warn({ email: created.officer.email }, 'no officers existed: created the first admin with a one-time password (printed once on stderr)');
  return { email: created.officer.email, oneTimePassword: created.oneTimePassword };
}

/** The box main.ts prints once to stderr. */
export function formatFirstAdminNotice(admin: FirstAdmin): string {
  const lines = [
    'Tawasul: the first admin account was created.',
    '',
    `  Email:               ${admin.email}`,
    `  One-time password:   ${admin.oneTimePassword}`,
    '',
    'Sign in and choose a new password now. This password is shown only once;',
    'if it is lost, create another admin with `npm run admin:create`.',
  ];
  const width = Math.max(...lines.map((l) => l.length));
  const bar = `+${'-'.repeat(width + 2)}+`;
  return [bar, ...lines.map((l) => `| ${l.padEnd(width)} |`), bar, ''].join('\n');
}
