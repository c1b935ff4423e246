// Registry entries for the applications side: applications with their history, visits and decisions, files,
// status requests, volunteers, feedback and interactions.
import { and, eq, inArray, notInArray, or } from 'drizzle-orm';
import { applicationChecklist, applicationDecisions, applicationStatusHistory, applicationVisits, applications, attachments, feedback, interactions, statusRequests, volunteers } from '../db/schema.ts';
import type { Db } from '../db/client.ts';
import type { PersonalEntry } from './registry-types.ts';
import { DECIDED_STATUSES, type EraseContext, type Subject } from './subject.ts';

const any = <T>(ids: T[]) => ids.length > 0;
/** Answers that say nothing about who the applicant is (amounts and categories), kept under the legal hold. */
const KEPT_ANSWERS = ['family_size', 'monthly_income', 'housing_type', 'need_type', 'channel', 'documents_later'];

/** The applications an erasure keeps (decided, under the legal hold) and those it deletes. */
export function splitApplications(ctx: Pick<EraseContext, 'db' | 'subject' | 'legalHold'>): { kept: string[]; deleted: string[] } {
  if (!any(ctx.subject.applicationIds)) return { kept: [], deleted: [] };
  const rows = ctx.db.select({ id: applications.id, status: applications.status }).from(applications).where(inArray(applications.id, ctx.subject.applicationIds)).all();
  const kept = ctx.legalHold ? rows.filter((r) => DECIDED_STATUSES.includes(r.status)).map((r) => r.id) : [];
  return { kept, deleted: rows.map((r) => r.id).filter((id) => !kept.includes(id)) };
}

/** Anonymises applications in place: only status, dates, amounts and the decision remain. */
export function anonymiseApplications(db: Db, ids: string[], placeholder: string, now: string): number {
  if (!any(ids)) return 0;
  let changed = 0;
  for (const row of db.select({ id: applications.id, answers: applications.answers }).from(applications).where(inArray(applications.id, ids)).all()) {
    const answers = Object.fromEntries(Object.entries((row.answers ?? {}) as Record<string, unknown>).filter(([k]) => KEPT_ANSWERS.includes(k)));
    changed += db
      .update(applications)
      .set({ applicantName: placeholder, nationalId: '', mobile: '', answers, declarationText: null, declarationScanId: null, declarationTakenBy: null, possibleDuplicateOf: null, updatedAt: now })
      .where(eq(applications.id, row.id))
      .run().changes;
  }
  db.update(applicationStatusHistory).set({ note: null }).where(inArray(applicationStatusHistory.applicationId, ids)).run();
  db.update(applicationVisits).set({ place: placeholder, notes: null }).where(inArray(applicationVisits.applicationId, ids)).run();
  db.update(applicationDecisions).set({ reasons: placeholder }).where(inArray(applicationDecisions.applicationId, ids)).run();
  return changed;
}

const ofApps = (s: Subject) => any(s.applicationIds);

