// Which branch's cases an officer sees: a representative («مندوب») their own branch's only; everyone else all of them.
import { eq, type SQL } from 'drizzle-orm';
import type { OfficerPrincipal } from '../auth/principal.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import { applications, officers } from '../db/schema.ts';

/** `branchId` set: only that branch's applications and beneficiaries exist for this officer. */
export interface Scope {
  branchId?: string;
}

export function branchScope(db: Db, officer: Pick<OfficerPrincipal, 'id' | 'role'>): Scope {
  if (officer.role !== 'representative') return {};
  const row = db.select({ branchId: officers.branchId }).from(officers).where(eq(officers.id, officer.id)).get();
  // A representative without a branch has no cases to see; an admin must give them one first.
  if (!row?.branchId) throw new AppError('ERR_FORBIDDEN', 'This representative account has no branch yet; ask an admin to set one.');
  return { branchId: row.branchId };
}

/** The condition limiting applications to the scope (undefined: no limit). */
export function scopeWhere(scope: Scope): SQL | undefined {
  return scope.branchId === undefined ? undefined : eq(applications.branchId, scope.branchId);
}

/** Another branch's application is not found, exactly like one that does not exist. */
export function ensureInScope(scope: Scope, app: { branchId: string | null }): void {
  if (scope.branchId !== undefined && app.branchId !== scope.branchId) throw new AppError('ERR_NOT_FOUND', 'Application not found.');
}
