// A file a beneficiary sends while their application is «ناقص» (incomplete): it belongs to that application and is
// tagged with the document asked for (the first requested one still missing, else the first pending one). A
// provider's media is reserved for its document when it comes in and claimed once downloaded (media.ts).
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { applicationChecklist, applications, attachments, messages } from '../db/schema.ts';

export interface ProfileDocument {
  id: string;
  ar: string;
  en: string;
}

/** The beneficiary's newest application waiting for documents, if any. */
export function incompleteApplication(db: Db, contactId: string): { id: string; reference: string } | undefined {
  return db
    .select({ id: applications.id, reference: applications.reference })
    .from(applications)
    .where(and(eq(applications.contactId, contactId), eq(applications.status, 'incomplete')))
    .orderBy(desc(applications.createdAt))
    .limit(1)
    .get();
}

/** Which document the next file is taken for: the first requested one not yet received, else the first pending one. */
export function nextMissingDocument(db: Db, applicationId: string, documents: readonly ProfileDocument[]): ProfileDocument | undefined {
  const rows = db.select().from(applicationChecklist).where(eq(applicationChecklist.applicationId, applicationId)).orderBy(asc(applicationChecklist.itemId)).all();
  const byId = new Map(rows.map((r) => [r.itemId, r]));
  const pending = documents.filter((d) => (byId.get(d.id)?.state ?? 'pending') === 'pending');
  return pending.find((d) => byId.get(d.id)?.requested) ?? pending[0];
}

/** Link the file to the application, tag it, and mark that document received (in the caller's transaction). */
export function claimForApplication(db: Db, input: { attachmentId: string; applicationId: string; document: ProfileDocument | undefined; now: string }): void {
  db.update(attachments).set({ applicationId: input.applicationId, checklistItemId: input.document?.id ?? null }).where(eq(attachments.id, input.attachmentId)).run();
  if (input.document) markReceivedByBeneficiary(db, input.applicationId, input.document.id, input.now);
}

function markReceivedByBeneficiary(db: Db, applicationId: string, itemId: string, now: string): void {
  const set = { state: 'received' as const, setBy: 'beneficiary', setAt: now, requested: false };
  db.insert(applicationChecklist)
    .values({ applicationId, itemId, ...set })
    .onConflictDoUpdate({ target: [applicationChecklist.applicationId, applicationChecklist.itemId], set })
    .run();
}

/** What a provider's media message was taken for when it came in (kept in its payload until the file is stored). */
export interface Reservation {
  forApplication?: string;
  forDocument?: string;
}

/**
 * A provider's photo or file is downloaded after the commit: the document it is thanked for is reserved now (the
 * item marked received), so a second photo in a row goes to the next missing document, not the same one again.
 */
export function reserveForApplication(db: Db, input: { messageId: number; applicationId: string; document: ProfileDocument | undefined; now: string }): void {
  const row = db.select({ payload: messages.payload }).from(messages).where(eq(messages.id, input.messageId)).get();
  const payload = row?.payload && typeof row.payload === 'object' && !Array.isArray(row.payload) ? row.payload : {};
  const reservation: Reservation = { forApplication: input.applicationId, ...(input.document ? { forDocument: input.document.id } : {}) };
  db.update(messages).set({ payload: { ...payload, ...reservation } }).where(eq(messages.id, input.messageId)).run();
  if (input.document) markReceivedByBeneficiary(db, input.applicationId, input.document.id, input.now);
}

/** The file never arrived (too large, gone): the reserved document is pending again, unless a file is tagged with it. */
export function releaseReservation(db: Db, r: Reservation): void {
  if (!r.forApplication || !r.forDocument) return;
  const tagged = db.select({ id: attachments.id }).from(attachments).where(and(eq(attachments.applicationId, r.forApplication), eq(attachments.checklistItemId, r.forDocument))).get();
  if (tagged) return;
  db.update(applicationChecklist)
    .set({ state: 'pending', setBy: null, setAt: null, requested: true })
    .where(and(eq(applicationChecklist.applicationId, r.forApplication), eq(applicationChecklist.itemId, r.forDocument), eq(applicationChecklist.state, 'received'), eq(applicationChecklist.setBy, 'beneficiary')))
    .run();
}
