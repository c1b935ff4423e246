// After the service: an application that reaches service_delivered asks its beneficiary the satisfaction survey for
// that service, and the rating records the service type (the intake's need_type) and the application.
import type { ApplicationRouteDeps } from './deps.ts';
import type { ApplicationRow } from './queries.ts';

export function serviceTypeOf(app: Pick<ApplicationRow, 'answers'>): string | null {
  const need = (app.answers as Record<string, unknown> | null)?.need_type;
  return typeof need === 'string' && /^[a-z_]{1,40}$/.test(need) ? need : null;
}

/** Best effort after the commit: a survey that cannot start leaves the delivered status alone. */
export async function askAfterService(deps: Pick<ApplicationRouteDeps, 'conversations' | 'logger'>, app: ApplicationRow): Promise<boolean> {
  const serviceType = serviceTypeOf(app);
  try {
    return await deps.conversations.askSurvey(
      app.contactId,
      { service_type: serviceType, application_id: app.id },
      { key: 'survey.after_service', params: { reference: app.reference, service: serviceType ? { t: `apply.need.${serviceType}` } : { t: 'apply.need.other' } } },
    );
  } catch (err) {
    deps.logger?.warn({ applicationId: app.id, err: err instanceof Error ? err.message : String(err) }, 'after-service survey failed');
    return false;
  }
}
