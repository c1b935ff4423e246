// Calls, visits and letters in a beneficiary's history: recorded by staff, listed with who recorded them, audited.
// The one writer of the interactions table.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inboxRoutes as api } from '../api/inbox.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import { type INTERACTION_KINDS, applications, contacts, interactions, officers } from '../db/schema.ts';
import { INBOX_ROLES, officerOf, type InboxAudit, type InboxGuard } from './http.ts';

export interface InteractionView {
  id: string;
  contactId: string;
  kind: (typeof INTERACTION_KINDS)[number];
  summary: string;
  occurredAt: string;
  recordedBy: { id: string; displayName: string };
  createdAt: string;
}

export { SUMMARY_MAX_LENGTH } from '../api/inbox.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A contact's interactions, oldest first, with the recorder's name. */
export function interactionsOf(db: Db, contactIds: readonly string[]): InteractionView[] {
  if (contactIds.length === 0) return [];
  return db
    .select({ id: interactions.id, contactId: interactions.contactId, kind: interactions.kind, summary: interactions.summary, occurredAt: interactions.occurredAt, recordedById: interactions.recordedBy, recordedByName: officers.displayName, createdAt: interactions.createdAt })
    .from(interactions)
    .leftJoin(officers, eq(officers.id, interactions.recordedBy))
    .where(inArray(interactions.contactId, [...contactIds]))
    .orderBy(asc(interactions.occurredAt), asc(interactions.createdAt))
    .all()
    .map(({ recordedById, recordedByName, ...r }) => ({ ...r, recordedBy: { id: recordedById, displayName: recordedByName ?? recordedById } }));
}

export interface InteractionDeps {
  db: Db;
  guard: InboxGuard;
  audit: InboxAudit;
  now: () => Date;
}

export function registerInteractionRoutes(server: FastifyInstance, deps: InteractionDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  // Representatives record their branch's visits and calls too; conversations stay with the relations office.
  const guard = { preValidation: deps.guard(...INBOX_ROLES, 'representative') };

  /** The contact, if this officer may see it: a representative only a beneficiary with a case in their branch. */
  function contactFor(req: FastifyRequest): string {
    const { id } = req.params as { id: string };
    const me = officerOf(req);
    const contact = UUID.test(id) ? db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, id)).get() : undefined;
    if (!contact) throw new AppError('ERR_NOT_FOUND', 'Contact not found.');
    if (me.role === 'representative') {
      const branchId = db.select({ branchId: officers.branchId }).from(officers).where(eq(officers.id, me.id)).get()?.branchId;
      const inBranch = branchId ? db.select({ id: applications.id }).from(applications).where(and(eq(applications.contactId, id), eq(applications.branchId, branchId))).limit(1).get() : undefined;
      if (!inBranch) throw new AppError('ERR_NOT_FOUND', 'Contact not found.');
    }
    return contact.id;
  }

  app.post('/api/contacts/:id/interactions', { ...guard, schema: api.interactionCreate }, async (req, reply) => {
    const contactId = contactFor(req);
    const input = req.body;
    const me = officerOf(req);
    const now = deps.now();
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
    if (occurredAt.getTime() > now.getTime() + 60_000) throw new AppError('ERR_VALIDATION', 'occurredAt: must not be in the future');
    const id = randomUUID();
    db.$client.transaction(() => {
      db.insert(interactions).values({ id, contactId, kind: input.kind, summary: input.summary, occurredAt: occurredAt.toISOString(), recordedBy: me.id, createdAt: now.toISOString() }).run();
      deps.audit.record({ officerId: me.id, action: 'contact.interaction', targetType: 'contact', targetId: contactId, details: { interactionId: id, kind: input.kind }, ip: req.ip });
    })();
    const view = interactionsOf(db, [contactId]).find((i) => i.id === id);
    if (!view) throw new AppError('ERR_INTERNAL', 'The interaction was not stored.');
    return reply.code(201).send({ interaction: view });
  });

  app.get('/api/contacts/:id/interactions', { ...guard, schema: api.interactionList }, async (req) => {
    const contactId = contactFor(req);
    const me = officerOf(req);
    deps.audit.record({ officerId: me.id, action: 'contact.interactions_view', targetType: 'contact', targetId: contactId, ip: req.ip });
    return { interactions: interactionsOf(db, [contactId]) };
  });
}
