// The inbox behind the real src/auth guard and audit log: the wiring the composition root uses, checked end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudit } from '../../src/auth/audit.ts';
import { requireOfficer } from '../../src/auth/guards.ts';
import type { OfficerRole } from '../../src/db/schema.ts';
import { askForOfficer, startInbox, type Harness } from './support.ts';

let h: Harness;
let officer: string;
let committee: string;

beforeAll(async () => {
  h = await startInbox('2026-03-01T07:00:00Z', {
    guard: requireOfficer,
    audit: (gw) => createAudit(gw.db),
    // Stands in for registerAuth's hook: a session for `x-session-officer`, whose CSRF token is `token-<id>`.
    before: (app, gw) =>
      app.addHook('onRequest', async (req) => {
        const id = req.headers['x-session-officer'];
        const row = typeof id === 'string' ? (gw.db.$client.prepare('select id, email, display_name as displayName, role from officers where id = ?').get(id) as { id: string; email: string; displayName: string; role: OfficerRole } | undefined) : undefined;
        if (!row) return;
        req.officer = row;
        req.officerSession = { csrfToken: `token-${row.id}`, mustChangePassword: false, totpEnabled: true, totpSetupRequired: false, sessionId: `s-${row.id}` };
      }),
  });
  officer = h.officer('officer', 'نورة');
  committee = h.officer('committee', 'اللجنة');
});
afterAll(async () => {
  await h.close();
});

const session = (id: string, csrf = true) => ({ 'x-session-officer': id, ...(csrf ? { 'x-csrf-token': `token-${id}` } : {}) });
const auditRows = (targetId: string) => h.gw.db.$client.prepare('select officer_id as officerId, action, target_type as targetType, ip from audit_log where target_id = ? order by id').all(targetId);

describe('inbox with requireOfficer and createAudit', () => {
  it('takes and views with a session and the CSRF token, writing the audit log', async () => {
    const id = await askForOfficer(h, '9101');
    const take = await h.app.inject({ method: 'POST', url: `/api/inbox/conversations/${id}/take`, headers: session(officer) });
    expect(take.statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: `/api/inbox/conversations/${id}`, headers: session(officer, false) })).statusCode).toBe(200);
    expect(auditRows(id)).toEqual([
      { officerId: officer, action: 'conversation.take', targetType: 'conversation', ip: '127.0.0.1' },
      { officerId: officer, action: 'conversation.view', targetType: 'conversation', ip: '127.0.0.1' },
    ]);
  });

  it('answers 401 without a session, 403 ERR_CSRF for a write without the token, 403 for the committee', async () => {
    const id = await askForOfficer(h, '9202');
    const url = `/api/inbox/conversations/${id}/take`;
    expect((await h.app.inject({ method: 'POST', url })).statusCode).toBe(401);
    const noToken = await h.app.inject({ method: 'POST', url, headers: session(officer, false) });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('ERR_CSRF');
    const role = await h.app.inject({ method: 'GET', url: '/api/inbox/conversations', headers: session(committee) });
    expect(role.statusCode).toBe(403);
    expect(role.json().error.code).toBe('ERR_FORBIDDEN');
    expect(auditRows(id)).toEqual([]);
  });
});
