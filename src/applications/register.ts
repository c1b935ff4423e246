// Staff register an application for a caller, a walk-in, a letter or a branch representative's case: the intake's
// checks, the declaration as it was taken, one transaction; then the applicant's notice on their mobile.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, notInArray } from 'drizzle-orm';
import { AppError } from '../core/errors.ts';
import { newApplicationReference } from '../conversations/application-actions.ts';
import { FINAL_APPLICATION_STATUSES, applicationStatusHistory, applications, type ApplicationSource } from '../db/schema.ts';
import type { Json } from '../flows/types.ts';
import type { ApplicationRouteDeps, RegistrationProfile } from './deps.ts';
import { checkIntake, type IntakeRules, type RegistrationBody } from './intake.ts';
import type { Actor } from './service.ts';
import { branchScope, type Scope } from './scope.ts';

const DAY_MS = 86_400_000;

/** The first lines of POST /api/applications' 400: each bad field named, with the reason in English. */
function validationError(problems: Record<string, { reason: string; message: { en: string } }>): AppError {
  const text = Object.entries(problems)
    .map(([field, p]) => `${field}: ${p.message.en}`)
    .join('; ');
  return new AppError('ERR_VALIDATION', text, { details: { fields: Object.fromEntries(Object.entries(problems).map(([f, p]) => [f, p.reason])) } });
}

export function createRegistration(deps: ApplicationRouteDeps & { rules: IntakeRules; profile: RegistrationProfile }) {
  const { db } = deps;
  const clock = deps.now ?? (() => new Date());

  function branchFor(scope: Scope, body: RegistrationBody): string | null {
    if (scope.branchId !== undefined) {
      if (body.branchId !== undefined && body.branchId !== scope.branchId) throw new AppError('ERR_FORBIDDEN', 'A representative registers cases for their own branch only.');
      return scope.branchId;
    }
    if (body.branchId === undefined) return null;
    if (!deps.profile.branches.some((b) => b.id === body.branchId)) throw new AppError('ERR_VALIDATION', `branchId: not one of the charity's branches (${deps.profile.branches.map((b) => b.id).join(', ') || 'none'})`);
    return body.branchId;
  }

  function followUp(): Json {
    const { phone, website, whatsapp } = deps.profile;
    return whatsapp ? { t: 'notify.follow_up_whatsapp', params: { phone, website, whatsapp } } : { t: 'notify.follow_up', params: { phone, website } };
  }

  return {
    async register(body: RegistrationBody & Record<string, unknown>, actor: Actor) {
      const now = clock();
      const ts = now.toISOString();
      const scope = branchScope(db, actor.officer);
      if (actor.officer.role === 'representative' && body.source !== 'representative') throw new AppError('ERR_VALIDATION', 'source: a representative registers with source "representative"');
      const check = checkIntake(deps.rules, body, deps.texts, now, true);
      if (Object.keys(check.problems).length > 0) throw validationError(check.problems as Record<string, { reason: string; message: { en: string } }>);
      const v = check.values;
      const nationalId = String(v.nationalId);
      const mobile = String(v.mobile);
      const branchId = branchFor(scope, body);
      const reviewDays = Math.max(14, deps.profile.committee_review_days);
      const due = new Date(now.getTime() + reviewDays * DAY_MS).toISOString();
      const declarationText = deps.texts.t(body.locale, 'apply.declaration', { version: deps.profile.declaration_version });
      const id = randomUUID();
      const source: ApplicationSource = body.source;
      const app = db.$client.transaction(() => {
        const open = db
          .select({ id: applications.id, reference: applications.reference, branchId: applications.branchId })
          .from(applications)
          .where(and(eq(applications.nationalId, nationalId), notInArray(applications.status, [...FINAL_APPLICATION_STATUSES])))
          .orderBy(desc(applications.createdAt))
          .limit(1)
          .get();
        if (open) {
          // Officers may see which one; a representative only when it is their own branch's case.
          const visible = scope.branchId === undefined || scope.branchId === open.branchId;
          const message = visible ? `This national ID already has an open application, ${open.reference}.` : 'This national ID already has an open application.';
          throw new AppError('ERR_CONFLICT', message, { details: visible ? { reference: open.reference, id: open.id } : {} });
        }
        const { contactId } = deps.conversations.registerPerson({ mobile, name: String(v.fullName), nationalId, locale: body.locale, officerId: actor.officer.id }, now);
        const reference = newApplicationReference(db, now);
        const row = {
          id,
          reference,
          contactId,
          conversationId: null,
          applicantName: String(v.fullName),
          nationalId,
          mobile,
          answers: {
            city: v.city ?? null,
            family_size: v.familySize ?? null,
            monthly_income: v.monthlyIncome ?? null,
            housing_type: v.housingType ?? null,
            need_type: v.needType ?? null,
            channel: source,
            documents_later: true,
            ...(body.notes ? { notes: body.notes } : {}),
          },
          declarationVersion: deps.profile.declaration_version,
          declarationAcceptedAt: ts,
          declarationText,
          declarationMethod: body.declaration.method,
          declarationTakenBy: actor.officer.id,
          source,
          branchId,
          status: 'new' as const,
          committeeDueAt: due,
          createdAt: ts,
          updatedAt: ts,
        };
        db.insert(applications).values(row).run();
        db.insert(applicationStatusHistory).values({ applicationId: id, fromStatus: null, toStatus: 'new', changedBy: actor.officer.id, note: body.notes ?? null, createdAt: ts }).run();
        deps.audit.record({
          officerId: actor.officer.id,
          action: 'application.register',
          targetType: 'application',
          targetId: id,
          details: { source, branchId, declarationMethod: body.declaration.method },
          ...(actor.ip ? { ip: actor.ip } : {}),
        });
        return row;
      })();
      let notified = false;
      try {
        const params = { reference: app.reference, review_days: reviewDays, due_date: { date: due }, follow_up: followUp() };
        notified = (await deps.conversations.notify(app.contactId, 'notify.application_registered', params)) !== undefined;
      } catch (err) {
        deps.logger?.warn({ applicationId: id, err: err instanceof Error ? err.message : String(err) }, 'registration notice failed');
      }
      return {
        application: {
          id: app.id,
          reference: app.reference,
          status: app.status,
          source: app.source,
          branchId: app.branchId,
          contactId: app.contactId,
          applicantName: app.applicantName,
          mobile: app.mobile,
          committeeDueAt: app.committeeDueAt,
          declaration: { version: app.declarationVersion, method: app.declarationMethod, takenBy: app.declarationTakenBy, acceptedAt: app.declarationAcceptedAt, text: app.declarationText },
          createdAt: app.createdAt,
          notified,
          reachableChannels: deps.conversations.reachableChannels(app.contactId),
        },
      };
    },

    /** Live checks for the «طلب جديد» form: only the fields sent, each with its reason in both languages. */
    check(body: Record<string, unknown>) {
      const { values, problems } = checkIntake(deps.rules, body, deps.texts, clock(), false);
      return { values, problems };
    },
  };
}
