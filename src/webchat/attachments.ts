// The attachments table as the web chat uses it: record an upload, find it for its owner, forget a failed one.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { attachments } from '../db/schema.ts';

export type AttachmentRow = typeof attachments.$inferSelect;
export type NewAttachment = typeof attachments.$inferInsert;

export function createAttachments(db: Db, uploadsDir: string) {
  const byId = db.select().from(attachments).where(eq(attachments.id, sql.placeholder('id'))).prepare();
  return {
    /** DATA_DIR/uploads: every stored file lives below it. */
    dir: uploadsDir,
    insert(row: NewAttachment): void {
      db.insert(attachments).values(row).run();
    },
    get(id: string): AttachmentRow | undefined {
      return byId.get({ id });
    },
    remove(id: string): void {
      db.delete(attachments).where(eq(attachments.id, id)).run();
    },
  };
}

export type Attachments = ReturnType<typeof createAttachments>;
