// The real src/auth guard and audit recorder fit the options the applications routes take.
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecorder, Guard } from '../../src/applications/deps.ts';
import { registerReportRoutes } from '../../src/applications/reports.ts';
import { registerApplicationRoutes } from '../../src/applications/routes.ts';
import { createAudit, requireOfficer } from '../../src/auth/index.ts';
import { ROOT_DIR } from '../../src/config.ts';
import { createI18n } from '../../src/i18n/index.ts';
import { registerBase } from '../../src/http/base.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { staffIntakeDeps } from './helpers.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(() => gw.close());

describe('with the real guard and audit', () => {
  it('type-checks and refuses every route without a session', async () => {
    const guard: Guard = requireOfficer;
    const audit: AuditRecorder = createAudit(gw.db);
    const app = Fastify();
    // The contract's zod compilers (routes with schemas need them) and the error answers, as buildApp gives them.
    await registerBase(app, { https: false });
    const texts = await createI18n(path.join(ROOT_DIR, 'locales'));
    await registerApplicationRoutes(app, { db: gw.db, conversations: gw.conversations, texts, guard, audit, dataDir: gw.dir, ...(await staffIntakeDeps()) });
    await registerReportRoutes(app, { db: gw.db, guard });
    const id = '00000000-0000-4000-8000-000000000000';
    const calls = [
      ['GET', '/api/applications'],
      ['GET', '/api/applications/overdue'],
      ['GET', `/api/applications/${id}`],
      ['GET', `/api/applications/${id}/documents/${id}`],
      ['POST', `/api/applications/${id}/documents-checked`],
      ['POST', `/api/applications/${id}/status`],
      ['POST', `/api/applications/${id}/visits`],
      ['PATCH', `/api/applications/${id}/visits/${id}`],
      ['POST', `/api/applications/${id}/refer`],
      ['POST', `/api/applications/${id}/decision`],
      ['POST', `/api/applications/${id}/notice-preview`],
      ['PUT', `/api/applications/${id}/assignee`],
      ['GET', '/api/reports'],
      ['GET', '/api/branches'],
      ['GET', '/api/applications/intake'],
      ['POST', '/api/applications'],
      ['POST', '/api/applications/check'],
      ['POST', `/api/applications/${id}/declaration-scan`],
      ['PUT', `/api/applications/${id}/checklist/national_id`],
      ['PUT', `/api/applications/${id}/documents/${id}/checklist-item`],
    ] as const;
    for (const [method, url] of calls) {
      const res = await app.inject({ method, url, ...(method === 'GET' ? {} : { payload: {} }) });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
    await app.close();
  });
});
