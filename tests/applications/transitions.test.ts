// The transition table and the overdue rule as pure functions.
import { describe, expect, it } from 'vitest';
import { FINAL_STATUSES, TRANSITIONS, allowedNext, checkTransition, isOverdue, rolesFor } from '../../src/applications/transitions.ts';
import { APPLICATION_STATUSES } from '../../src/db/schema.ts';

describe('transition table', () => {
  it('follows the policy order', () => {
    expect(allowedNext('new')).toEqual(['incomplete', 'under_study', 'closed']);
    expect(allowedNext('incomplete')).toEqual(['under_study', 'closed']);
    // The interview and field visit are checklist items now, not statuses: a study goes to the committee directly.
    expect(allowedNext('under_study')).toEqual(['committee', 'incomplete', 'closed']);
    // The committee stage is left only by a decision (or a withdrawal).
    expect(allowedNext('committee')).toEqual(['closed']);
    expect(allowedNext('committee', 'decision')).toEqual(['approved', 'rejected']);
    expect(allowedNext('approved')).toEqual(['service_delivered']);
    for (const s of ['rejected', 'service_delivered', 'closed'] as const) expect(TRANSITIONS[s]).toEqual([]);
  });

  it('covers every status and lets only non-final ones be withdrawn', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...APPLICATION_STATUSES].sort());
    for (const s of APPLICATION_STATUSES) expect(TRANSITIONS[s].includes('closed'), s).toBe(!FINAL_STATUSES.includes(s));
  });

  it('never decides outside the committee stage', () => {
    for (const s of APPLICATION_STATUSES.filter((x) => x !== 'committee')) expect(allowedNext(s, 'decision'), s).toEqual([]);
  });

  it('says who may move a case', () => {
    expect(checkTransition('new', 'under_study', 'officer')).toEqual({ ok: true });
    expect(checkTransition('under_study', 'committee', 'researcher')).toEqual({ ok: true });
    expect(checkTransition('new', 'under_study', 'committee')).toEqual({ ok: false, reason: 'forbidden', roles: ['officer', 'researcher', 'admin'] });
    expect(checkTransition('new', 'closed', 'officer')).toEqual({ ok: false, reason: 'forbidden', roles: ['admin'] });
    expect(checkTransition('new', 'closed', 'admin')).toEqual({ ok: true });
    expect(checkTransition('new', 'committee', 'admin')).toEqual({ ok: false, reason: 'illegal', allowed: ['incomplete', 'under_study', 'closed'] });
    expect(checkTransition('committee', 'approved', 'committee')).toEqual({ ok: false, reason: 'illegal', allowed: ['closed'] });
    expect(checkTransition('committee', 'approved', 'committee', 'decision')).toEqual({ ok: true });
    expect(checkTransition('committee', 'rejected', 'officer', 'decision')).toEqual({ ok: false, reason: 'forbidden', roles: ['committee', 'admin'] });
    expect(rolesFor('service_delivered')).toEqual(['officer', 'researcher', 'admin']);
  });
});

describe('isOverdue', () => {
  const now = new Date('2026-12-01T09:00:00Z');
  it('flags a passed due date while no decision is made', () => {
    expect(isOverdue({ status: 'under_study', committeeDueAt: '2026-11-30T09:00:00.000Z' }, now)).toBe(true);
    expect(isOverdue({ status: 'committee', committeeDueAt: '2026-12-01T08:59:59.999Z' }, now)).toBe(true);
    expect(isOverdue({ status: 'new', committeeDueAt: '2026-12-01T09:00:00.000Z' }, now)).toBe(false);
    expect(isOverdue({ status: 'new', committeeDueAt: '2026-12-02T09:00:00.000Z' }, now)).toBe(false);
  });
  it('never flags a final status', () => {
    for (const status of FINAL_STATUSES) expect(isOverdue({ status, committeeDueAt: '2020-01-01T00:00:00.000Z' }, now), status).toBe(false);
  });
});
