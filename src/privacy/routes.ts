// Staff fulfil the beneficiary's rights: the access copy (JSON, a zip with the files, a readable page, and the PDF sent
// to the beneficiary over a channel that proves who they are) and erasure with a second admin's confirmation (the
// queue of pending ones). Admins (and the data protection officer for sending the copy); every call is audited.
import { desc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contactRoutes as api } from '../api/contacts.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import type { ChannelAdapter } from '../core/channel.ts';
import type { ConversationService } from '../conversations/service.ts';
import { attachments, contactIdentities, contacts, erasureRequests, officers, type OfficerRole } from '../db/schema.ts';
import type { Erasure } from './erase.ts';
import { exportContact } from './export.ts';
import { exportHtml, type HtmlTexts } from './html.ts';
import { PRIVACY_ROLES } from './requests-routes.ts';
import { createCopySender, type PdfPrinter } from './send-copy.ts';
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
  /** Prints the access copy sent to the beneficiary; without one, POST …/export/send answers ERR_PDF_UNAVAILABLE. */
  renderer?: PdfPrinter;
  /** UPLOAD_MIN_FREE_MB in bytes (0 = no check). */
  minFreeBytes?: number;
  conversations: Pick<ConversationService, 'replyWithFile'>;
  adapters: ReadonlyMap<string, Pick<ChannelAdapter, 'capabilities'>>;
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

  const sender = deps.renderer
    ? createCopySender({ db, texts: deps.texts, renderer: deps.renderer, conversations: deps.conversations, adapters: deps.adapters, uploadsDir: deps.uploadsDir, minFreeBytes: deps.minFreeBytes ?? 0, now: deps.now })
    : undefined;

  route.post('/api/contacts/:id/export/send', { preValidation: deps.guard(...PRIVACY_ROLES), schema: api.exportSend }, async (req, reply) => {
    const contactId = contactOf(req.params.id);
    if (!sender) throw new AppError('ERR_PDF_UNAVAILABLE', 'The access copy cannot be printed on this server (no PDF renderer); download export.html and hand it over.');
    const officer = req.officer;
    if (!officer) throw new AppError('ERR_UNAUTHORIZED', 'Sign in first.');
    const sent = await sender.send(contactId, req.body?.conversationId, { id: officer.id, displayName: officer.displayName });
    // Ids and the channel only: the copy's contents and the file name stay out of the log.
    deps.audit.record({
      officerId: officer.id,
      action: 'contact.export_sent',
      targetType: 'contact',
      targetId: contactId,
      details: { conversationId: sent.message.conversationId, channel: sent.message.channel, messageId: sent.message.id, size: sent.size },
      ip: req.ip,
    });
    return reply.code(201).send(sent);
  });

  /** The four-eyes queue: erasures an admin asked for and another must confirm (the asker cannot: `mine`). */
  route.get('/api/contacts/erasures', { ...admin, schema: api.pendingErasures }, async (req) => {
    const who = me(req);
    const rows = db
      .select({ id: erasureRequests.id, contactId: erasureRequests.contactId, reason: erasureRequests.reason, requestedBy: erasureRequests.requestedBy, requestedAt: erasureRequests.createdAt, contactName: contacts.displayName, officerName: officers.displayName })
      .from(erasureRequests)
      .innerJoin(officers, eq(officers.id, erasureRequests.requestedBy))
      .leftJoin(contacts, eq(contacts.id, erasureRequests.contactId))
      .where(eq(erasureRequests.status, 'pending'))
      .orderBy(desc(erasureRequests.createdAt), desc(erasureRequests.id))
      .limit(500)
      .all();
    // A contact who gave no name in their profile is shown by the name their channel gave, when there is one.
    const unnamed = [...new Set(rows.filter((r) => !r.contactName).map((r) => r.contactId))];
    const channelNames = unnamed.length > 0 ? db.select({ contactId: contactIdentities.contactId, displayName: contactIdentities.displayName }).from(contactIdentities).where(inArray(contactIdentities.contactId, unnamed)).all() : [];
    deps.audit.record({ officerId: who.officerId, action: 'contact.erasures_list', targetType: 'erasure_request', details: { count: rows.length }, ip: who.ip });
    return {
      erasures: rows.map((r) => ({
        id: r.id,
        contactId: r.contactId,
        contactName: r.contactName ?? channelNames.find((c) => c.contactId === r.contactId && c.displayName)?.displayName ?? null,
        reason: r.reason,
        requestedBy: { id: r.requestedBy, name: r.officerName },
        requestedAt: r.requestedAt,
        mine: r.requestedBy === who.officerId,
      })),
    };
  });

  route.post('/api/contacts/:id/erase', { ...admin, schema: api.erase }, async (req, reply) => {
    const outcome = await deps.erasure.request(contactOf(req.params.id), req.body.reason, me(req));
    return reply.code(outcome.status === 'pending' ? 202 : 200).send(outcome);
  });

  route.post('/api/contacts/erasures/:id/confirm', { ...admin, schema: api.confirmErasure }, async (req) => deps.erasure.confirm(req.params.id, me(req)));
}
