// The application life cycle as data: which status may follow which, who may move it, and when a case is overdue.
import type { ApplicationStatus, OfficerRole } from '../db/schema.ts';

/** Decided or finished: no committee deadline runs any more. */
export const FINAL_STATUSES: readonly ApplicationStatus[] = ['approved', 'rejected', 'service_delivered', 'closed'];

/** Only the decision route reaches these, and only from `committee`. */
export const DECISION_STATUSES = ['approved', 'rejected'] as const satisfies readonly ApplicationStatus[];
export type Decision = (typeof DECISION_STATUSES)[number];

/**
 * Every legal next status (the policy's order: study, committee, decision, service). The documents, interview and
 * field visit are the checklist's items (src/applications/checklist.ts), which gate `committee`, not statuses.
 * `closed` is a withdrawal and only an admin may do it; approved/rejected come only from the decision route.
 */
export const TRANSITIONS: Readonly<Record<ApplicationStatus, readonly ApplicationStatus[]>> = {
  new: ['incomplete', 'under_study', 'closed'],
  incomplete: ['under_study', 'closed'],
  under_study: ['committee', 'incomplete', 'closed'],
  committee: ['approved', 'rejected', 'closed'],
  approved: ['service_delivered'],
  rejected: [],
  service_delivered: [],
  closed: [],
};

const STUDY_ROLES: readonly OfficerRole[] = ['officer', 'researcher', 'admin'];

/** Who may move an application to `to`. */
export function rolesFor(to: ApplicationStatus): readonly OfficerRole[] {
  if (to === 'closed') return ['admin'];
  if (to === 'approved' || to === 'rejected') return ['committee', 'admin'];
  return STUDY_ROLES;
}

export type Route = 'status' | 'decision';

/** The next statuses a route may set from `from` (the status route never sets a decision). */
export function allowedNext(from: ApplicationStatus, route: Route = 'status'): ApplicationStatus[] {
  return TRANSITIONS[from].filter((to) => (DECISION_STATUSES as readonly string[]).includes(to) === (route === 'decision'));
}

export type TransitionCheck = { ok: true } | { ok: false; reason: 'illegal'; allowed: ApplicationStatus[] } | { ok: false; reason: 'forbidden'; roles: readonly OfficerRole[] };

export function checkTransition(from: ApplicationStatus, to: ApplicationStatus, role: OfficerRole, route: Route = 'status'): TransitionCheck {
  const allowed = allowedNext(from, route);
  if (!allowed.includes(to)) return { ok: false, reason: 'illegal', allowed };
  const roles = rolesFor(to);
  if (!roles.includes(role)) return { ok: false, reason: 'forbidden', roles };
  return { ok: true };
}

export function isFinal(status: ApplicationStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** The committee's due date has passed and no decision (or closure) has been made. */
export function isOverdue(app: { status: ApplicationStatus; committeeDueAt: string }, now: Date): boolean {
  if (isFinal(app.status)) return false;
  const due = Date.parse(app.committeeDueAt);
  return Number.isFinite(due) && due < now.getTime();
}
