// Staff-side doors: register an application (POST /api/applications), live field checks for the form, the scan of a
// signed declaration, and the charity's branches.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import fs from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';
import { applications, attachments } from '../db/schema.ts';
import { fromClient, sanitizeFilename, saveUpload, storedPath, tooLarge } from '../files/uploads.ts';
import { ALL_ROLES, REGISTER_ROLES, UUID, notFound, officerOf, parseBody, type ApplicationRouteDeps } from './deps.ts';
import { INTAKE_FIELDS, choiceIds, registrationBody } from './intake.ts';
import { getApplication } from './queries.ts';
import { createRegistration } from './register.ts';
import { branchScope, ensureInScope } from './scope.ts';

const DEFAULT_SCAN_MAX_BYTES = 5 * 1024 * 1024;

async function* nothing(): AsyncGenerator<Buffer> {}

export async function registerStaffIntakeRoutes(app: FastifyInstance, deps: ApplicationRouteDeps): Promise<void> {
  const registration = createRegistration({ ...deps, rules: deps.intake, profile: deps.profile });
  const registerGuard = { preHandler: deps.guard(...REGISTER_ROLES) };
  const actor = (req: FastifyRequest) => ({ officer: officerOf(req), ip: req.ip });

  app.get('/api/branches', { preHandler: deps.guard(...ALL_ROLES) }, async () => ({
    branches: deps.profile.branches.map((b) => ({ id: b.id, name: b.name, city: b.city })),
  }));

  // What the form offers: the choice ids with their words (as the intake shows them), the declaration's text.
  app.get('/api/applications/intake', registerGuard, async (req) => {
    const scope = branchScope(deps.db, officerOf(req));
    const choices = (field: 'housingType' | 'needType', key: string) =>
      choiceIds(deps.intake[field]).map((id) => ({ id, label: { ar: deps.texts.t('ar', `apply.${key}.${id}`), en: deps.texts.t('en', `apply.${key}.${id}`) } }));
    const version = deps.profile.declaration_version;
    return {
      fields: Object.keys(INTAKE_FIELDS),
      housingTypes: choices('housingType', 'housing'),
      needTypes: choices('needType', 'need'),
      declaration: { version, text: { ar: deps.texts.t('ar', 'apply.declaration', { version }), en: deps.texts.t('en', 'apply.declaration', { version }) } },
      branches: deps.profile.branches.filter((b) => scope.branchId === undefined || b.id === scope.branchId),
      ownBranch: scope.branchId ?? null,
    };
  });

  app.post('/api/applications/check', registerGuard, async (req) => {
    const body = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new AppError('ERR_VALIDATION', 'body: send the fields to check as a JSON object');
    return registration.check(body as Record<string, unknown>);
  });

  app.post('/api/applications', registerGuard, async (req, reply) => {
    const base = parseBody(registrationBody, req.body);
    const result = await registration.register({ ...(req.body as Record<string, unknown>), ...base }, actor(req));
    return reply.code(201).send(result);
  });

  // The scan of the signed paper form (PDF or image, its type read from its bytes), raw in the body.
  const maxBytes = deps.uploadMaxBytes ?? DEFAULT_SCAN_MAX_BYTES;
  const uploadsDir = path.resolve(deps.dataDir, 'uploads');
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.post('/api/applications/:id/declaration-scan', registerGuard, async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!UUID.test(id)) throw notFound('Application');
      const application = getApplication(deps.db, id);
      ensureInScope(branchScope(deps.db, officerOf(req)), application);
      if (application.source === 'channel') throw new AppError('ERR_CONFLICT', 'This application was declared in the chat; there is no paper form to attach.');
      const length = Number(req.headers['content-length']);
      if (Number.isFinite(length) && length > maxBytes) {
        reply.header('connection', 'close');
        throw tooLarge(maxBytes);
      }
      const attachmentId = randomUUID();
      const header = req.headers['x-filename'];
      let name: string | undefined;
      try {
        name = sanitizeFilename(typeof header === 'string' ? decodeURIComponent(header) : undefined);
      } catch {
        name = undefined;
      }
      const file = await saveUpload(fromClient((req.body as AsyncIterable<Buffer> | undefined) ?? nothing()), { dir: uploadsDir, id: attachmentId, maxBytes, now: new Date() });
      try {
        deps.db.$client.transaction(() => {
          deps.db
            .insert(attachments)
            .values({ id: attachmentId, contactId: application.contactId, applicationId: id, originalName: name ?? null, mime: file.mime, size: file.size, sha256: file.sha256, storagePath: file.storagePath })
            .run();
          deps.db.update(applications).set({ declarationScanId: attachmentId }).where(eq(applications.id, id)).run();
          const who = actor(req);
          deps.audit.record({ officerId: who.officer.id, action: 'application.declaration_scan', targetType: 'application', targetId: id, details: { attachmentId, mime: file.mime, size: file.size }, ip: who.ip });
        })();
      } catch (err) {
        const abs = storedPath(uploadsDir, file.storagePath);
        if (abs) await fs.rm(abs, { force: true });
        throw err;
      }
      return reply.code(201).send({ document: { id: attachmentId, name: name ?? null, mime: file.mime, size: file.size } });
    });
  });
}
