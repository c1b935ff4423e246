// The audit log: who did what to which record, for sign-ins, account changes and personal-data access.
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { AUDIT_MAX_LIMIT } from '../api/auth.ts';
import type { Db } from '../db/client.ts';
import { auditLog, officers } from '../db/schema.ts';
import { auditView, type AuditViewQuery } from './audit-view.ts';

export interface AuditEvent {
  /** The officer who acted; null for the system or an anonymous attempt. */
  officerId: string | null;
  /** Dotted verb, e.g. `auth.sign_in`, `officer.update`, `application.view`. */
  action: string;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** Small JSON facts about the event. Never passwords, tokens or the personal data itself. */
  details?: Record<string, unknown> | undefined;
  ip?: string | undefined;
}

export interface AuditQuery {
  limit: number;
  /** Only entries with a smaller id (the `nextBefore` of the previous page). */
  before?: number | undefined;
  officerId?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
}

export interface AuditEntry {
  id: number;
  officerId: string | null;
  officerEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: unknown;
  ip: string | null;
  createdAt: string;
}

export { AUDIT_MAX_LIMIT };

export function createAudit(db: Db, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());
  return {
    /** Synchronous, so a caller can record inside its own SQLite transaction. */
    record(event: AuditEvent): void {
      db.insert(auditLog)
        .values({
          officerId: event.officerId,
          action: event.action,
          targetType: event.targetType ?? null,
          targetId: event.targetId ?? null,
          details: event.details ?? null,
          ip: event.ip ?? null,
          createdAt: now().toISOString(),
        })
        .run();
    },

    /** Newest first. */
    list(query: AuditQuery): AuditEntry[] {
      const where: SQL[] = [];
      if (query.before !== undefined) where.push(lt(auditLog.id, query.before));
      if (query.officerId !== undefined) where.push(eq(auditLog.officerId, query.officerId));
      if (query.action !== undefined) where.push(eq(auditLog.action, query.action));
      if (query.targetType !== undefined) where.push(eq(auditLog.targetType, query.targetType));
      if (query.targetId !== undefined) where.push(eq(auditLog.targetId, query.targetId));
      return db
        .select({
          id: auditLog.id,
          officerId: auditLog.officerId,
          officerEmail: officers.email,
          action: auditLog.action,
          targetType: auditLog.targetType,
          targetId: auditLog.targetId,
          details: auditLog.details,
          ip: auditLog.ip,
          createdAt: auditLog.createdAt,
        })
        .from(auditLog)
        .leftJoin(officers, eq(officers.id, auditLog.officerId))
        .where(and(...where))
        .orderBy(desc(auditLog.id))
        .limit(Math.min(Math.max(1, Math.floor(query.limit)), AUDIT_MAX_LIMIT))
        .all();
    },

    /** Newest first, with the names an admin reads (officers, references, masked beneficiaries). */
    view: (query: AuditViewQuery) => auditView(db, query),
  };
}

export type Audit = ReturnType<typeof createAudit>;
