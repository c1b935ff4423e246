// What officers do to a conversation: take it over, reply, refer to a researcher, hand back to the bot, close,
// and notify a beneficiary proactively. The conversation service stays the only writer of these rows.
import { AppError } from '../core/errors.ts';
import type { Locale, OutboundMedia } from '../core/messages.ts';
import type { Db } from '../db/client.ts';
import type { EngineInput, FlowState, Json } from '../flows/types.ts';
import type { Outbox } from '../outbound/outbox.ts';
import { noticeOf } from './notice-meta.ts';
import type { Target } from './outgoing.ts';
import type { ContactRow, ConversationRow, IdentityRow, MessageRow, Repo } from './repo.ts';

export interface Pending {
  messages: { identityId: string; conversationId: string; message: MessageRow }[];
  statuses: { identityId: string; conversationId: string; status: ConversationRow['status'] }[];
  outbox: boolean;
}

export interface OfficerRef {
  id: string;
  displayName: string;
}

/** The service's internals officer actions reuse (passed in, so there is one way to store and send). */
export interface OfficerKit {
  db: Db;
  repo: Repo;
  clock(): Date;
  surveyFlow: string;
  texts: { t(locale: Locale, key: string, params?: Record<string, Json>): string };
  storeOutbound(
    p: Pending,
    conv: ConversationRow,
    identity: IdentityRow,
    input: { text: string; senderKind: 'bot' | 'officer' | 'system'; senderId?: string; payload: Record<string, Json>; media?: OutboundMedia; targets?: Target[] },
    now: Date,
  ): MessageRow;
  outbox: Pick<Outbox, 'failed' | 'retryFailed'>;
  /** After a commit that queued outbox rows (the worker's nudge). */
  onOutbox(): void;
  /** A beneficiary's notification targets, best first. */
  targetsFor(contact: ContactRow, first?: Target[]): Target[];
  setStatus(p: Pending, conv: ConversationRow, identity: IdentityRow, status: ConversationRow['status'], now: Date): void;
  say(p: Pending, conv: ConversationRow, identity: IdentityRow, key: string, params: Record<string, Json>, now: Date): void;
  runEngine(p: Pending, conv: ConversationRow, identity: IdentityRow, contact: ContactRow, input: EngineInput, now: Date): void;
  seedState(conv: ConversationRow, identity: IdentityRow, contact: ContactRow): FlowState;
  finish(p: Pending): void;
}

export const MAX_REPLY_LENGTH = 4000;

