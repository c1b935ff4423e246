// Erasure of one beneficiary's personal data through the registry: one transaction for the rows, then the files.
import fs from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { eq, getTableName } from 'drizzle-orm';
import type { Logger } from '../core/channel.ts';
import { AppError } from '../core/errors.ts';
import type { Pseudonymizer } from '../core/pseudonym.ts';
import type { Locale } from '../core/messages.ts';
import type { Db } from '../db/client.ts';
import { contacts, erasureRequests } from '../db/schema.ts';
import { storedPath } from '../files/uploads.ts';
import { PERSONAL_ENTRIES } from './registry.ts';
import { subjectOf, type EraseContext } from './subject.ts';

export interface ErasureDeps {
  db: Db;
  pseudonym: Pseudonymizer;
  placeholder(locale: Locale): string;
  uploadsDir: string;
  legalHold: boolean;
  secondApproval: boolean;
  audit: { record(event: { officerId: string | null; action: string; targetType?: string; targetId?: string; details?: Record<string, unknown>; ip?: string }): void };
  logger: Logger;
  now?: () => Date;
}

export interface Actor {
  officerId: string;
  ip?: string | undefined;
}

export type ErasureOutcome = { id: string; status: 'pending' } | { id: string; status: 'done'; counts: Record<string, number> };

export function createErasure(deps: ErasureDeps) {
  const { db } = deps;
  const clock = deps.now ?? (() => new Date());
  const ip = (a: Actor) => (a.ip ? { ip: a.ip } : {});

  /** Rows first, in one transaction; then the files it freed (a file left by a failure here is a stray the file purge finds). */
  async function perform(id: string, contactId: string, actor: Actor): Promise<Record<string, number>> {
    const files: string[] = [];
    const now = clock().toISOString();
    const counts = db.$client.transaction(() => {
      const contact = db.select({ locale: contacts.locale }).from(contacts).where(eq(contacts.id, contactId)).get();
      if (!contact) throw new AppError('ERR_NOT_FOUND', 'Contact not found.');
      const ctx: EraseContext = { db, subject: subjectOf(db, contactId), placeholder: deps.placeholder(contact.locale), pseudonym: deps.pseudonym, legalHold: deps.legalHold, files, now };
      const out: Record<string, number> = {};
      for (const entry of PERSONAL_ENTRIES) out[getTableName(entry.table)] = entry.erase(ctx);
      db.update(erasureRequests).set({ status: 'done', confirmedBy: actor.officerId, counts: out, doneAt: now }).where(eq(erasureRequests.id, id)).run();
      deps.audit.record({ officerId: actor.officerId, action: 'contact.erase', targetType: 'contact', targetId: contactId, details: { erasureId: id, counts: out }, ...ip(actor) });
      return out;
    })();
    for (const rel of files) {
      const abs = storedPath(deps.uploadsDir, rel);
      if (abs) await fs.rm(abs, { force: true }).catch(() => undefined);
    }
    deps.logger.info({ erasureId: id, files: files.length }, 'contact erased');
    return counts;
  }

  return {
    /** An admin asks: pending for a second admin (ERASURE_SECOND_APPROVAL), or done at once. */
    async request(contactId: string, reason: string, actor: Actor): Promise<ErasureOutcome> {
      if (!db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, contactId)).get()) throw new AppError('ERR_NOT_FOUND', 'Contact not found.');
      const id = randomUUID();
      db.$client.transaction(() => {
        db.insert(erasureRequests).values({ id, contactId, reason, requestedBy: actor.officerId, createdAt: clock().toISOString() }).run();
        deps.audit.record({ officerId: actor.officerId, action: 'contact.erase_request', targetType: 'contact', targetId: contactId, details: { erasureId: id }, ...ip(actor) });
      })();
      if (deps.secondApproval) return { id, status: 'pending' };
      return { id, status: 'done', counts: await perform(id, contactId, actor) };
    },

    /** A second admin confirms; the one who asked cannot (four eyes). */
    async confirm(id: string, actor: Actor): Promise<ErasureOutcome> {
      const row = db.select().from(erasureRequests).where(eq(erasureRequests.id, id)).get();
      if (!row) throw new AppError('ERR_NOT_FOUND', 'Erasure request not found.');
      if (row.status !== 'pending') throw new AppError('ERR_CONFLICT', 'This erasure is already done.');
      if (row.requestedBy === actor.officerId) throw new AppError('ERR_FOUR_EYES', 'Another admin must confirm an erasure you asked for.');
      return { id, status: 'done', counts: await perform(id, row.contactId, actor) };
    },
  };
}

export type Erasure = ReturnType<typeof createErasure>;
