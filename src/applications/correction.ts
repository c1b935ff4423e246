// Correction (PDPL): an officer fixes one field of an application; the old and new values go into its history and
// the beneficiary is told in their language.
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contactRoutes as api } from '../api/contacts.ts';
import { AppError } from '../core/errors.ts';
import { applicationStatusHistory, applications } from '../db/schema.ts';
import { validateNationalId, validateNumber, validatePersonName, validateSaudiMobile, validateText, type ValidationResult } from '../flows/validators.ts';
import type { ApplicationRouteDeps } from './deps.ts';
import { getApplication } from './queries.ts';

type Field = (typeof api.correct.body.shape.field.options)[number];
const COLUMNS = { applicantName: 'applicantName', nationalId: 'nationalId', mobile: 'mobile' } as const;

function check(field: Field, raw: string): ValidationResult {
  switch (field) {
    case 'applicantName':
      return validatePersonName(raw, { max: 100 });
    case 'nationalId':
      return validateNationalId(raw);
    case 'mobile':
      return validateSaudiMobile(raw);
    case 'family_size':
      return validateNumber(raw, { min: 1, max: 50, integer: true });
    case 'monthly_income':
      return validateNumber(raw, { min: 0, max: 10_000_000 });
    default:
      return validateText(raw, { min: 1, max: 200 });
  }
}

export function registerCorrectionRoutes(app: FastifyInstance, deps: ApplicationRouteDeps): void {
  const { db } = deps;
  const clock = deps.now ?? (() => new Date());
  const route = app.withTypeProvider<ZodTypeProvider>();

  route.patch('/api/applications/:id/fields', { preValidation: deps.guard('officer', 'admin'), schema: api.correct }, async (req) => {
    const { field, value, reason } = req.body;
    const result = check(field, String(value));
    if (!result.ok) throw new AppError('ERR_VALIDATION', `value: not a valid ${field}`);
    const officerId = req.officer?.id;
    if (!officerId) throw new AppError('ERR_UNAUTHORIZED', 'Sign in first.');
    const now = clock().toISOString();
    const app = db.$client.transaction(() => {
      const row = getApplication(db, req.params.id);
      const answers = { ...((row.answers ?? {}) as Record<string, unknown>) };
      const column = field in COLUMNS ? COLUMNS[field as keyof typeof COLUMNS] : undefined;
      const before = column ? row[column] : answers[field];
      const after = result.value;
      if (column) db.update(applications).set({ [column]: after, updatedAt: now }).where(eq(applications.id, row.id)).run();
      else db.update(applications).set({ answers: { ...answers, [field]: after }, updatedAt: now }).where(eq(applications.id, row.id)).run();
      // The history keeps both values (the correction's own record); the audit log keeps only which field changed.
      const note = JSON.stringify({ correction: field, from: before ?? null, to: after, reason });
      db.insert(applicationStatusHistory).values({ applicationId: row.id, fromStatus: row.status, toStatus: row.status, changedBy: officerId, note, createdAt: now }).run();
      deps.audit.record({ officerId, action: 'application.correct', targetType: 'application', targetId: row.id, details: { field }, ip: req.ip });
      return row;
    })();
    let notified = false;
    try {
      notified = (await deps.conversations.notify(app.contactId, 'retention.field_corrected', { reference: app.reference, field: { t: `retention.field_${field}` } })) !== undefined;
    } catch (err) {
      deps.logger?.warn({ applicationId: app.id, err: err instanceof Error ? err.message : String(err) }, 'correction notice failed');
    }
    return { id: app.id, reference: app.reference, field, notified };
  });
}
