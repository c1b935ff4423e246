// The audit log as admins read it: who (officer names), on what (application references, officers' names, the
// beneficiary's name masked), filterable by officer, beneficiary and action.
import { and, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { maskName } from '../core/mask.ts';
import type { Db } from '../db/client.ts';
import { applications, attachments, auditLog, contacts, conversations, officers, type GrammaticalGender } from '../db/schema.ts';
import type { AuditEntry, AuditQuery } from './audit.ts';

export interface AuditViewQuery extends AuditQuery {
  /** The beneficiary (contact): entries on their conversations, applications, documents and contact record. */
  contactId?: string | undefined;
}

export interface AuditViewEntry extends AuditEntry {
  officerName: string | null;
  /** For the verb's form in Arabic («فتح» / «فتحت»). */
  officerGender: GrammaticalGender | null;
  target: {
    type: string;
    id: string | null;
    /** The application's reference (TW-…), when the entry concerns one. */
    reference: string | null;
    /** The officer acted on (accounts, sign-ins). */
    officerName: string | null;
    /** The beneficiary, masked as the audit log masks names; and their contact id, to filter by. */
    beneficiary: string | null;
    contactId: string | null;
  } | null;
}

const MAX = 500;

export function auditView(db: Db, query: AuditViewQuery): AuditViewEntry[] {
  const actor = alias(officers, 'actor');
  const subject = alias(officers, 'subject');
  const targetIs = (type: string) => eq(auditLog.targetType, type);
  const contactId = sql<string | null>`coalesce(${applications.contactId}, ${conversations.contactId}, case when ${auditLog.targetType} = 'contact' then ${auditLog.targetId} end)`;
  const where: SQL[] = [];
  if (query.before !== undefined) where.push(lt(auditLog.id, query.before));
  if (query.officerId !== undefined) where.push(eq(auditLog.officerId, query.officerId));
  if (query.action !== undefined) where.push(eq(auditLog.action, query.action));
  if (query.targetType !== undefined) where.push(eq(auditLog.targetType, query.targetType));
  if (query.targetId !== undefined) where.push(eq(auditLog.targetId, query.targetId));
  if (query.contactId !== undefined) where.push(eq(contactId, query.contactId));
  const rows = db
    .select({
      id: auditLog.id,
      officerId: auditLog.officerId,
      officerEmail: actor.email,
      officerName: actor.displayName,
      officerGender: actor.grammaticalGender,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
      ip: auditLog.ip,
      createdAt: auditLog.createdAt,
      reference: applications.reference,
      applicantName: applications.applicantName,
      subjectName: subject.displayName,
      contactId,
      contactName: contacts.displayName,
    })
    .from(auditLog)
    .leftJoin(actor, eq(actor.id, auditLog.officerId))
    .leftJoin(subject, and(targetIs('officer'), eq(subject.id, auditLog.targetId)))
    .leftJoin(attachments, and(targetIs('attachment'), eq(attachments.id, auditLog.targetId)))
    .leftJoin(applications, or(and(targetIs('application'), eq(applications.id, auditLog.targetId)), eq(applications.id, attachments.applicationId)))
    .leftJoin(conversations, and(targetIs('conversation'), eq(conversations.id, auditLog.targetId)))
    .leftJoin(contacts, eq(contacts.id, contactId))
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(Math.min(Math.max(1, Math.floor(query.limit)), MAX))
    .all();
  return rows.map(({ reference, applicantName, subjectName, contactId: contact, contactName, ...e }) => {
    const name = applicantName ?? contactName;
    return {
      ...e,
      target: e.targetType
        ? { type: e.targetType, id: e.targetId, reference, officerName: subjectName, beneficiary: name ? maskName(name) : null, contactId: contact }
        : null,
    };
  });
}
