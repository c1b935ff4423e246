// Staff routes for the beneficiaries' privacy requests: the list with deadlines, and closing one with what was done
// (the beneficiary is told in their language, through the conversation service).
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { privacyRoutes as api, type PrivacyRequest } from '../api/privacy.ts';
import type { ConversationService } from '../conversations/service.ts';
import { AppError } from '../core/errors.ts';
import { maskIdentifier } from '../core/mask.ts';
import type { Db } from '../db/client.ts';
import { contactIdentities, contacts, officers, privacyRequests } from '../db/schema.ts';
import { auditor, type InboxAudit, type InboxGuard } from '../inbox/http.ts';

export interface PrivacyRequestRouteDeps {
  db: Db;
  guard: InboxGuard;
  audit: InboxAudit;
  conversations: Pick<ConversationService, 'notify'>;
  now?: () => Date;
}

/** The charity's data protection officer and admins. */
export const PRIVACY_ROLES = ['admin', 'privacy'] as const;

type Row = typeof privacyRequests.$inferSelect;

export function registerPrivacyRequestRoutes(app: FastifyInstance, deps: PrivacyRequestRouteDeps): void {
  const { db } = deps;
  const clock = deps.now ?? (() => new Date());
  const audit = auditor(deps.audit);
  const route = app.withTypeProvider<ZodTypeProvider>();
  const guard = { preValidation: deps.guard(...PRIVACY_ROLES) };

  function view(rows: Row[], now: Date): PrivacyRequest[] {
    if (rows.length === 0) return [];
    const people = db
      .select({ id: contacts.id, displayName: contacts.displayName })
      .from(contacts)
      .where(inArray(contacts.id, [...new Set(rows.map((r) => r.contactId))]))
      .all();
    const identities = db
      .select({ id: contactIdentities.id, channel: contactIdentities.channel, address: contactIdentities.address, displayName: contactIdentities.displayName })
      .from(contactIdentities)
      .where(inArray(contactIdentities.id, [...new Set(rows.map((r) => r.identityId))]))
      .all();
    const closers = rows.flatMap((r) => (r.closedBy ? [r.closedBy] : []));
    const staff = closers.length ? db.select({ id: officers.id, displayName: officers.displayName }).from(officers).where(inArray(officers.id, closers)).all() : [];
    return rows.map((r) => {
      const person = people.find((p) => p.id === r.contactId);
      const identity = identities.find((i) => i.id === r.identityId);
      const closer = staff.find((o) => o.id === r.closedBy);
      return {
        id: r.id,
        reference: r.reference,
        kind: r.kind,
        status: r.status,
        contactId: r.contactId,
        contact: { displayName: person?.displayName ?? identity?.displayName ?? null, channel: identity?.channel ?? '', address: maskIdentifier(identity?.address ?? '') },
        createdAt: r.createdAt,
        dueAt: r.dueAt,
        overdue: r.status === 'open' && Date.parse(r.dueAt) < now.getTime(),
        closedAt: r.closedAt,
        closedBy: closer ? { id: closer.id, displayName: closer.displayName } : null,
        outcome: r.outcome,
      };
    });
  }

  route.get('/api/privacy/requests', { ...guard, schema: api.list }, async (req) => {
    const { status } = req.query;
    const base = db.select().from(privacyRequests);
    const rows = (status === 'all' ? base : base.where(eq(privacyRequests.status, status))).orderBy(asc(privacyRequests.dueAt)).limit(500).all();
    audit(req, 'privacy_request.list', { type: 'privacy_request', id: status }, { count: rows.length });
    return { requests: view(rows, clock()) };
  });

  route.post('/api/privacy/requests/:id/close', { ...guard, schema: api.close }, async (req) => {
    const now = clock();
    const officer = req.officer;
    if (!officer) throw new AppError('ERR_UNAUTHORIZED', 'Sign in first.');
    const closed = db
      .update(privacyRequests)
      .set({ status: 'closed', closedAt: now.toISOString(), closedBy: officer.id, outcome: req.body.outcome })
      .where(and(eq(privacyRequests.id, req.params.id), eq(privacyRequests.status, 'open')))
      .returning()
      .get();
    if (!closed) {
      const exists = db.select({ id: privacyRequests.id }).from(privacyRequests).where(eq(privacyRequests.id, req.params.id)).get();
      throw exists ? new AppError('ERR_CONFLICT', 'This request is already closed.') : new AppError('ERR_NOT_FOUND', 'Privacy request not found.');
    }
    audit(req, 'privacy_request.close', { type: 'privacy_request', id: closed.id }, { kind: closed.kind, reference: closed.reference });
    const message = await deps.conversations.notify(closed.contactId, 'privacy.closed', { reference: closed.reference, what: { t: `privacy.what.${closed.kind}` }, outcome: closed.outcome ?? '' });
    const [request] = view([closed], now);
    if (!request) throw new AppError('ERR_INTERNAL', 'closed request vanished');
    return { request, notified: message !== undefined };
  });
}
