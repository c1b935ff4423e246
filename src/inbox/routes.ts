// The relations-officer inbox API: queues, the conversation view, and the officer actions, each one audited.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inboxRoutes as api } from '../api/inbox.ts';
import { AppError } from '../core/errors.ts';
import { maskSearchQuery } from '../core/mask.ts';
import type { EventBus } from '../conversations/events.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { Db } from '../db/client.ts';
import { conversationNotes } from '../db/schema.ts';
import type { SessionWatch } from '../auth/sessions.ts';
import { registerInboxEvents } from './events.ts';
import { auditor, INBOX_ROLES, officerOf, type InboxAudit, type InboxGuard } from './http.ts';
import { registerInboxFiles } from './files.ts';
import { registerDeliveryRoutes } from './deliveries.ts';
import { registerInteractionRoutes } from './interactions.ts';
import { registerLibraryRoutes } from './library.ts';
import { createInboxQueries } from './queries.ts';
import { parseSearch } from './search.ts';
import { DEFAULT_UPLOAD_MAX_BYTES, registerSendFile } from './send-file.ts';
import { toInboxMessage } from './view.ts';

export { createInboxQueries, type InboxQueries } from './queries.ts';
export type { InboxAudit, InboxGuard } from './http.ts';

export interface InboxDeps {
  conversations: Pick<
    ConversationService,
    'takeOver' | 'reply' | 'replyWithFile' | 'refer' | 'handBack' | 'close' | 'failedDeliveries' | 'retryDelivery' | 'reachableChannels' | 'setPreferredChannel'
  >;
  db: Db;
  bus: EventBus;
  /** `requireOfficer` from src/auth/guards.ts. */
  guard: InboxGuard;
  /** `createAudit(db)` from src/auth/audit.ts. */
  audit: InboxAudit;
  /** The clock for waiting times, overdue flags and stored timestamps. */
  now?: () => Date;
  /** SSE heartbeat interval (tests shorten it). */
  heartbeatMs?: number;
  /** `auth.sessionWatch`: the live feed ends with its session. */
  sessions?: SessionWatch;
  /** DATA_DIR: uploaded files live under its uploads/ folder (without it, no file routes). */
  dataDir?: string;
  /** UPLOAD_MAX_BYTES, the web chat's limit, for files officers send (5 MiB when not given). */
  uploadMaxBytes?: number;
  /** UPLOAD_MIN_FREE_MB in bytes: officers' files are refused (507) below it. */
  minFreeBytes?: number;
}

const PREFIX = '/api/inbox/conversations';
export { NOTE_MAX_LENGTH } from '../api/inbox.ts';

