// What the application and report routes are given (guard, audit, texts, clock) and small helpers they share.
import type { FastifyRequest, preHandlerAsyncHookHandler, preHandlerHookHandler } from 'fastify';
import type { OfficerPrincipal } from '../auth/principal.ts';
import { AppError } from '../core/errors.ts';
import { parseInput } from '../core/parse.ts';
import type { Locale } from '../core/messages.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { Db } from '../db/client.ts';
import type { OfficerRole } from '../db/schema.ts';
import type { AuditEvent } from '../auth/audit.ts';

/** `requireOfficer(...roles)` from src/auth/guard.ts: 401 without a session, 403 for another role, CSRF on writes. */
export type Guard = (...roles: OfficerRole[]) => preHandlerAsyncHookHandler | preHandlerHookHandler;

/** The audit recorder from src/auth/audit.ts (synchronous, so it joins our transactions). */
export interface AuditRecorder {
  record(event: AuditEvent): void;
}

/** Only what we read: the words for statuses and the intake's choice labels. */
export interface Words {
  t(locale: Locale, key: string): string;
}

export interface ApplicationRouteDeps {
  db: Db;
  /** The conversation service: `notify` is the only way a beneficiary is messaged. */
  conversations: Pick<ConversationService, 'notify'>;
  texts: Words;
  guard: Guard;
  audit: AuditRecorder;
  /** DATA_DIR: documents live under DATA_DIR/uploads/<storagePath>. */
  dataDir: string;
  now?: () => Date;
  logger?: { warn(obj: object, msg: string): void };
}

export interface ReportRouteDeps {
  db: Db;
  guard: Guard;
  now?: () => Date;
}

export const ALL_ROLES: OfficerRole[] = ['officer', 'researcher', 'committee', 'admin'];
export const STUDY_ROLES: OfficerRole[] = ['officer', 'researcher', 'admin'];

/** The signed-in officer; the guard ran first, so a missing one is a wiring mistake answered as 401. */
export function officerOf(req: FastifyRequest): OfficerPrincipal {
  if (!req.officer) throw new AppError('ERR_UNAUTHORIZED', 'Sign in first.');
  return req.officer;
}

/** Parse with zod; every problem named in one 400. */
export const parseBody = parseInput;

/** Ids in URLs are UUIDs; anything else is simply not found. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function notFound(what: string): AppError {
  return new AppError('ERR_NOT_FOUND', `${what} not found.`);
}
