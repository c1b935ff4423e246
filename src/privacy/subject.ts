// Whose data an export or an erasure is about: one beneficiary (a contact) and the ids of every row tied to them.
import { eq, inArray } from 'drizzle-orm';
import type { Pseudonymizer } from '../core/pseudonym.ts';
import type { Db } from '../db/client.ts';
import { applications, attachments, contactIdentities, conversations, messages } from '../db/schema.ts';

/** Statuses after which an application counts as decided: kept (anonymised) under RETENTION_LEGAL_HOLD. */
export const DECIDED_STATUSES: readonly string[] = ['approved', 'rejected', 'service_delivered', 'closed'];

export interface Subject {
  contactId: string;
  identityIds: string[];
  conversationIds: string[];
  messageIds: number[];
  applicationIds: string[];
  attachmentIds: string[];
}

export function subjectOf(db: Db, contactId: string): Subject {
  const ids = <T>(rows: { id: T }[]) => rows.map((r) => r.id);
  const applicationIds = ids(db.select({ id: applications.id }).from(applications).where(eq(applications.contactId, contactId)).all());
  const own = db.select({ id: attachments.id }).from(attachments).where(eq(attachments.contactId, contactId)).all();
  const ofApps = applicationIds.length > 0 ? db.select({ id: attachments.id }).from(attachments).where(inArray(attachments.applicationId, applicationIds)).all() : [];
  return {
    contactId,
    identityIds: ids(db.select({ id: contactIdentities.id }).from(contactIdentities).where(eq(contactIdentities.contactId, contactId)).all()),
    conversationIds: ids(db.select({ id: conversations.id }).from(conversations).where(eq(conversations.contactId, contactId)).all()),
    messageIds: ids(db.select({ id: messages.id }).from(messages).where(eq(messages.contactId, contactId)).all()),
    applicationIds,
    attachmentIds: [...new Set([...ids(own), ...ids(ofApps)])],
  };
}

/** What an erasure needs besides the subject; `files` collects stored paths to delete from disk after the commit. */
export interface EraseContext {
  db: Db;
  subject: Subject;
  /** «[حُذف بطلب المستفيد]» in the beneficiary's language: what erased texts read, so counts stay right. */
  placeholder: string;
  pseudonym: Pseudonymizer;
  /** RETENTION_LEGAL_HOLD: decided applications keep their non-identifying fields instead of being deleted. */
  legalHold: boolean;
  files: string[];
  now: string;
}
