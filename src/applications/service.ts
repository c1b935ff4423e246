// Write side of the applications workflow: status changes, visits, referral, the documents check and decisions.
// Each change is one transaction (row, history, audit); the beneficiary is told after the commit.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { OfficerPrincipal } from '../auth/principal.ts';
import { AppError } from '../core/errors.ts';
import { applicationDecisions, applicationStatusHistory, applicationVisits, applications, officers, type ApplicationStatus } from '../db/schema.ts';
import type { Locale } from '../core/messages.ts';
import { checklistDefs, ensureComplete, markRequested, readChecklist, tickVisit } from './checklist.ts';
import type { ApplicationRouteDeps } from './deps.ts';
import { askAfterService } from './after-service.ts';
import { announceAssignment } from './assignment.ts';
import { decisionNotice, statusNotice } from './notices.ts';
import { getApplication, type ApplicationRow } from './queries.ts';
import { checkTransition, isFinal, type Decision, type Route } from './transitions.ts';
import { confirmReasonFor, ensureVisitTimeCame } from './visit-rules.ts';

export interface Actor {
  officer: OfficerPrincipal;
  ip?: string;
  /** The officer's language (Accept-Language): the checklist's labels and refusals are worded in it. */
  locale?: Locale;
}

type Params = Parameters<ApplicationRouteDeps['conversations']['notify']>[2];
interface Message {
  key: string;
  params: Params;
}

export type VisitKind = 'interview' | 'field_visit';

