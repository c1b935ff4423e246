// Read side of the applications workflow: the filtered list, one application in full, and its documents.
import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { alias, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { AppError } from '../core/errors.ts';
import { maskIdentifier } from '../core/mask.ts';
import { parseReference } from '../core/references.ts';
import type { Locale } from '../core/messages.ts';
import type { Db } from '../db/client.ts';
import {
  applicationDecisions,
  applicationStatusHistory,
  applicationVisits,
  applications,
  attachments,
  contactIdentities,
  contacts,
  messages,
  officers,
  type ApplicationSource,
  type ApplicationStatus,
} from '../db/schema.ts';
import type { Words } from './deps.ts';
import { FINAL_STATUSES, allowedNext, isOverdue } from './transitions.ts';

export type ApplicationRow = typeof applications.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;

export interface ListQuery {
  statuses?: ApplicationStatus[];
  overdue?: boolean;
  q?: string;
  branchId?: string;
  source?: ApplicationSource;
  /** Only the cases assigned to this researcher («حالاتي»). */
  researcherId?: string;
  limit: number;
  cursor?: string;
}

const researcher = alias(officers, 'researcher');

function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // fall through
  }
  throw new AppError('ERR_VALIDATION', 'cursor: not a cursor from this list');
}

const asciiDigits = (s: string) => s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.codePointAt(0) ?? 0) & 0xf));
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function overdueWhere(nowIso: string): SQL {
  return and(lt(applications.committeeDueAt, nowIso), notInArray(applications.status, [...FINAL_STATUSES])) as SQL;
}

export function listApplications(db: Db, query: ListQuery, now: Date) {
  const where: SQL[] = [];
  if (query.statuses?.length) where.push(inArray(applications.status, query.statuses));
  if (query.overdue) where.push(overdueWhere(now.toISOString()));
  if (query.branchId !== undefined) where.push(eq(applications.branchId, query.branchId));
  if (query.source !== undefined) where.push(eq(applications.source, query.source));
  if (query.researcherId !== undefined) where.push(eq(applications.researcherId, query.researcherId));
  const q = query.q?.trim();
  if (q) {
    const pattern = `%${likeEscape(asciiDigits(q))}%`;
    const match = (col: SQLiteColumn) => sql`${col} like ${pattern} escape '\\'`;
    // A whole reference as people type it (any case, O for 0, I or L for 1, Arabic-Indic digits) finds its application.
    const reference = parseReference(q);
    const exact = reference ? [eq(applications.reference, reference)] : [];
    where.push(or(...exact, match(applications.reference), match(applications.applicantName), match(applications.nationalId), match(applications.mobile)) as SQL);
  }
  // The flagged list is worked oldest due first; the general list shows the newest first.
  const key = query.overdue ? applications.committeeDueAt : applications.createdAt;
  const forward = query.overdue === true;
  if (query.cursor) {
    const [k, id] = decodeCursor(query.cursor);
    const after = forward ? gt : lt;
    where.push(or(after(key, k), and(eq(key, k), after(applications.id, id))) as SQL);
  }
  const rows = db
    .select({
      id: applications.id,
      reference: applications.reference,
      applicantName: applications.applicantName,
      nationalId: applications.nationalId,
      status: applications.status,
      source: applications.source,
      branchId: applications.branchId,
      createdAt: applications.createdAt,
      updatedAt: applications.updatedAt,
      committeeDueAt: applications.committeeDueAt,
      documentsCheckedAt: applications.documentsCheckedAt,
      researcherId: applications.researcherId,
      researcherName: researcher.displayName,
      possibleDuplicateOf: applications.possibleDuplicateOf,
    })
    .from(applications)
    .leftJoin(researcher, eq(researcher.id, applications.researcherId))
    .where(and(...where))
    .orderBy(forward ? asc(key) : desc(key), forward ? asc(applications.id) : desc(applications.id))
    .limit(query.limit + 1)
    .all();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ researcherId, researcherName, nationalId, possibleDuplicateOf, ...r }) => ({
      ...r,
      nationalId: maskIdentifier(nationalId),
      possibleDuplicate: possibleDuplicateOf !== null,
      overdue: isOverdue(r, now),
      researcher: researcherId ? { id: researcherId, name: researcherName ?? null } : null,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(forward ? last.committeeDueAt : last.createdAt, last.id) : null,
  };
}

export function getApplication(db: Db, id: string): ApplicationRow {
  const row = db.select().from(applications).where(eq(applications.id, id)).get();
  if (!row) throw new AppError('ERR_NOT_FOUND', 'Application not found.');
  return row;
}

/**
 * Files for this application: those the intake linked to it, and those the applicant uploaded afterwards
 * (when asked for missing documents) that no other application has claimed. Files officers sent the applicant
 * (a letter, a form) are theirs, not the applicant's documents.
 */
export function applicationDocuments(db: Db, app: ApplicationRow): AttachmentRow[] {
  const sentByUs = sql`exists (select 1 from ${messages} where ${messages.id} = ${attachments.messageId} and ${messages.direction} = 'out')`;
  return db
    .select()
    .from(attachments)
    .where(
      and(
        or(eq(attachments.applicationId, app.id), and(isNull(attachments.applicationId), eq(attachments.contactId, app.contactId), sql`${attachments.createdAt} >= ${app.createdAt}`)),
        sql`not ${sentByUs}`,
      ),
    )
    .orderBy(asc(attachments.createdAt), asc(attachments.id))
    .all();
}

