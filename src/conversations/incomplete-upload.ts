// A file a beneficiary sends while their application is «ناقص» (incomplete): it belongs to that application and is
// tagged with the document asked for (the first requested one still missing, else the first pending one).
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { applicationChecklist, applications, attachments } from '../db/schema.ts';

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
  if (!input.document) return;
  const set = { state: 'received' as const, setBy: 'beneficiary', setAt: input.now, requested: false };
  db.insert(applicationChecklist)
    .values({ applicationId: input.applicationId, itemId: input.document.id, ...set })
    .onConflictDoUpdate({ target: [applicationChecklist.applicationId, applicationChecklist.itemId], set })
    .run();
}