export function createApplicationService(deps: ApplicationRouteDeps) {
  const { db, audit } = deps;
  const clock = deps.now ?? (() => new Date());
  const defs = checklistDefs(deps.profile, deps.texts);

  const audited = (actor: Actor, action: string, targetId: string, details?: Record<string, unknown>) =>
    audit.record({ officerId: actor.officer.id, action, targetType: 'application', targetId, ...(details ? { details } : {}), ...(actor.ip ? { ip: actor.ip } : {}) });

  /** Moves the status inside the caller's transaction: the check, the guarded update, the history row, the audit. */
  function move(app: ApplicationRow, to: ApplicationStatus, actor: Actor, now: string, note: string | null, route: Route = 'status'): void {
    const check = checkTransition(app.status, to, actor.officer.role, route);
    if (!check.ok && check.reason === 'forbidden') throw new AppError('ERR_FORBIDDEN', `Only ${check.roles.join(' or ')} may set ${to}.`);
    if (!check.ok) {
      const next = check.allowed.length > 0 ? check.allowed.join(', ') : 'none';
      const hint = route === 'status' && (to === 'approved' || to === 'rejected') ? ' Decisions are recorded through the decision route.' : '';
      throw new AppError('ERR_CONFLICT', `Cannot move ${app.reference} from ${app.status} to ${to}. Allowed next statuses: ${next}.${hint}`, { details: { allowed: check.allowed } });
    }
    // The committee studies a complete file: every required checklist item verified, done or waived with a reason.
    if (to === 'committee') ensureComplete(readChecklist(db, app.id, defs, actor.locale ?? 'ar'), deps.texts, actor.locale ?? 'ar');
    // Guarded on the status we read, so two officers acting at once cannot both move it.
    const changed = db.update(applications).set({ status: to, updatedAt: now }).where(and(eq(applications.id, app.id), eq(applications.status, app.status))).run();
    if (changed.changes !== 1) throw new AppError('ERR_CONFLICT', 'The application changed meanwhile; reload it.');
    db.insert(applicationStatusHistory).values({ applicationId: app.id, fromStatus: app.status, toStatus: to, changedBy: actor.officer.id, note, createdAt: now }).run();
    audited(actor, 'application.status_change', app.id, { from: app.status, to, route });
    app.status = to;
    app.updatedAt = now;
  }

  /** Tell the beneficiary; a failure leaves the committed change alone and is reported as `notified: false`. */
  async function tell(app: ApplicationRow, message: Message): Promise<boolean> {
    try {
      return (await deps.conversations.notify(app.contactId, message.key, message.params)) !== undefined;
    } catch (err) {
      deps.logger?.warn({ applicationId: app.id, key: message.key, err: err instanceof Error ? err.message : String(err) }, 'beneficiary notification failed');
      return false;
    }
  }

  function activeResearcher(id: string): { id: string; name: string } {
    const row = db.select({ id: officers.id, name: officers.displayName, role: officers.role, active: officers.active }).from(officers).where(eq(officers.id, id)).get();
    if (!row || row.role !== 'researcher' || !row.active) throw new AppError('ERR_VALIDATION', 'researcherId: not an active social researcher');
    return { id: row.id, name: row.name };
  }

  const tx = <T>(fn: () => T): T => db.$client.transaction(fn)();

  function missingDocuments(applicationId: string, itemIds: string[] | undefined) {
    const docs = readChecklist(db, applicationId, defs, 'ar').filter((i) => i.kind === 'document');
    if (itemIds === undefined) return docs.filter((i) => i.state === 'pending');
    const unknown = itemIds.filter((i) => !docs.some((d) => d.id === i));
    if (unknown.length > 0) throw new AppError('ERR_VALIDATION', `missingItems: not a document of the checklist: ${unknown.join(', ')}`);
    return docs.filter((d) => itemIds.includes(d.id));
  }
  const summary = (app: ApplicationRow, notified: boolean) => ({ id: app.id, reference: app.reference, status: app.status, updatedAt: app.updatedAt, notified });

  return {
    async changeStatus(id: string, input: { status: ApplicationStatus; note?: string | undefined; messageToBeneficiary?: string | undefined; documents?: string[] | undefined; missingItems?: string[] | undefined }, actor: Actor) {
      const now = clock().toISOString();
      // The note is for the file (history, officers only); only messageToBeneficiary reaches the beneficiary.
      const note = input.note ?? null;
      if ((input.documents?.length || input.missingItems?.length) && input.status !== 'incomplete') throw new AppError('ERR_VALIDATION', 'documents, missingItems: only when asking for missing documents (status incomplete)');
      const { app, asked } = tx(() => {
        const row = getApplication(db, id);
        // «ناقص» asks for checklist documents: those named, or (no free-text list either) every document still pending.
        const asked = input.status === 'incomplete' && !(input.documents?.length && !input.missingItems) ? missingDocuments(row.id, input.missingItems) : [];
        const named = [...asked.map((d) => d.labels.ar), ...(input.documents ?? [])];
        move(row, input.status, actor, now, named.length ? [note, `documents: ${named.join('; ')}`].filter(Boolean).join('\n') : note);
        if (input.status === 'incomplete') markRequested(db, row.id, asked.map((d) => d.id));
        return { app: row, asked };
      });
      // The beneficiary reads each document's name in their own language ({ar,en} renders per locale).
      const documents = [...asked.map((d) => d.labels), ...(input.documents ?? [])];
      const notified = await tell(app, statusNotice(app.reference, app.status, input.messageToBeneficiary, documents));
      if (app.status === 'service_delivered') await askAfterService(deps, app);
      return summary(app, notified);
    },

    async scheduleVisit(id: string, input: { kind: VisitKind; scheduledAt: string; place: string; researcherId?: string | undefined; confirm?: boolean | undefined; confirmReason?: string | undefined }, actor: Actor) {
      const nowDate = clock();
      const now = nowDate.toISOString();
      const at = new Date(input.scheduledAt);
      if (at.getTime() < nowDate.getTime()) throw new AppError('ERR_VALIDATION', 'scheduledAt: must not be in the past');
      const confirmReason = confirmReasonFor(at, input, deps.profile, deps.texts, actor.locale ?? 'ar');
      const visitId = randomUUID();
      const { app, visit } = tx(() => {
        const row = getApplication(db, id);
        if (isFinal(row.status)) throw new AppError('ERR_CONFLICT', `${row.reference} is ${row.status}; no visits can be scheduled.`);
        const researcherId = input.researcherId ?? row.researcherId ?? (actor.officer.role === 'researcher' ? actor.officer.id : null);
        if (input.researcherId) activeResearcher(input.researcherId);
        const values = { id: visitId, applicationId: row.id, kind: input.kind, scheduledAt: at.toISOString(), place: input.place, researcherId, status: 'scheduled' as const, confirmReason, createdBy: actor.officer.id, createdAt: now, updatedAt: now };
        db.insert(applicationVisits).values(values).run();
        audited(actor, 'application.visit_schedule', row.id, { visitId, kind: input.kind, scheduledAt: values.scheduledAt, ...(confirmReason ? { confirmReason } : {}) });
        // The status stays: the visit is a checklist item, ticked when it is recorded done.
        db.update(applications).set({ updatedAt: now }).where(eq(applications.id, row.id)).run();
        return { app: row, visit: values };
      });
      const notified = await tell(app, {
        key: 'notify.interview_scheduled',
        params: { kind: { t: `notify.kind_${input.kind}` }, reference: app.reference, when: { datetime: visit.scheduledAt }, place: input.place },
      });
      return { visit: { id: visit.id, kind: visit.kind, scheduledAt: visit.scheduledAt, place: visit.place, researcherId: visit.researcherId, status: visit.status, confirmReason: visit.confirmReason }, application: summary(app, notified) };
    },

    async updateVisit(id: string, visitId: string, input: { status?: 'done' | 'cancelled' | undefined; notes?: string | undefined }, actor: Actor) {
      const nowDate = clock();
      const now = nowDate.toISOString();
      const { app, visit } = tx(() => {
        const row = getApplication(db, id);
        const visit = db.select().from(applicationVisits).where(and(eq(applicationVisits.id, visitId), eq(applicationVisits.applicationId, id))).get();
        if (!visit) throw new AppError('ERR_NOT_FOUND', 'Visit not found.');
        if (input.status && visit.status !== 'scheduled') throw new AppError('ERR_CONFLICT', `This visit is already ${visit.status}.`);
        if (input.status === 'done') ensureVisitTimeCame(visit.scheduledAt, nowDate, deps.texts, actor.locale ?? 'ar');
        const set = { ...(input.status ? { status: input.status } : {}), ...(input.notes !== undefined ? { notes: input.notes } : {}), updatedAt: now };
        db.update(applicationVisits).set(set).where(eq(applicationVisits.id, visitId)).run();
        if (input.status === 'done') tickVisit(db, row.id, visit.kind, actor.officer.id, now);
        audited(actor, 'application.visit_update', row.id, { visitId, ...(input.status ? { status: input.status } : {}), notes: input.notes !== undefined });
        return { app: row, visit: { ...visit, ...set } };
      });
      let notified = false;
      if (input.status === 'cancelled') {
        notified = await tell(app, { key: 'notify.visit_cancelled', params: { kind: { t: `notify.kind_${visit.kind}` }, reference: app.reference, when: { datetime: visit.scheduledAt } } });
      }
      return { visit: { id: visit.id, kind: visit.kind, scheduledAt: visit.scheduledAt, place: visit.place, status: visit.status, notes: visit.notes, updatedAt: visit.updatedAt }, notified };
    },

    /** Refer the case to a social researcher; the beneficiary is told (by SMS for callers) that one will contact them. */
    async refer(id: string, researcherId: string, actor: Actor) {
      const now = clock().toISOString();
      const { app, out } = tx(() => {
        const app = getApplication(db, id);
        if (isFinal(app.status)) throw new AppError('ERR_CONFLICT', `${app.reference} is ${app.status}.`);
        const researcher = activeResearcher(researcherId);
        db.update(applications).set({ researcherId, updatedAt: now }).where(eq(applications.id, id)).run();
        audited(actor, 'application.refer', id, { researcherId, previous: app.researcherId });
        return { app, out: { id, reference: app.reference, researcher, updatedAt: now } };
      });
      if (app.researcherId !== researcherId) announceAssignment(deps, { id, reference: app.reference }, researcherId, actor);
      // A second referral of the same case (another researcher) is internal: the beneficiary hears once.
      const notified = app.researcherId === null ? await tell(app, { key: 'notify.application_referred', params: { reference: app.reference } }) : false;
      return { ...out, notified };
    },

    checkDocuments(id: string, checked: boolean, actor: Actor) {
      const now = clock().toISOString();
      return tx(() => {
        const app = getApplication(db, id);
        const set = checked ? { documentsCheckedAt: now, documentsCheckedBy: actor.officer.id, updatedAt: now } : { documentsCheckedAt: null, documentsCheckedBy: null, updatedAt: now };
        db.update(applications).set(set).where(eq(applications.id, id)).run();
        audited(actor, 'application.documents_check', id, { checked });
        return { id, reference: app.reference, documentsCheck: { checkedAt: set.documentsCheckedAt, checkedBy: set.documentsCheckedBy } };
      });
    },

    async decide(id: string, input: { decision: Decision; reasons: string; messageToBeneficiary?: string | undefined }, actor: Actor) {
      const now = clock().toISOString();
      const { app, decisionId } = tx(() => {
        const row = getApplication(db, id);
        move(row, input.decision, actor, now, input.reasons, 'decision');
        const inserted = db.insert(applicationDecisions).values({ applicationId: row.id, decision: input.decision, reasons: input.reasons, decidedBy: actor.officer.id, createdAt: now }).returning({ id: applicationDecisions.id }).get();
        audited(actor, 'application.decision', row.id, { decision: input.decision, decisionId: inserted.id });
        return { app: row, decisionId: inserted.id };
      });
      // The reasons stay in the file; the committee's words to the beneficiary go with approvals and rejections alike.
      const notified = await tell(app, decisionNotice(app.reference, input.decision, input.messageToBeneficiary));
      return { ...summary(app, notified), decision: { id: decisionId, decision: input.decision, reasons: input.reasons, decidedBy: actor.officer.id, at: now } };
    },
  };
}

export type ApplicationService = ReturnType<typeof createApplicationService>;
