// Walks every /api route registered in the real app: without a session, and signed in with each role.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICER_ROLES, type OfficerRole } from '../../src/db/schema.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { signInInject } from '../support/officers.ts';

let gw: TestGateway;
const sessions = new Map<OfficerRole, { cookie: string; csrf: string }>();

interface Operation {
  'x-roles'?: string[];
}
type Doc = { paths: Record<string, Record<string, Operation>> };

// Routes that are public on purpose (they have their own checks: web chat tokens, sign-in itself).
// Load balancers call /health and /ready without a session (they show no personal data).
const PUBLIC = [/^\/api\/webchat\//, /^\/api\/auth\/sign-in$/, /^\/api\/auth\/me$/, /^\/health$/, /^\/ready$/];
// Streams never end; their access checks are asserted without waiting for a body.
const STREAMS = new Set(['GET /api/inbox/events']);

beforeAll(async () => {
  gw = await startGateway();
  for (const role of OFFICER_ROLES) {
    const email = `${role}@example.org`;
    const password = `quiet lantern orbit 2026`;
    // A representative belongs to one of the example charity's branches.
    await gw.auth.createOfficer({ email, displayName: `Test ${role}`, role, password, ...(role === 'representative' ? { branchId: 'kharj' } : {}) });
    const res = await signInInject(gw, email, password);
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    sessions.set(role, { cookie, csrf: (res.json() as { csrfToken: string }).csrfToken });
  }
}, 60_000);

afterAll(async () => {
  await gw.close();
});

/** The docs are for admins (unless API_DOCS_PUBLIC). */
function adminCookie(): { cookie: string } {
  return { cookie: sessions.get('admin')?.cookie ?? '' };
}

function concrete(path: string): string {
  return path.replace(/\{[A-Za-z]+\}/g, () => randomUUID());
}

describe('authorization on every route', () => {
  it('documents every /api route in OpenAPI at /docs (for admins), with its roles', async () => {
    const html = await gw.app.inject({ method: 'GET', url: '/docs', headers: adminCookie() });
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('swagger-ui');
    const doc = (await gw.app.inject({ method: 'GET', url: '/docs/openapi.json', headers: adminCookie() })).json() as Doc & { openapi: string };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(30);
    expect(doc.paths['/api/applications/{id}/decision']?.post?.['x-roles']).toEqual(['committee', 'admin']);
  });

  it('every officer route refuses no session (401) and wrong roles (403), and lets the right roles through', async () => {
    const doc = (await gw.app.inject({ method: 'GET', url: '/docs/openapi.json', headers: adminCookie() })).json() as Doc;
    const problems: string[] = [];
    let checked = 0;
    // Signing out ends the session the walk uses, so it goes last.
    const entries = Object.entries(doc.paths).sort(([a], [b]) => Number(a === '/api/auth/sign-out') - Number(b === '/api/auth/sign-out'));
    for (const [path, ops] of entries) {
      for (const [m, op] of Object.entries(ops)) {
        const method = m.toUpperCase() as 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
        const name = `${method} ${path}`;
        const roles = op['x-roles'];
        if (roles === undefined) {
          if (!PUBLIC.some((re) => re.test(path))) problems.push(`${name} has no officer guard and is not a known public route`);
          continue;
        }
        const url = concrete(path);
        const payload = method === 'GET' || method === 'DELETE' ? undefined : {};
        const anon = await gw.app.inject({ method, url, ...(payload ? { payload } : {}) });
        if (anon.statusCode !== 401) problems.push(`${name} without a session answered ${anon.statusCode}`);
        for (const role of OFFICER_ROLES) {
          const allowed = roles.length === 0 || roles.includes(role);
          if (allowed && STREAMS.has(`${method} ${path}`)) continue;
          const s = sessions.get(role);
          if (!s) throw new Error('no session');
          const res = await gw.app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(payload ? { payload } : {}) });
          checked++;
          if (!allowed && res.statusCode !== 403) problems.push(`${name} as ${role} answered ${res.statusCode}, expected 403`);
          if (allowed && (res.statusCode === 401 || res.statusCode === 403)) problems.push(`${name} as ${role} answered ${res.statusCode}: ${res.body}`);
          if (res.statusCode >= 500) problems.push(`${name} as ${role} crashed: ${res.body}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  }, 60_000);

  it('a write without the CSRF token is refused even for the right role', async () => {
    const signIn = await signInInject(gw, 'admin@example.org', 'quiet lantern orbit 2026');
    const admin = { cookie: String(signIn.headers['set-cookie']).split(';')[0] ?? '' };
    const res = await gw.app.inject({ method: 'POST', url: '/api/admin/canned-replies', headers: { cookie: admin?.cookie ?? '' }, payload: { title: 'x', textAr: 'س', textEn: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_CSRF' } });
  });
});