function officerNames(db: Db, ids: (string | null | undefined)[]): Map<string, string> {
  const wanted = [...new Set(ids.filter((i): i is string => typeof i === 'string'))];
  if (wanted.length === 0) return new Map();
  const rows = db.select({ id: officers.id, name: officers.displayName }).from(officers).where(inArray(officers.id, wanted)).all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

function label(texts: Words, key: string, id: unknown): { id: unknown; label: Record<Locale, string> } | unknown {
  if (typeof id !== 'string') return id;
  const words = (locale: Locale) => {
    const text = texts.t(locale, `apply.${key}.${id}`);
    return text === `apply.${key}.${id}` ? id : text;
  };
  return { id, label: { ar: words('ar'), en: words('en') } };
}

/** Everything an officer needs to study one application (a personal-data view: the caller audits it). */
export function applicationDetail(db: Db, texts: Words, id: string, now: Date, onlyBranch?: string) {
  const app = getApplication(db, id);
  const history = db.select().from(applicationStatusHistory).where(eq(applicationStatusHistory.applicationId, id)).orderBy(asc(applicationStatusHistory.id)).all();
  const visits = db.select().from(applicationVisits).where(eq(applicationVisits.applicationId, id)).orderBy(asc(applicationVisits.scheduledAt)).all();
  const decisions = db.select().from(applicationDecisions).where(eq(applicationDecisions.applicationId, id)).orderBy(asc(applicationDecisions.id)).all();
  const documents = applicationDocuments(db, app);
  const contact = db.select().from(contacts).where(eq(contacts.id, app.contactId)).get();
  const channels = db.select().from(contactIdentities).where(eq(contactIdentities.contactId, app.contactId)).orderBy(asc(contactIdentities.createdAt)).all();
  const names = officerNames(db, [app.researcherId, app.documentsCheckedBy, app.declarationTakenBy, ...history.map((h) => h.changedBy), ...visits.flatMap((v) => [v.researcherId, v.createdBy]), ...decisions.map((d) => d.decidedBy)]);
  const who = (id: string | null) => (id === null ? null : { id, name: names.get(id) ?? id });
  const answers = { ...(app.answers as Record<string, unknown>) };
  answers.housing_type = label(texts, 'housing', answers.housing_type);
  answers.need_type = label(texts, 'need', answers.need_type);
  const checkedAt = app.documentsCheckedAt;
  // Other applications under this national ID (by anyone), so the researcher can compare a possible duplicate.
  const sameNationalId = db
    .select({ id: applications.id, reference: applications.reference, status: applications.status, createdAt: applications.createdAt, branchId: applications.branchId, sameBeneficiary: sql<number>`${applications.contactId} = ${app.contactId}` })
    .from(applications)
    .where(and(eq(applications.nationalId, app.nationalId), ne(applications.id, app.id)))
    .orderBy(desc(applications.createdAt))
    .all()
    // A representative learns nothing of another branch's cases, not even that one exists under this ID.
    .filter((a) => onlyBranch === undefined || a.branchId === onlyBranch)
    .map(({ branchId: _branch, ...a }) => a);
  const duplicateOf = app.possibleDuplicateOf ? sameNationalId.find((a) => a.id === app.possibleDuplicateOf) : undefined;
  return {
    id: app.id,
    reference: app.reference,
    status: app.status,
    allowedNext: allowedNext(app.status),
    applicantName: app.applicantName,
    nationalId: app.nationalId,
    mobile: app.mobile,
    answers,
    declaration: {
      version: app.declarationVersion,
      acceptedAt: app.declarationAcceptedAt,
      method: app.declarationMethod,
      text: app.declarationText,
      takenBy: who(app.declarationTakenBy),
      scanId: app.declarationScanId,
    },
    source: app.source,
    branchId: app.branchId,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    committeeDueAt: app.committeeDueAt,
    overdue: isOverdue(app, now),
    researcher: who(app.researcherId),
    assignedResearcherId: app.researcherId,
    assignedResearcherName: app.researcherId ? (names.get(app.researcherId) ?? null) : null,
    documentsCheck: { checkedAt, checkedBy: who(app.documentsCheckedBy) },
    possibleDuplicate: app.possibleDuplicateOf !== null,
    possibleDuplicateOf: duplicateOf ? { id: duplicateOf.id, reference: duplicateOf.reference } : null,
    sameNationalId: sameNationalId.map((a) => ({ ...a, sameBeneficiary: a.sameBeneficiary === 1 })),
    documents: documents.map((d) => ({
      id: d.id,
      name: d.originalName,
      mime: d.mime,
      size: d.size,
      createdAt: d.createdAt,
      checklistItemId: d.checklistItemId,
      // The check covers what was there when it was made; a later upload waits for the next check.
      checked: checkedAt !== null && d.createdAt <= checkedAt,
    })),
    history: history.map((h) => ({
      at: h.createdAt,
      from: h.fromStatus,
      to: h.toStatus,
      by: h.changedBy === 'beneficiary' || h.changedBy === 'system' ? { kind: h.changedBy, name: h.changedBy } : { kind: 'officer', id: h.changedBy, name: names.get(h.changedBy) ?? h.changedBy },
      note: h.note,
    })),
    visits: visits.map((v) => ({ id: v.id, kind: v.kind, scheduledAt: v.scheduledAt, place: v.place, status: v.status, notes: v.notes, confirmReason: v.confirmReason, researcher: who(v.researcherId), createdBy: who(v.createdBy), updatedAt: v.updatedAt })),
    decisions: decisions.map((d) => ({ id: d.id, decision: d.decision, reasons: d.reasons, decidedBy: who(d.decidedBy), at: d.createdAt })),
    contact: contact
      ? {
          id: contact.id,
          displayName: contact.displayName,
          locale: contact.locale,
          phone: contact.phone,
          channels: channels.map((c) => ({ channel: c.channel, address: c.address, displayName: c.displayName, lastInboundAt: c.lastInboundAt })),
        }
      : null,
  };
}