export function createOfficerActions(kit: OfficerKit) {
  const { db, repo } = kit;

  /** Runs `fn` in one transaction with a loaded conversation, then announces what it wrote. */
  function withConversation<T>(conversationId: string, fn: (ctx: { p: Pending; conv: ConversationRow; identity: IdentityRow; contact: ContactRow; now: Date }) => T): T {
    const now = kit.clock();
    const p: Pending = { messages: [], statuses: [], outbox: false };
    const result = db.$client.transaction(() => {
      const conv = repo.getConversation(conversationId);
      if (!conv) throw new AppError('ERR_NOT_FOUND', 'Conversation not found.');
      const identity = repo.getIdentity(conv.identityId);
      const contact = identity && repo.getContact(identity.contactId);
      if (!identity || !contact) throw new AppError('ERR_INTERNAL', 'conversation without identity');
      const out = fn({ p, conv, identity, contact, now });
      repo.saveConversation(conv, now);
      return out;
    })();
    kit.finish(p);
    return result;
  }

  function assignee(conv: ConversationRow): string | undefined {
    return conv.assignedOfficerId ?? undefined;
  }

  /**
   * An officer writing: refused on a closed conversation or a colleague's; a waiting (or bot) one is taken over,
   * so the bot does not talk over the officer.
   */
  function takeForReply(p: Pending, conv: ConversationRow, identity: IdentityRow, officer: OfficerRef, now: Date): void {
    if (conv.status === 'closed') throw new AppError('ERR_CONFLICT', 'This conversation is closed.');
    const current = assignee(conv);
    if (conv.status === 'officer' && current && current !== officer.id) throw new AppError('ERR_CONFLICT', 'Another officer has this conversation.');
    if (conv.status !== 'officer') {
      kit.setStatus(p, conv, identity, 'officer', now);
      conv.assignedOfficerId = officer.id;
    }
  }

  function notifyIn(p: Pending, contactId: string, key: string, params: Record<string, Json>, now: Date, first?: Target[]): MessageRow | undefined {
    const latest = repo.latestConversationOfContact(contactId);
    const conv = latest ? repo.getConversation(latest) : undefined;
    const identity = conv && repo.getIdentity(conv.identityId);
    const contact = repo.getContact(contactId);
    if (!conv || !identity || !contact) return undefined;
    const text = kit.texts.t(contact.locale, key, params);
    // Web chat shows application notices as cards: the kind, the reference and an appointment's time and place.
    const notice = noticeOf(key, params);
    return kit.storeOutbound(p, conv, identity, { text, senderKind: 'system', payload: { key, ...(notice ? { notice } : {}) }, targets: kit.targetsFor(contact, first) }, now);
  }

  /** Channels a notification can go out on now, best first: those the beneficiary wrote on, SMS to a known mobile. */
  function reachable(contact: ContactRow): string[] {
    return [...new Set(kit.targetsFor({ ...contact, preferredChannel: null }).map((t) => t.channel))];
  }

  return {
    /**
     * Take a conversation over. Two officers at once: the first wins, the second gets 409 naming the winner.
     * Taking one's own conversation again is a no-op.
     */
    async takeOver(conversationId: string, officer: OfficerRef, names: (id: string) => string | undefined): Promise<void> {
      withConversation(conversationId, ({ p, conv, identity, now }) => {
        if (conv.status === 'closed') throw new AppError('ERR_CONFLICT', 'This conversation is closed.');
        const current = assignee(conv);
        if (conv.status === 'officer' && current && current !== officer.id) {
          throw new AppError('ERR_CONFLICT', `Already taken by ${names(current) ?? 'another officer'}.`, { details: { assignedOfficerId: current } });
        }
        if (conv.status === 'officer' && current === officer.id) return;
        kit.setStatus(p, conv, identity, 'officer', now);
        conv.assignedOfficerId = officer.id;
        kit.say(p, conv, identity, 'inbox.officer_joined', { name: officer.displayName }, now);
      });
    },

    /** An officer's reply, sent on the beneficiary's own channel through the outbox. */
    async reply(conversationId: string, officer: OfficerRef, text: string): Promise<MessageRow> {
      const body = text.trim();
      if (body === '') throw new AppError('ERR_VALIDATION', 'text: must not be empty');
      if (body.length > MAX_REPLY_LENGTH) throw new AppError('ERR_PAYLOAD_TOO_LARGE', `A reply is at most ${MAX_REPLY_LENGTH} characters.`);
      return withConversation(conversationId, ({ p, conv, identity, now }) => {
        takeForReply(p, conv, identity, officer, now);
        return kit.storeOutbound(p, conv, identity, { text: body, senderKind: 'officer', senderId: officer.id, payload: { senderName: officer.displayName } }, now);
      });
    },

    /**
     * An officer sends a stored file (already saved for this conversation's beneficiary) with an optional caption.
     * Channels that take media send the file; others send the caption and the file name.
     */
    async replyWithFile(
      conversationId: string,
      officer: OfficerRef,
      file: { attachmentId: string; mime: string; name?: string; size: number },
      caption = '',
    ): Promise<MessageRow> {
      const text = caption.trim();
      if (text.length > MAX_REPLY_LENGTH) throw new AppError('ERR_PAYLOAD_TOO_LARGE', `A caption is at most ${MAX_REPLY_LENGTH} characters.`);
      return withConversation(conversationId, ({ p, conv, identity, contact, now }) => {
        takeForReply(p, conv, identity, officer, now);
        const kind: OutboundMedia['kind'] = file.mime.startsWith('image/') ? 'image' : file.mime.startsWith('audio/') ? 'audio' : file.mime.startsWith('video/') ? 'video' : 'document';
        const media: OutboundMedia = { attachmentId: file.attachmentId, kind, mime: file.mime, size: file.size, ...(file.name ? { name: file.name } : {}) };
        // Without media support the beneficiary still learns a file was meant for them, by name.
        const shown = text || (file.name ?? '');
        const message = kit.storeOutbound(
          p,
          conv,
          identity,
          {
            text: shown,
            senderKind: 'officer',
            senderId: officer.id,
            payload: { senderName: officer.displayName, attachment: { id: file.attachmentId, name: file.name ?? null, mime: file.mime, size: file.size } },
            media,
          },
          now,
        );
        repo.linkAttachment(file.attachmentId, contact.id, { messageId: message.id, conversationId: conv.id });
        return message;
      });
    },

    /** Refer to a social researcher: they become the assignee and the beneficiary is told. */
    async refer(conversationId: string, researcher: OfficerRef): Promise<void> {
      withConversation(conversationId, ({ p, conv, identity, now }) => {
        if (conv.status === 'closed') throw new AppError('ERR_CONFLICT', 'This conversation is closed.');
        kit.setStatus(p, conv, identity, 'officer', now);
        conv.assignedOfficerId = researcher.id;
        kit.say(p, conv, identity, 'inbox.referred_to_researcher', { name: researcher.displayName }, now);
      });
    },

    /** Back to the bot: it resumes at the main menu. */
    async handBack(conversationId: string): Promise<void> {
      withConversation(conversationId, ({ p, conv, identity, contact, now }) => {
        if (conv.status === 'closed') throw new AppError('ERR_CONFLICT', 'This conversation is closed.');
        kit.setStatus(p, conv, identity, 'bot', now);
        kit.say(p, conv, identity, 'inbox.handed_back', {}, now);
        const base = conv.flowState ?? kit.seedState(conv, identity, contact);
        conv.flowState = { ...base, waiting: 'idle', stack: [], history: [] };
        kit.runEngine(p, conv, identity, contact, { type: 'start' }, now);
      });
    },

    /** Close a conversation; the beneficiary is asked the satisfaction survey. */
    async close(conversationId: string): Promise<void> {
      withConversation(conversationId, ({ p, conv, identity, contact, now }) => {
        if (conv.status === 'closed') return;
        kit.setStatus(p, conv, identity, 'closed', now);
        conv.closedAt = now.toISOString();
        const base = conv.flowState ?? kit.seedState(conv, identity, contact);
        conv.flowState = { ...base, waiting: 'idle', stack: [], history: [], vars: { channel: conv.channel } };
        kit.runEngine(p, conv, identity, contact, { type: 'start', flow: kit.surveyFlow }, now);
      });
    },

    /**
     * Tell a beneficiary something in their language (an application status change). It is filed in the
     * conversation they used last and sent to their preferred channel, then the one they used last, then the
     * configured order (SMS to their mobile for callers); each next channel is tried when one refuses for good.
     */
    async notify(contactId: string, key: string, params: Record<string, Json>, first?: Target[]): Promise<MessageRow | undefined> {
      const latest = repo.latestConversationOfContact(contactId);
      if (!latest) return undefined;
      return withConversation(latest, ({ p, now }) => notifyIn(p, contactId, key, params, now, first));
    },

    /**
     * The satisfaction survey outside a chat's close (after a service was delivered): `intro` says what is rated,
     * `vars` go with the rating (service type, application). Not while an officer has the conversation or it waits
     * for one (the bot would talk over them): false then, and for a contact without a conversation.
     */
    async askSurvey(contactId: string, vars: Record<string, Json>, intro: { key: string; params: Record<string, Json> }): Promise<boolean> {
      const latest = repo.latestConversationOfContact(contactId);
      if (!latest) return false;
      return withConversation(latest, ({ p, conv, identity, contact, now }) => {
        if (conv.status === 'officer' || conv.status === 'waiting') return false;
        kit.say(p, conv, identity, intro.key, intro.params, now);
        const base = conv.flowState ?? kit.seedState(conv, identity, contact);
        conv.flowState = { ...base, waiting: 'idle', stack: [], history: [], vars: { channel: conv.channel, ...vars } };
        kit.runEngine(p, conv, identity, contact, { type: 'start', flow: kit.surveyFlow }, now);
        return true;
      });
    },

    /** The same inside a transaction already open (a flow action); returns undefined for an unknown contact. */
    notifyIn,

    /** Where a beneficiary can be notified (enabled channels only); [] for an unknown contact. */
    reachableChannels(contactId: string): string[] {
      const contact = repo.getContact(contactId);
      return contact ? reachable(contact) : [];
    },

    /**
     * The channel notifications try first (an officer set it at the beneficiary's request); null goes back to the
     * channel they used last. Only a channel they can be reached on now is accepted.
     */
    async setPreferredChannel(contactId: string, channel: string | null): Promise<{ preferredChannel: string | null; reachableChannels: string[] }> {
      return db.$client.transaction(() => {
        const contact = repo.getContact(contactId);
        if (!contact) throw new AppError('ERR_NOT_FOUND', 'Contact not found.');
        const channels = reachable(contact);
        if (channel !== null && !channels.includes(channel)) {
          throw new AppError('ERR_VALIDATION', `channel: this beneficiary cannot be reached on ${channel} (they can on: ${channels.join(', ') || 'none'}).`);
        }
        if (contact.preferredChannel !== channel) repo.updateContact(contact.id, { preferredChannel: channel }, kit.clock());
        return { preferredChannel: channel, reachableChannels: channels };
      })();
    },

    /** Dead letters: outbound messages every channel refused for good, newest first (officers see and retry them). */
    async failedDeliveries(limit = 100) {
      return kit.outbox.failed(limit);
    },

    /** Put a failed message back in the queue (an officer pressed retry). Returns the number of parts requeued. */
    async retryDelivery(messageId: number): Promise<number> {
      const n = kit.outbox.retryFailed(messageId, kit.clock());
      if (n > 0) kit.onOutbox();
      return n;
    },
  };
}

export type OfficerActions = ReturnType<typeof createOfficerActions>;
