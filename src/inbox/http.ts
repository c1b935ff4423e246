// What every inbox route shares: the injected guard and audit recorder, body parsing, and who is asking.
import type { FastifyRequest, preHandlerAsyncHookHandler, preHandlerHookHandler } from 'fastify';
import type { AuditEvent } from '../auth/audit.ts';
import type { OfficerPrincipal } from '../auth/principal.ts';
import { AppError } from '../core/errors.ts';
import { parseInput } from '../core/parse.ts';
import type { OfficerRole } from '../db/schema.ts';

/** `requireOfficer(...roles)` from src/auth/guards.ts: 401 without a session, 403 for another role, CSRF on writes. */
export type InboxGuard = (...roles: OfficerRole[]) => preHandlerAsyncHookHandler | preHandlerHookHandler;

/** The part of `createAudit(db)` (src/auth/audit.ts) the inbox uses. */
export interface InboxAudit {
  record(event: AuditEvent): void;
}

/** Who works conversations; committee members decide applications and do not. */
export const INBOX_ROLES: readonly OfficerRole[] = ['officer', 'researcher', 'admin'];

export const parse = parseInput;

/** The signed-in officer; the guard ran before, so a missing one is a wiring mistake answered as 401. */
export function officerOf(req: FastifyRequest): OfficerPrincipal {
  if (!req.officer) throw new AppError('ERR_UNAUTHORIZED', 'Sign in first.');
  return req.officer;
}

/** Records `action` for the signed-in officer with the client IP. */
export function auditor(audit: InboxAudit) {
  return (req: FastifyRequest, action: string, target: { type: string; id: string }, details?: Record<string, unknown>): void => {
    audit.record({ officerId: officerOf(req).id, action, targetType: target.type, targetId: target.id, ip: req.ip, ...(details ? { details } : {}) });
  };
}