export const applicationEntries: PersonalEntry[] = [
  {
    table: attachments,
    personal: true,
    export: (db, s) => (any(s.attachmentIds) ? db.select({ id: attachments.id, applicationId: attachments.applicationId, messageId: attachments.messageId, originalName: attachments.originalName, mime: attachments.mime, size: attachments.size, sha256: attachments.sha256, createdAt: attachments.createdAt }).from(attachments).where(inArray(attachments.id, s.attachmentIds)).all() : []),
    erase: ({ db, subject: s, files }) => {
      if (!any(s.attachmentIds)) return 0;
      files.push(...db.select({ p: attachments.storagePath }).from(attachments).where(inArray(attachments.id, s.attachmentIds)).all().map((r) => r.p));
      return db.delete(attachments).where(inArray(attachments.id, s.attachmentIds)).run().changes;
    },
  },
  {
    table: statusRequests,
    personal: true,
    export: (db, s) => db.select().from(statusRequests).where(ofApps(s) ? or(eq(statusRequests.requesterContactId, s.contactId), inArray(statusRequests.applicationId, s.applicationIds)) : eq(statusRequests.requesterContactId, s.contactId)).all(),
    erase: ({ db, subject: s }) => db.delete(statusRequests).where(ofApps(s) ? or(eq(statusRequests.requesterContactId, s.contactId), inArray(statusRequests.applicationId, s.applicationIds)) : eq(statusRequests.requesterContactId, s.contactId)).run().changes,
  },
  {
    table: applicationDecisions,
    personal: true,
    export: (db, s) => (ofApps(s) ? db.select().from(applicationDecisions).where(inArray(applicationDecisions.applicationId, s.applicationIds)).all() : []),
    erase: (ctx) => {
      const { deleted } = splitApplications(ctx);
      return any(deleted) ? ctx.db.delete(applicationDecisions).where(inArray(applicationDecisions.applicationId, deleted)).run().changes : 0;
    },
  },
  {
    table: applicationChecklist,
    personal: true,
    // Each document, interview and visit check with who set it; notes hold waiver reasons. Deleted with the
    // application; a kept (decided) one keeps its states without the notes.
    export: (db, s) => (ofApps(s) ? db.select().from(applicationChecklist).where(inArray(applicationChecklist.applicationId, s.applicationIds)).all() : []),
    erase: (ctx) => {
      const { deleted } = splitApplications(ctx);
      const s = ctx.subject;
      const removed = any(deleted) ? ctx.db.delete(applicationChecklist).where(inArray(applicationChecklist.applicationId, deleted)).run().changes : 0;
      const cleared = ofApps(s) ? ctx.db.update(applicationChecklist).set({ note: null }).where(inArray(applicationChecklist.applicationId, s.applicationIds)).run().changes : 0;
      return removed + cleared;
    },
  },
  {
    table: applicationVisits,
    personal: true,
    export: (db, s) => (ofApps(s) ? db.select().from(applicationVisits).where(inArray(applicationVisits.applicationId, s.applicationIds)).all() : []),
    erase: (ctx) => {
      const { deleted } = splitApplications(ctx);
      return any(deleted) ? ctx.db.delete(applicationVisits).where(inArray(applicationVisits.applicationId, deleted)).run().changes : 0;
    },
  },
  {
    table: applicationStatusHistory,
    personal: true,
    export: (db, s) => (ofApps(s) ? db.select().from(applicationStatusHistory).where(inArray(applicationStatusHistory.applicationId, s.applicationIds)).orderBy(applicationStatusHistory.id).all() : []),
    erase: (ctx) => {
      const { deleted } = splitApplications(ctx);
      return any(deleted) ? ctx.db.delete(applicationStatusHistory).where(inArray(applicationStatusHistory.applicationId, deleted)).run().changes : 0;
    },
  },
  {
    table: applications,
    personal: true,
    export: (db, s) => db.select().from(applications).where(eq(applications.contactId, s.contactId)).all(),
    erase: (ctx) => {
      const { kept, deleted } = splitApplications(ctx);
      const { db } = ctx;
      let n = anonymiseApplications(db, kept, ctx.placeholder, ctx.now);
      if (any(deleted)) {
        // Another beneficiary's application may point here as a possible duplicate.
        db.update(applications).set({ possibleDuplicateOf: null }).where(and(inArray(applications.possibleDuplicateOf, deleted), notInArray(applications.id, deleted))).run();
        db.update(applications).set({ possibleDuplicateOf: null }).where(inArray(applications.id, deleted)).run();
        n += db.delete(applications).where(inArray(applications.id, deleted)).run().changes;
      }
      return n;
    },
  },
  {
    table: volunteers,
    personal: true,
    export: (db, s) => db.select().from(volunteers).where(eq(volunteers.contactId, s.contactId)).all(),
    erase: ({ db, subject: s }) => db.delete(volunteers).where(eq(volunteers.contactId, s.contactId)).run().changes,
  },
  {
    table: feedback,
    personal: true,
    export: (db, s) => db.select().from(feedback).where(eq(feedback.contactId, s.contactId)).all(),
    // Kept as a count for the reports; the words go.
    erase: ({ db, subject: s, placeholder }) => db.update(feedback).set({ text: placeholder }).where(eq(feedback.contactId, s.contactId)).run().changes,
  },
  {
    table: interactions,
    personal: true,
    export: (db, s) => db.select().from(interactions).where(eq(interactions.contactId, s.contactId)).all(),
    erase: ({ db, subject: s, placeholder }) => db.update(interactions).set({ summary: placeholder }).where(eq(interactions.contactId, s.contactId)).run().changes,
  },
];
