// The application's assigned researcher: set by an officer or admin (or by a referral), and announced live to them.
import { eq } from 'drizzle-orm';
import { AppError } from '../core/errors.ts';
import { applications, officers } from '../db/schema.ts';
import type { ApplicationRouteDeps } from './deps.ts';
import { getApplication } from './queries.ts';
import type { Actor } from './service.ts';
import { isFinal } from './transitions.ts';

/** Who may be assigned a case: an active social researcher, or an admin doing the study themselves. */
export function assignableOfficer(deps: Pick<ApplicationRouteDeps, 'db'>, id: string): { id: string; name: string } {
  const row = deps.db.select({ id: officers.id, name: officers.displayName, role: officers.role, active: officers.active }).from(officers).where(eq(officers.id, id)).get();
  if (!row || !row.active || (row.role !== 'researcher' && row.role !== 'admin')) throw new AppError('ERR_VALIDATION', 'officerId: not an active social researcher or admin');
  return { id: row.id, name: row.name };
}

/** Tell the assignee's inbox, after the commit; their own assignment needs no alert. */
export function announceAssignment(deps: Pick<ApplicationRouteDeps, 'bus' | 'logger'>, application: { id: string; reference: string }, officerId: string, actor: Actor): void {
  if (officerId === actor.officer.id) return;
  try {
    deps.bus?.emitAssignment({ officerId, by: actor.officer.id, application });
  } catch (err) {
    deps.logger?.warn({ applicationId: application.id, err: err instanceof Error ? err.message : String(err) }, 'assignment alert failed');
  }
}

export function assignResearcher(deps: Pick<ApplicationRouteDeps, 'db' | 'audit' | 'bus' | 'logger'>, id: string, officerId: string, actor: Actor, now: Date) {
  const at = now.toISOString();
  const out = deps.db.$client.transaction(() => {
    const app = getApplication(deps.db, id);
    if (isFinal(app.status)) throw new AppError('ERR_CONFLICT', `${app.reference} is ${app.status}.`);
    const researcher = assignableOfficer(deps, officerId);
    deps.db.update(applications).set({ researcherId: researcher.id, updatedAt: at }).where(eq(applications.id, id)).run();
    deps.audit.record({ officerId: actor.officer.id, action: 'application.assign', targetType: 'application', targetId: id, details: { officerId, previous: app.researcherId }, ...(actor.ip ? { ip: actor.ip } : {}) });
    return { id, reference: app.reference, assignedResearcherId: researcher.id, assignedResearcherName: researcher.name, updatedAt: at, changed: app.researcherId !== researcher.id };
  })();
  const { changed, ...result } = out;
  if (changed) announceAssignment(deps, { id, reference: out.reference }, officerId, actor);
  return result;
}
