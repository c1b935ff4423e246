// What the application and report routes are given (guard, audit, texts, clock) and small helpers they share.
import type { FastifyRequest, preHandlerAsyncHookHandler, preHandlerHookHandler } from 'fastify';
import type { OfficerPrincipal } from '../auth/principal.ts';
import { AppError } from '../core/errors.ts';
import { parseInput } from '../core/parse.ts';
import type { Locale } from '../core/messages.ts';
import type { EventBus } from '../conversations/events.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { Db } from '../db/client.ts';
import type { OfficerRole } from '../db/schema.ts';
import type { AuditEvent } from '../auth/audit.ts';
import type { Json } from '../flows/types.ts';
import type { HoursProfile } from '../dates/working-hours.ts';
import type { ChecklistProfile } from './checklist.ts';
import type { IntakeRules } from './intake.ts';

/** `requireOfficer(...roles)` from src/auth/guard.ts: 401 without a session, 403 for another role, CSRF on writes. */
export type Guard = (...roles: OfficerRole[]) => preHandlerAsyncHookHandler | preHandlerHookHandler;

/** The audit recorder from src/auth/audit.ts (synchronous, so it joins our transactions). */
export interface AuditRecorder {
  record(event: AuditEvent): void;
}

/** Only what we read: the words for statuses and the intake's choice labels. */
export interface Words {
  t(locale: Locale, key: string, params?: Record<string, Json>): string;
}

/** What staff registration, the checklist and visit scheduling read from the charity profile. */
export interface RegistrationProfile extends ChecklistProfile, HoursProfile {
  committee_review_days: number;
  declaration_version: string;
  branches: readonly Branch[];
  /** For the applicant's follow-up line: the charity's phone ({ar,en} as the profile displays it), site and WhatsApp. */
  phone: Json;
  website: string;
  whatsapp?: Json | undefined;
}

/** From the loaded charity profile (src/profile): what registration reads, the WhatsApp number as dialled per language. */
export function registrationProfileOf(p: Omit<RegistrationProfile, 'phone' | 'whatsapp'> & { display: { phone: Json }; whatsapp?: string | undefined }): RegistrationProfile {
  return {
    required_documents: p.required_documents,
    eligibility: p.eligibility,
    working_hours: p.working_hours,
    holidays: p.holidays,
    committee_review_days: p.committee_review_days,
    declaration_version: p.declaration_version,
    branches: p.branches,
    phone: p.display.phone,
    website: p.website,
    // As Saudis dial it in Arabic texts (05…), E.164 in English ones, like the profile's phone.
    ...(p.whatsapp ? { whatsapp: { ar: p.whatsapp.replace(/^\+966/, '0'), en: p.whatsapp } } : {}),
  };
}

export interface Branch {
  id: string;
  name: { ar: string; en: string };
  city: { ar: string; en: string };
}

export interface ApplicationRouteDeps {
  db: Db;
  /** The conversation service: `notify` is the only way a beneficiary is messaged, `registerPerson` the way staff add one. */
  conversations: Pick<ConversationService, 'notify' | 'registerPerson' | 'reachableChannels' | 'askSurvey'>;
  /** The apply flow's validators (src/applications/intake.ts `intakeRules`). */
  intake: IntakeRules;
  profile: RegistrationProfile;
  /** UPLOAD_MAX_BYTES, for a declaration scan (5 MiB when not given). */
  uploadMaxBytes?: number;
  texts: Words;
  guard: Guard;
  audit: AuditRecorder;
  /** DATA_DIR: documents live under DATA_DIR/uploads/<storagePath>. */
  dataDir: string;
  now?: () => Date;
  logger?: { warn(obj: object, msg: string): void };
  /** The live feed: a researcher assigned a case is alerted in their inbox (after the commit). */
  bus?: Pick<EventBus, 'emitAssignment'>;
}

export interface ReportRouteDeps {
  db: Db;
  guard: Guard;
  now?: () => Date;
}

export const ALL_ROLES: OfficerRole[] = ['officer', 'researcher', 'committee', 'admin', 'representative'];
/** Who may register an application for someone (a caller, a walk-in, a branch's case). */
export const REGISTER_ROLES: OfficerRole[] = ['officer', 'representative', 'admin'];
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
