// The officers' applications API: list, full view, documents, the documents check, status, visits, referral, decision.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DecisionBody, StatusChangeBody } from '../api/applications-words.ts';
import { AppError } from '../core/errors.ts';
import { maskSearchQuery } from '../core/mask.ts';
import { APPLICATION_SOURCES, APPLICATION_STATUSES, type ApplicationStatus } from '../db/schema.ts';
import { attachmentDisposition } from '../files/disposition.ts';
import { DOWNLOAD_HELMET } from '../files/download-headers.ts';
import { downloadName } from '../files/uploads.ts';
import { ALL_ROLES, STUDY_ROLES, UUID, notFound, officerOf, parseBody, type ApplicationRouteDeps } from './deps.ts';
import { applicationDetail, applicationDocuments, getApplication, listApplications } from './queries.ts';
import { createApplicationService, type Actor } from './service.ts';
import { registerStaffIntakeRoutes } from './register-routes.ts';
import { checklistDefs, readChecklist } from './checklist.ts';
import { officerLocale, registerChecklistRoutes } from './checklist-routes.ts';
import { branchScope, ensureInScope } from './scope.ts';
import { registerWordsRoutes } from './words-routes.ts';

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const officerId = z.string().min(1).max(100);

const listQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((s, ctx) => {
      const list = (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      const bad = list.filter((x) => !(APPLICATION_STATUSES as readonly string[]).includes(x));
      if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `unknown status ${bad.join(', ')}; one of ${APPLICATION_STATUSES.join(', ')}` });
      return list as ApplicationStatus[];
    }),
  overdue: z.enum(['true', 'false']).optional(),
  q: z.string().max(100).optional(),
  branch: z.string().min(1).max(40).optional(),
  source: z.enum(APPLICATION_SOURCES).optional(),
  /** «حالاتي»: only the cases assigned to the signed-in officer. */
  assigned: z.enum(['me']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
// The contract's body (src/api/applications-words.ts) with the statuses the database knows, and «ناقص»'s
// checklist document ids (default: every document still pending).
const statusBody = StatusChangeBody.extend({ status: z.enum(APPLICATION_STATUSES), missingItems: z.array(z.string().min(1).max(60)).min(1).max(40).optional() });
const visitBody = z.object({
  kind: z.enum(['interview', 'field_visit']),
  scheduledAt: z.iso.datetime({ offset: true }),
  place: text(2, 300),
  researcherId: officerId.optional(),
  /** Outside working hours or on the weekend: `confirm: true` with the reason, which is stored. */
  confirm: z.boolean().optional(),
  confirmReason: text(2, 500).optional(),
});
const visitPatch = z
  .object({ status: z.enum(['done', 'cancelled']).optional(), notes: text(0, 4000).optional() })
  .refine((b) => b.status !== undefined || b.notes !== undefined, { message: 'send "status" and/or "notes"' });
const referBody = z.object({ researcherId: officerId });
const checkedBody = z.object({ checked: z.boolean() });
const decisionBody = DecisionBody;

function appId(req: FastifyRequest): string {
  const { id } = req.params as { id: string };
  if (!UUID.test(id)) throw notFound('Application');
  return id;
}

export async function registerApplicationRoutes(app: FastifyInstance, deps: ApplicationRouteDeps): Promise<void> {
  await registerStaffIntakeRoutes(app, deps);
  registerWordsRoutes(app, deps);
  registerChecklistRoutes(app, deps);
  const defs = checklistDefs(deps.profile, deps.texts);
  const clock = deps.now ?? (() => new Date());
  const service = createApplicationService(deps);
  const uploadsDir = path.resolve(deps.dataDir, 'uploads');
  const actor = (req: FastifyRequest): Actor => ({ officer: officerOf(req), ip: req.ip, locale: officerLocale(req) });
  const anyone = { preHandler: deps.guard(...ALL_ROLES) };
  const study = { preHandler: deps.guard(...STUDY_ROLES) };

  const scopeOf = (req: FastifyRequest) => branchScope(deps.db, officerOf(req));
  const list = (req: FastifyRequest, overdue: boolean) => {
    const q = parseBody(listQuery, req.query);
    // A representative's list is their branch's whatever ?branch= says: another branch's is answered as empty.
    const scope = scopeOf(req);
    if (scope.branchId !== undefined && q.branch !== undefined && q.branch !== scope.branchId) return { items: [], nextCursor: null };
    const branch = scope.branchId ?? q.branch;
    const filters = { ...(q.q ? { q: q.q } : {}), ...(q.cursor ? { cursor: q.cursor } : {}), ...(branch ? { branchId: branch } : {}), ...(q.source ? { source: q.source } : {}), ...(q.assigned === 'me' ? { researcherId: officerOf(req).id } : {}) };
    const page = listApplications(deps.db, { statuses: q.status, overdue: overdue || q.overdue === 'true', limit: q.limit, ...filters }, clock());
    // Searching by ID, mobile or name looks into personal data: audited, the query masked as the list masks it.
    const search = q.q?.trim();
    if (search) {
      const who = actor(req);
      deps.audit.record({ officerId: who.officer.id, action: 'application.search', details: { query: maskSearchQuery(search), overdue, results: page.items.length }, ...(who.ip ? { ip: who.ip } : {}) });
    }
    return page;
  };
  app.get('/api/applications', anyone, async (req) => list(req, false));
  app.get('/api/applications/overdue', anyone, async (req) => list(req, true));

  app.get('/api/applications/:id', anyone, async (req) => {
    const id = appId(req);
    const scope = scopeOf(req);
    ensureInScope(scope, getApplication(deps.db, id));
    const detail = applicationDetail(deps.db, deps.texts, id, clock(), scope.branchId);
    const who = actor(req);
    deps.audit.record({ officerId: who.officer.id, action: 'application.view', targetType: 'application', targetId: id, ...(who.ip ? { ip: who.ip } : {}) });
    return { ...detail, checklist: readChecklist(deps.db, id, defs, officerLocale(req)) };
  });

  app.get('/api/applications/:id/documents/:attachmentId', { ...anyone, helmet: DOWNLOAD_HELMET }, async (req: FastifyRequest, reply: FastifyReply) => {
    const id = appId(req);
    const { attachmentId } = req.params as { attachmentId: string };
    const application = getApplication(deps.db, id);
    ensureInScope(scopeOf(req), application);
    const doc = UUID.test(attachmentId) ? applicationDocuments(deps.db, application).find((d) => d.id === attachmentId) : undefined;
    const abs = doc && path.resolve(uploadsDir, doc.storagePath);
    if (!doc || !abs || !abs.startsWith(uploadsDir + path.sep)) throw notFound('Document');
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(abs, 'r');
    } catch {
      throw new AppError('ERR_NOT_FOUND', 'The document file is missing.');
    }
    const who = actor(req);
    deps.audit.record({ officerId: who.officer.id, action: 'attachment.view', targetType: 'attachment', targetId: doc.id, details: { applicationId: id }, ...(who.ip ? { ip: who.ip } : {}) });
    return reply
      .header('content-type', doc.mime)
      .header('content-length', String(doc.size))
      .header('content-disposition', attachmentDisposition(downloadName(doc.originalName, doc.storagePath, doc.id)))
      .header('cache-control', 'private, no-store')
      .send(handle.createReadStream());
  });

  app.post('/api/applications/:id/documents-checked', study, async (req) => {
    const body = parseBody(checkedBody, req.body);
    return service.checkDocuments(appId(req), body.checked, actor(req));
  });

  // Everyone who may move a case gets past the guard; the table then decides per target status (closed: admin).
  app.post('/api/applications/:id/status', study, async (req) => {
    const body = parseBody(statusBody, req.body);
    return service.changeStatus(appId(req), body, actor(req));
  });

  app.post('/api/applications/:id/visits', study, async (req, reply) => {
    const body = parseBody(visitBody, req.body);
    return reply.code(201).send(await service.scheduleVisit(appId(req), body, actor(req)));
  });

  app.patch('/api/applications/:id/visits/:visitId', study, async (req) => {
    const body = parseBody(visitPatch, req.body);
    const { visitId } = req.params as { visitId: string };
    if (!UUID.test(visitId)) throw notFound('Visit');
    return service.updateVisit(appId(req), visitId, body, actor(req));
  });

  app.post('/api/applications/:id/refer', study, async (req) => {
    const body = parseBody(referBody, req.body);
    return service.refer(appId(req), body.researcherId, actor(req));
  });

  app.post('/api/applications/:id/decision', { preHandler: deps.guard('committee', 'admin') }, async (req) => {
    const body = parseBody(decisionBody, req.body);
    return service.decide(appId(req), body, actor(req));
  });
}
