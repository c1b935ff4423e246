// Personal-data incidents: admins record what happened and whom it touched, see SDAIA's 72-hour deadline, and tell
// the affected beneficiaries through the usual notification routes.
import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { incidentRoutes as api } from '../api/incidents.ts';
import { AppError } from '../core/errors.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { Db } from '../db/client.ts';
import { incidents, type OfficerRole } from '../db/schema.ts';

/** PDPL's implementing regulation: SDAIA is told within 72 hours of becoming aware of the incident. */
export const SDAIA_NOTICE_HOURS = 72;

export interface IncidentRouteDeps {
  db: Db;
  guard: (...roles: OfficerRole[]) => preHandlerAsyncHookHandler;
  audit: { record(event: { officerId: string | null; action: string; targetType?: string; targetId?: string; details?: Record<string, unknown>; ip?: string }): void };
  conversations: Pick<ConversationService, 'notify'>;
  now: () => Date;
}

type Row = typeof incidents.$inferSelect;

export function incidentView(row: Row, now: Date) {
  const deadline = new Date(Date.parse(row.discoveredAt) + SDAIA_NOTICE_HOURS * 3_600_000);
  // Overdue until recorded as handled: the charity tells SDAIA outside Tawasul, so the flag stays a reminder.
  return { ...row, sdaiaDeadline: deadline.toISOString(), overdue: now.getTime() > deadline.getTime() };
}

export function registerIncidentRoutes(app: FastifyInstance, deps: IncidentRouteDeps): void {
  const { db } = deps;
  const route = app.withTypeProvider<ZodTypeProvider>();
  const admin = { preValidation: deps.guard('admin') };
  const who = (req: FastifyRequest) => {
    if (!req.officer) throw new AppError('ERR_UNAUTHORIZED', 'Sign in first.');
    return req.officer.id;
  };

  route.post('/api/admin/incidents', { ...admin, schema: api.create }, async (req, reply) => {
    const body = req.body;
    const now = deps.now();
    if (Date.parse(body.discoveredAt) > now.getTime() + 60_000) throw new AppError('ERR_VALIDATION', 'discoveredAt: must not be in the future');
    const row: Row = {
      id: randomUUID(),
      what: body.what,
      discoveredAt: new Date(body.discoveredAt).toISOString(),
      affectedContactIds: [...new Set(body.affectedContactIds)],
      actions: body.actions,
      recordedBy: who(req),
      notifiedAt: null,
      notifiedCount: 0,
      createdAt: now.toISOString(),
    };
    db.$client.transaction(() => {
      db.insert(incidents).values(row).run();
      deps.audit.record({ officerId: row.recordedBy, action: 'incident.create', targetType: 'incident', targetId: row.id, details: { affected: row.affectedContactIds.length }, ip: req.ip });
    })();
    return reply.code(201).send({ incident: incidentView(row, now) });
  });

  route.get('/api/admin/incidents', { ...admin, schema: api.list }, async (req) => {
    deps.audit.record({ officerId: who(req), action: 'incident.list', ip: req.ip });
    const now = deps.now();
    return { incidents: db.select().from(incidents).orderBy(desc(incidents.discoveredAt)).all().map((r) => incidentView(r, now)) };
  });

  route.post('/api/admin/incidents/:id/notify-affected', { ...admin, schema: api.notify }, async (req) => {
    const row = db.select().from(incidents).where(eq(incidents.id, req.params.id)).get();
    if (!row) throw new AppError('ERR_NOT_FOUND', 'Incident not found.');
    const message = req.body?.message;
    let notified = 0;
    for (const contactId of row.affectedContactIds) {
      const sent = await deps.conversations.notify(contactId, message ? 'retention.incident_custom' : 'retention.incident_notice', message ? { message } : {}).catch(() => undefined);
      if (sent) notified++;
    }
    const now = deps.now();
    const updated = db.update(incidents).set({ notifiedAt: now.toISOString(), notifiedCount: row.notifiedCount + notified }).where(eq(incidents.id, row.id)).returning().get();
    deps.audit.record({ officerId: who(req), action: 'incident.notify_affected', targetType: 'incident', targetId: row.id, details: { affected: row.affectedContactIds.length, notified }, ip: req.ip });
    return { incident: incidentView(updated ?? row, now), notified };
  });
}
