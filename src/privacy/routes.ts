// Staff fulfil the beneficiary's rights: the access copy (JSON, a zip with the files, a readable page) and erasure
// with a second admin's confirmation. Admins only; every call is audited.
import { eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contactRoutes as api } from '../api/contacts.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import { attachments, contacts, type OfficerRole } from '../db/schema.ts';
import type { Erasure } from './erase.ts';
import { exportContact } from './export.ts';
import { exportHtml, type HtmlTexts } from './html.ts';
import { subjectOf } from './subject.ts';
import { exportZip } from './zip.ts';

export interface PrivacyRouteDeps {
  db: Db;
  guard: (...roles: OfficerRole[]) => preHandlerAsyncHookHandler;
  audit: { record(event: { officerId: string | null; action: string; targetType?: string; targetId?: string; details?: Record<string, unknown>; ip?: string }): void };
  erasure: Erasure;
  texts: HtmlTexts;
  uploadsDir: string;
  now: () => Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function me(req: FastifyRequest): { officerId: string; ip: string } {
  if (!req.officer) throw new AppError('ERR_UNAUTHORIZED', 'Sign in first.');
  return { officerId: req.officer.id, ip: req.ip };
}

export function registerPrivacyRoutes(app: FastifyInstance, deps: PrivacyRouteDeps): void {
  const { db } = deps;
  const route = app.withTypeProvider<ZodTypeProvider>();
  const admin = { preValidation: deps.guard('admin') };

  function contactOf(id: string): string {
    const found = UUID.test(id) ? db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, id)).get() : undefined;
    if (!found) throw new AppError('ERR_NOT_FOUND', 'Contact not found.');
    return found.id;
  }

  function exported(req: FastifyRequest, id: string, format: 'json' | 'zip' | 'html') {
    const contactId = contactOf(id);
    const who = me(req);
    // Recorded before it is read, so the copy itself lists this look.
    deps.audit.record({ officerId: who.officerId, action: 'contact.export', targetType: 'contact', targetId: contactId, details: { format }, ip: who.ip });
    return exportContact(db, contactId, deps.now());
  }

  route.get('/api/contacts/:id/export', { ...admin, schema: api.export }, async (req, reply) => {
    const { files, format } = req.query;
    if (files === '1' || files === 'true') {
      const data = exported(req, req.params.id, 'zip');
      const ids = subjectOf(db, data.contactId).attachmentIds;
      const stored = ids.length > 0 ? db.select({ id: attachments.id, storagePath: attachments.storagePath }).from(attachments).where(inArray(attachments.id, ids)).all() : [];
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="contact-${data.contactId}.zip"`)
        .header('cache-control', 'no-store')
        .send(exportZip(data, stored, deps.uploadsDir) as never);
    }
    if (format === 'html') return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(exportHtml(exported(req, req.params.id, 'html'), deps.texts) as never);
    return reply.header('cache-control', 'no-store').send(exported(req, req.params.id, 'json'));
  });

  route.get('/api/contacts/:id/export.html', { ...admin, schema: api.exportHtml }, async (req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(exportHtml(exported(req, req.params.id, 'html'), deps.texts)),
  );

  route.post('/api/contacts/:id/erase', { ...admin, schema: api.erase }, async (req, reply) => {
    const outcome = await deps.erasure.request(contactOf(req.params.id), req.body.reason, me(req));
    return reply.code(outcome.status === 'pending' ? 202 : 200).send(outcome);
  });

  route.post('/api/contacts/erasures/:id/confirm', { ...admin, schema: api.confirmErasure }, async (req) => deps.erasure.confirm(req.params.id, me(req)));
}
