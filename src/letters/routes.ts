// Official letters as PDF: download one (GET), or send it to the beneficiary in their conversation (POST …/send) as a
// WhatsApp document or an email attachment through the normal outbox. Both are personal data, so both are audited.
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { ALL_ROLES, UUID, notFound, officerOf, parseBody, type AuditRecorder, type Guard } from '../applications/deps.ts';
import { getApplication } from '../applications/queries.ts';
import { branchScope, ensureInScope } from '../applications/scope.ts';
import type { ChannelAdapter } from '../core/channel.ts';
import { AppError } from '../core/errors.ts';
import { sendGeneratedDocument } from '../conversations/send-document.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { Db } from '../db/client.ts';
import { conversations, type OfficerRole } from '../db/schema.ts';
import { ensureFreeSpace } from '../files/disk.ts';
import { attachmentDisposition } from '../files/disposition.ts';
import { DOWNLOAD_HELMET } from '../files/download-headers.ts';
import type { Profile } from '../profile/schema.ts';
import { buildLetter, LETTER_KINDS, type Letter, type LetterKind, type LetterTexts } from './content.ts';
import type { PdfRenderer } from './renderer.ts';
import { letterHtml } from './template.ts';

export interface LetterRouteDeps {
  db: Db;
  texts: LetterTexts;
  profile: Profile;
  renderer: PdfRenderer;
  guard: Guard;
  audit: AuditRecorder;
  conversations: Pick<ConversationService, 'replyWithFile'>;
  adapters: ReadonlyMap<string, Pick<ChannelAdapter, 'capabilities'>>;
  /** DATA_DIR: a sent letter is stored under DATA_DIR/uploads like any file an officer sends. */
  dataDir: string;
  /** UPLOAD_MIN_FREE_MB in bytes (0 = no check). */
  minFreeBytes: number;
  now?: () => Date;
}

/** Who works conversations (as the inbox): the committee prints letters but does not message beneficiaries. */
const SEND_ROLES: OfficerRole[] = ['officer', 'researcher', 'admin'];
// A letter is a page or two; anything near this means something went wrong in the template.
const MAX_PDF_BYTES = 5 * 1024 * 1024;

const sendBody = z.object({ conversationId: z.string().regex(UUID, 'must be a conversation id').optional() }).default({});

function letterParams(req: FastifyRequest): { id: string; kind: LetterKind } {
  const { id, kind } = req.params as { id: string; kind: string };
  if (!UUID.test(id)) throw notFound('Application');
  if (!(LETTER_KINDS as readonly string[]).includes(kind)) throw new AppError('ERR_NOT_FOUND', `No letter of kind "${kind}"; one of ${LETTER_KINDS.join(', ')}.`);
  return { id, kind: kind as LetterKind };
}

export async function registerLetterRoutes(app: FastifyInstance, deps: LetterRouteDeps): Promise<void> {
  const clock = deps.now ?? (() => new Date());
  const uploadsDir = path.resolve(deps.dataDir, 'uploads');

  async function make(req: FastifyRequest): Promise<{ letter: Letter; pdf: Buffer; applicationId: string; contactId: string }> {
    const { id, kind } = letterParams(req);
    const application = getApplication(deps.db, id);
    // A branch representative's letters are their branch's cases only (another branch's: not found).
    ensureInScope(branchScope(deps.db, officerOf(req)), application);
    const letter = buildLetter({ db: deps.db, texts: deps.texts, profile: deps.profile, kind, applicationId: id, now: clock() });
    const pdf = await deps.renderer.render(letterHtml(letter));
    return { letter, pdf, applicationId: id, contactId: application.contactId };
  }

  function audit(req: FastifyRequest, action: string, applicationId: string, details: Record<string, unknown>): void {
    deps.audit.record({ officerId: officerOf(req).id, action, targetType: 'application', targetId: applicationId, details, ...(req.ip ? { ip: req.ip } : {}) });
  }

  app.get('/api/applications/:id/letters/:kind', { preHandler: deps.guard(...ALL_ROLES), helmet: DOWNLOAD_HELMET }, async (req, reply) => {
    const { letter, pdf, applicationId } = await make(req);
    audit(req, 'application.letter', applicationId, { kind: letter.kind, number: letter.number });
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', attachmentDisposition(`${letter.fileName}.pdf`))
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });

  /** The conversation to send in: the one asked for (it must be this beneficiary's), else their latest open one. */
  function conversationFor(contactId: string, asked: string | undefined) {
    const columns = { id: conversations.id, channel: conversations.channel, status: conversations.status };
    if (asked) {
      const row = deps.db.select(columns).from(conversations).where(and(eq(conversations.id, asked), eq(conversations.contactId, contactId))).get();
      if (!row) throw notFound('Conversation');
      return row;
    }
    const row = deps.db
      .select(columns)
      .from(conversations)
      .where(and(eq(conversations.contactId, contactId), ne(conversations.status, 'closed')))
      .orderBy(desc(sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`), desc(conversations.createdAt))
      .get();
    if (!row) throw new AppError('ERR_CONFLICT', 'This beneficiary has no open conversation to send the letter in; download it and hand it over, or send it once they write to us.');
    return row;
  }

  app.post('/api/applications/:id/letters/:kind/send', { preHandler: deps.guard(...SEND_ROLES) }, async (req, reply) => {
    const body = parseBody(sendBody, req.body ?? {});
    const { id } = letterParams(req);
    const conversation = conversationFor(getApplication(deps.db, id).contactId, body.conversationId);
    if (deps.adapters.get(conversation.channel)?.capabilities.media !== true) {
      throw new AppError('ERR_CONFLICT', `The beneficiary's conversation is on ${conversation.channel}, which cannot carry a document; download the letter instead.`);
    }
    await ensureFreeSpace(uploadsDir, deps.minFreeBytes, MAX_PDF_BYTES);
    const { letter, pdf, applicationId, contactId } = await make(req);
    const name = `${letter.fileName}.pdf`;
    const me = officerOf(req);
    const caption = deps.texts.t(letter.locale, 'letters.caption', { subject: letter.subject, reference: `\u2066${letter.number.split('/')[0] ?? ''}\u2069` });
    const { message, attachmentId, size } = await sendGeneratedDocument(
      { db: deps.db, conversations: deps.conversations, uploadsDir },
      { id: me.id, displayName: me.displayName },
      { bytes: pdf, maxBytes: MAX_PDF_BYTES, contactId, conversationId: conversation.id, name, caption, now: clock() },
    );
    audit(req, 'application.letter_send', applicationId, { kind: letter.kind, number: letter.number, conversationId: conversation.id, channel: conversation.channel, messageId: message.id, attachmentId });
    return reply.code(201).send({ letter: { kind: letter.kind, number: letter.number, fileName: name, size }, message: { id: message.id, conversationId: conversation.id, channel: conversation.channel } });
  });
}
