// The checklist routes: set an item (documents received/verified/waived, interview and visit done/waived) and tag
// an uploaded document with the item it satisfies. Each change is audited and written to the application history.
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { applicationRoutes as api } from '../api/applications.ts';
import { AppError } from '../core/errors.ts';
import type { Locale } from '../core/messages.ts';
import { applicationStatusHistory, applications, attachments } from '../db/schema.ts';
import { checklistDefs, markReceived, readChecklist, setItem, type ChecklistDef } from './checklist.ts';
import { STUDY_ROLES, UUID, notFound, officerOf, type ApplicationRouteDeps } from './deps.ts';
import { applicationDocuments, getApplication } from './queries.ts';
import { branchScope, ensureInScope } from './scope.ts';

/** The officer's language for labels and refusals: the first Accept-Language tag, Arabic unless it is English. */
export function officerLocale(req: FastifyRequest): Locale {
  const first = String(req.headers['accept-language'] ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'ar';
}

export function registerChecklistRoutes(app: FastifyInstance, deps: ApplicationRouteDeps): void {
  const { db } = deps;
  const route = app.withTypeProvider<ZodTypeProvider>();
  const clock = deps.now ?? (() => new Date());
  const defs = checklistDefs(deps.profile, deps.texts);
  const study = { preValidation: deps.guard(...STUDY_ROLES) };
  const tx = <T>(fn: () => T): T => db.$client.transaction(fn)();

  function load(req: FastifyRequest, id: string) {
    if (!UUID.test(id)) throw notFound('Application');
    const row = getApplication(db, id);
    ensureInScope(branchScope(db, officerOf(req)), row);
    return row;
  }

  /** The history line (status unchanged), so the file shows who ticked, verified or waived what and why. */
  function history(req: FastifyRequest, row: ReturnType<typeof getApplication>, def: ChecklistDef, state: string, note: string | undefined, now: string) {
    const locale = officerLocale(req);
    const line = deps.texts.t(locale, 'checklist.history', { item: def.labels[locale], state: { t: `checklist.state.${state}` } });
    db.insert(applicationStatusHistory).values({ applicationId: row.id, fromStatus: row.status, toStatus: row.status, changedBy: officerOf(req).id, note: note ? `${line}\n${note}` : line, createdAt: now }).run();
    db.update(applications).set({ updatedAt: now }).where(eq(applications.id, row.id)).run();
  }

  const audited = (req: FastifyRequest, action: string, targetId: string, details: Record<string, unknown>) =>
    deps.audit.record({ officerId: officerOf(req).id, action, targetType: 'application', targetId, details, ...(req.ip ? { ip: req.ip } : {}) });

  route.put('/api/applications/:id/checklist/:itemId', { ...study, schema: api.checklistSet }, async (req) => {
    const { id, itemId } = req.params;
    const locale = officerLocale(req);
    const now = clock().toISOString();
    tx(() => {
      const row = load(req, id);
      const def = setItem(db, { applicationId: row.id, itemId, state: req.body.state, note: req.body.note, by: officerOf(req).id, now }, defs, deps.texts, locale);
      history(req, row, def, req.body.state, req.body.note, now);
      audited(req, 'application.checklist', row.id, { itemId, item: def.labels, state: req.body.state, ...(req.body.note ? { note: true } : {}) });
    });
    return { checklist: readChecklist(db, id, defs, locale) };
  });

  // An officer tags (or untags) an uploaded file with the document it is; a tagged one marks the item received.
  route.put('/api/applications/:id/documents/:attachmentId/checklist-item', { ...study, schema: api.documentTag }, async (req) => {
    const { id, attachmentId } = req.params;
    const itemId = req.body.checklistItemId;
    const locale = officerLocale(req);
    const now = clock().toISOString();
    tx(() => {
      const row = load(req, id);
      const doc = applicationDocuments(db, row).find((d) => d.id === attachmentId);
      if (!doc) throw notFound('Document');
      const def = itemId === null ? undefined : defs.find((d) => d.id === itemId && d.kind === 'document');
      if (itemId !== null && !def) throw new AppError('ERR_VALIDATION', 'checklistItemId: not a document of the checklist');
      // Tagging claims the file for this application (it may have come in after, unlinked).
      db.update(attachments).set({ checklistItemId: itemId, applicationId: row.id }).where(and(eq(attachments.id, doc.id))).run();
      if (def) {
        markReceived(db, row.id, def.id, officerOf(req).id, now);
        history(req, row, def, 'received', undefined, now);
      }
      // The item's words in both languages and its new state, so the audit log reads as a sentence.
      audited(req, 'application.document_tag', row.id, { attachmentId, checklistItemId: itemId, ...(def ? { item: def.labels, state: 'received' } : {}) });
    });
    return { document: { id: attachmentId, checklistItemId: itemId }, checklist: readChecklist(db, id, defs, locale) };
  });
}