export async function registerInboxRoutes(server: FastifyInstance, deps: InboxDeps): Promise<void> {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const now = deps.now ?? (() => new Date());
  const queries = createInboxQueries(deps.db, { now });
  const audit = auditor(deps.audit);
  // The guard runs before the input is validated: a stranger learns nothing from a 400.
  const guard = deps.guard(...INBOX_ROLES);

  /** The answer after an action: where the conversation stands now. */
  function stateOf(id: string) {
    const s = queries.state(id);
    if (!s) throw new AppError('ERR_NOT_FOUND', 'Conversation not found.');
    return { conversation: s };
  }

  /**
   * Another officer's conversation is theirs to refer, hand back or close (an admin may step in).
   * The service itself settles races for take-over and replies; this is a rule about who, not a lock.
   */
  function ensureMayAct(req: FastifyRequest, id: string): void {
    const me = officerOf(req);
    const s = queries.state(id);
    if (!s) throw new AppError('ERR_NOT_FOUND', 'Conversation not found.');
    if (s.status === 'officer' && s.assignedOfficerId && s.assignedOfficerId !== me.id && me.role !== 'admin') {
      throw new AppError('ERR_CONFLICT', `${queries.officerName(s.assignedOfficerId) ?? 'Another officer'} has this conversation.`, { details: { assignedOfficerId: s.assignedOfficerId } });
    }
  }

  /** Before a file is stored: the conversation exists, is open, and no other officer holds it (as the service decides). */
  function ensureMayReply(req: FastifyRequest, id: string): { contactId: string } {
    const s = queries.state(id);
    const contactId = queries.contactIdOf(id);
    if (!s || !contactId) throw new AppError('ERR_NOT_FOUND', 'Conversation not found.');
    if (s.status === 'closed') throw new AppError('ERR_CONFLICT', 'This conversation is closed.');
    if (s.status === 'officer' && s.assignedOfficerId && s.assignedOfficerId !== officerOf(req).id) {
      throw new AppError('ERR_CONFLICT', `${queries.officerName(s.assignedOfficerId) ?? 'Another officer'} has this conversation.`, { details: { assignedOfficerId: s.assignedOfficerId } });
    }
    return { contactId };
  }

  function addNote(req: FastifyRequest, conversationId: string, text: string) {
    const row = deps.db
      .insert(conversationNotes)
      .values({ conversationId, officerId: officerOf(req).id, text, createdAt: now().toISOString() })
      .returning()
      .get();
    audit(req, 'conversation.note', { type: 'conversation', id: conversationId }, { noteId: row.id });
    return row;
  }

  app.get(PREFIX, { preValidation: guard, schema: api.list }, async (req) => {
    const query = req.query;
    const me = officerOf(req).id;
    const page = queries.list({ ...query, officerId: me });
    // A search by ID, mobile or name is a look into personal data: audited, with the query masked as lists mask it.
    const q = query.q?.trim();
    if (q) {
      const details = { query: maskSearchQuery(q), kinds: parseSearch(q).map((k) => k.kind), queue: query.queue, results: page.items.length };
      deps.audit.record({ officerId: me, action: 'conversation.search', details, ip: req.ip });
    }
    return page;
  });

  registerDeliveryRoutes(app, { conversations: deps.conversations, view: queries, guard, audit });
  if (deps.dataDir) {
    registerInboxFiles(app, { db: deps.db, dataDir: deps.dataDir, guard, audit });
    await registerSendFile(app, {
      db: deps.db,
      conversations: deps.conversations,
      dataDir: deps.dataDir,
      maxBytes: deps.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX_BYTES,
      minFreeBytes: deps.minFreeBytes ?? 0,
      guard,
      audit,
      ensureMayReply,
      deliveriesOf: queries.deliveriesOf,
    });
  }

  app.get(`${PREFIX}/:id`, { preValidation: guard, schema: api.detail }, async (req) => {
    const { id } = req.params;
    const detail = queries.detail(id);
    audit(req, 'conversation.view', { type: 'conversation', id });
    // Which channels the officer may pick as preferred is the conversation service's rule (enabled ones only).
    return { ...detail, contact: { ...detail.contact, reachableChannels: deps.conversations.reachableChannels(detail.contact.id) } };
  });

  app.put('/api/inbox/contacts/:id/preferred-channel', { preValidation: guard, schema: api.preferredChannel }, async (req) => {
    const { id } = req.params;
    const { channel } = req.body;
    const result = await deps.conversations.setPreferredChannel(id, channel);
    audit(req, 'contact.preferred_channel', { type: 'contact', id }, { channel });
    return { contact: { id, ...result } };
  });

  app.post(`${PREFIX}/:id/take`, { preValidation: guard, schema: api.take }, async (req) => {
    const { id } = req.params;
    const me = officerOf(req);
    await deps.conversations.takeOver(id, { id: me.id, displayName: me.displayName }, (other) => queries.officerName(other));
    audit(req, 'conversation.take', { type: 'conversation', id });
    return stateOf(id);
  });

  app.post(`${PREFIX}/:id/reply`, { preValidation: guard, schema: api.reply }, async (req, reply) => {
    const { id } = req.params;
    const { text } = req.body;
    const me = officerOf(req);
    const message = await deps.conversations.reply(id, { id: me.id, displayName: me.displayName }, text);
    audit(req, 'conversation.reply', { type: 'conversation', id }, { messageId: message.id });
    return reply.code(201).send({ message: { ...toInboxMessage(message), deliveries: queries.deliveriesOf(message.id) } });
  });

  app.post(`${PREFIX}/:id/notes`, { preValidation: guard, schema: api.note }, async (req, reply) => {
    const { id } = req.params;
    const { text } = req.body;
    if (!queries.state(id)) throw new AppError('ERR_NOT_FOUND', 'Conversation not found.');
    const note = addNote(req, id, text);
    const me = officerOf(req);
    return reply.code(201).send({ note: { id: note.id, conversationId: id, text: note.text, officer: { id: me.id, displayName: me.displayName }, createdAt: note.createdAt } });
  });

  app.post(`${PREFIX}/:id/refer`, { preValidation: guard, schema: api.refer }, async (req) => {
    const { id } = req.params;
    const { researcherId, note } = req.body;
    const researcher = queries.officer(researcherId);
    if (!researcher || !researcher.active || researcher.role !== 'researcher') {
      throw new AppError('ERR_VALIDATION', 'researcherId: not an active social researcher.');
    }
    ensureMayAct(req, id);
    await deps.conversations.refer(id, { id: researcher.id, displayName: researcher.displayName });
    audit(req, 'conversation.refer', { type: 'conversation', id }, { researcherId });
    if (note) addNote(req, id, note);
    // The researcher's inbox alerts them live (not when they referred it to themselves).
    const by = officerOf(req).id;
    if (researcher.id !== by) deps.bus.emitAssignment({ officerId: researcher.id, by, conversationId: id });
    return stateOf(id);
  });

  app.post(`${PREFIX}/:id/hand-back`, { preValidation: guard, schema: api.handBack }, async (req) => {
    const { id } = req.params;
    ensureMayAct(req, id);
    await deps.conversations.handBack(id);
    audit(req, 'conversation.hand_back', { type: 'conversation', id });
    return stateOf(id);
  });

  app.post(`${PREFIX}/:id/close`, { preValidation: guard, schema: api.close }, async (req) => {
    const { id } = req.params;
    ensureMayAct(req, id);
    await deps.conversations.close(id);
    audit(req, 'conversation.close', { type: 'conversation', id });
    return stateOf(id);
  });

  registerLibraryRoutes(app, { db: deps.db, guard: deps.guard, audit: deps.audit, queries, now });
  registerInteractionRoutes(app, { db: deps.db, guard: deps.guard, audit: deps.audit, now });
  registerInboxEvents(app, { bus: deps.bus, guard: deps.guard, queries, ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}), ...(deps.sessions ? { sessions: deps.sessions } : {}) });
}
