// Read side of the inbox: the queues with their counts and search, one conversation's full picture, officers.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '../core/errors.ts';
import type { MessageRow } from '../conversations/repo.ts';
import type { Db } from '../db/client.ts';
import { applications, contactIdentities, contacts, conversationNotes, conversations, messages, officers, type ApplicationStatus, type OfficerRole } from '../db/schema.ts';
import { normalizeForMatch } from '../flows/normalize.ts';
import { createDeliveryView, type InboxDelivery } from './delivery-view.ts';
import { listConversations, type ListOptions, type ListPage } from './queues.ts';
import { maskIdentifier } from '../core/mask.ts';
import { interactionsOf, type InteractionView } from './interactions.ts';
import { toInboxMessage, type InboxMessage } from './view.ts';

export type { InboxQueue, ListItem, ListOptions, ListPage } from './queues.ts';

/** The most recent messages a conversation view carries; older ones are summarised by `historyTruncated`. */
export const HISTORY_LIMIT = 2000;
// Once the committee has decided, the two-week promise is kept whatever the date.
const DECIDED: ReadonlySet<ApplicationStatus> = new Set(['approved', 'rejected', 'service_delivered', 'closed']);

export interface OfficerSummary {
  id: string;
  displayName: string;
  role: OfficerRole;
}

export interface ConversationState {
  id: string;
  status: 'bot' | 'waiting' | 'officer' | 'closed';
  assignedOfficerId: string | null;
}

export interface ConversationDetail {
  conversation: {
    id: string;
    status: ConversationState['status'];
    channel: string;
    locale: 'ar' | 'en';
    assignedOfficer?: { id: string; displayName: string };
    waitingSince?: string;
    createdAt: string;
    closedAt?: string;
    /** The sender of this conversation only claimed its address (see contact_identities.unverified). */
    unverifiedSender?: true;
  };
  contact: {
    id: string;
    displayName: string | null;
    phone?: string;
    nationalId?: string;
    locale: 'ar' | 'en';
    identities: { id: string; channel: string; address: string; displayName?: string; lastInboundAt?: string; unverified?: true }[];
    /** Where notifications go first; null: the channel they used last. */
    preferredChannel: string | null;
  };
  history: InboxMessage[];
  historyTruncated: boolean;
  notes: { id: number; conversationId: string; text: string; officer: { id: string; displayName: string }; createdAt: string }[];
  applications: { id: string; reference: string; status: ApplicationStatus; createdAt: string; committeeDueAt: string; overdue: boolean }[];
  /** Calls, visits and letters staff recorded, for the timeline beside the messages. */
  interactions: InteractionView[];
}

export function createInboxQueries(db: Db, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());
  // Names are compared in folded form on both sides (أحمد = احمد, ى = ي); SQLite calls back into the same function.
  db.$client.function('inbox_fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? normalizeForMatch(value) : null));
  const id = sql.placeholder('id');
  const stateStmt = db
    .select({ id: conversations.id, status: conversations.status, assignedOfficerId: conversations.assignedOfficerId })
    .from(conversations)
    .where(eq(conversations.id, id))
    .prepare();
  const officerStmt = db
    .select({ id: officers.id, displayName: officers.displayName, role: officers.role, active: officers.active })
    .from(officers)
    .where(eq(officers.id, id))
    .prepare();
  const contactStmt = db.select({ contactId: conversations.contactId }).from(conversations).where(eq(conversations.id, id)).prepare();
  const deliveries = createDeliveryView(db);

  function officer(id: string): (OfficerSummary & { active: boolean }) | undefined {
    return officerStmt.get({ id });
  }

  function officerNames(ids: Iterable<string>): Map<string, string> {
    const list = [...new Set(ids)];
    if (list.length === 0) return new Map();
    const rows = db.select({ id: officers.id, name: officers.displayName }).from(officers).where(inArray(officers.id, list)).all();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  return {
    list(opts: Omit<ListOptions, 'now'>): ListPage {
      return listConversations(db, { ...opts, now: now() });
    },

    state(id: string): ConversationState | undefined {
      return stateStmt.get({ id });
    },

    officer,

    /** The beneficiary a conversation belongs to (whose files it may carry). */
    contactIdOf(id: string): string | undefined {
      return contactStmt.get({ id })?.contactId;
    },

    /** What became of one outbound message on each channel it was queued on. */
    deliveriesOf(messageId: number): InboxDelivery[] {
      return deliveries.byMessage([messageId]).get(messageId) ?? [];
    },

    /** Dead letters with masked addresses, the start of each message and the beneficiary's name. */
    failed: deliveries.failed,

    officerName(id: string): string | undefined {
      return officer(id)?.displayName;
    },

    activeOfficers(role?: OfficerRole): OfficerSummary[] {
      const where = role ? and(eq(officers.active, true), eq(officers.role, role)) : eq(officers.active, true);
      return db.select({ id: officers.id, displayName: officers.displayName, role: officers.role }).from(officers).where(where).orderBy(asc(officers.displayName)).all();
    },

    /** The conversation, its beneficiary on every channel, their whole history, notes and applications. */
    detail(id: string): ConversationDetail {
      const conv = db.select().from(conversations).where(eq(conversations.id, id)).get();
      if (!conv) throw new AppError('ERR_NOT_FOUND', 'Conversation not found.');
      const contact = db.select().from(contacts).where(eq(contacts.id, conv.contactId)).get();
      if (!contact) throw new AppError('ERR_INTERNAL', 'conversation without contact');
      const identities = db.select().from(contactIdentities).where(eq(contactIdentities.contactId, contact.id)).orderBy(asc(contactIdentities.createdAt)).all();
      // Through the identities: conversations and messages are indexed by identity and conversation, not by contact.
      const convIds = db
        .select({ id: conversations.id })
        .from(conversations)
        .where(inArray(conversations.identityId, identities.map((i) => i.id)))
        .all()
        .map((c) => c.id);
      const rows = db.select().from(messages).where(inArray(messages.conversationId, convIds)).orderBy(desc(messages.id)).limit(HISTORY_LIMIT + 1).all() as MessageRow[];
      const truncated = rows.length > HISTORY_LIMIT;
      const history = rows.slice(0, HISTORY_LIMIT).reverse();
      const sent = deliveries.byMessage(history.flatMap((m) => (m.direction === 'out' ? [m.id] : [])));
      const notes = db
        .select({ id: conversationNotes.id, conversationId: conversationNotes.conversationId, text: conversationNotes.text, officerId: conversationNotes.officerId, createdAt: conversationNotes.createdAt })
        .from(conversationNotes)
        .where(inArray(conversationNotes.conversationId, convIds))
        .orderBy(asc(conversationNotes.id))
        .all();
      const names = officerNames([
        ...history.flatMap((m) => (m.senderKind === 'officer' && m.senderId ? [m.senderId] : [])),
        ...notes.map((n) => n.officerId),
        ...(conv.assignedOfficerId ? [conv.assignedOfficerId] : []),
      ]);
      const at = now().getTime();
      const apps = db
        .select({ id: applications.id, reference: applications.reference, status: applications.status, createdAt: applications.createdAt, committeeDueAt: applications.committeeDueAt })
        .from(applications)
        .where(eq(applications.contactId, contact.id))
        .orderBy(desc(applications.createdAt))
        .all();
      const assigned = conv.assignedOfficerId;
      return {
        conversation: {
          id: conv.id,
          status: conv.status,
          channel: conv.channel,
          locale: conv.locale,
          ...(assigned ? { assignedOfficer: { id: assigned, displayName: names.get(assigned) ?? assigned } } : {}),
          ...(conv.waitingSince ? { waitingSince: conv.waitingSince } : {}),
          createdAt: conv.createdAt,
          ...(conv.closedAt ? { closedAt: conv.closedAt } : {}),
          // Its sender only claimed the address: a contact of its own, shown to officers as not verified.
          ...(identities.find((i) => i.id === conv.identityId)?.unverified ? { unverifiedSender: true as const } : {}),
        },
        contact: {
          id: contact.id,
          displayName: contact.displayName ?? identities.find((i) => i.displayName)?.displayName ?? null,
          ...(contact.phone ? { phone: contact.phone } : {}),
          ...(contact.nationalId ? { nationalId: contact.nationalId } : {}),
          locale: contact.locale,
          identities: identities.map((i) => ({
            id: i.id,
            channel: i.channel,
            address: maskIdentifier(i.address),
            ...(i.displayName ? { displayName: i.displayName } : {}),
            ...(i.lastInboundAt ? { lastInboundAt: i.lastInboundAt } : {}),
            ...(i.unverified ? { unverified: true as const } : {}),
          })),
          preferredChannel: contact.preferredChannel,
        },
        history: history.map((m) => ({ ...toInboxMessage(m, m.senderId ? names.get(m.senderId) : undefined), deliveries: sent.get(m.id) ?? [] })),
        historyTruncated: truncated,
        notes: notes.map((n) => ({ id: n.id, conversationId: n.conversationId, text: n.text, officer: { id: n.officerId, displayName: names.get(n.officerId) ?? n.officerId }, createdAt: n.createdAt })),
        applications: apps.map((a) => ({ ...a, overdue: !DECIDED.has(a.status) && Date.parse(a.committeeDueAt) < at })),
        interactions: interactionsOf(db, [contact.id]),
      };
    },
  };
}

export type InboxQueries = ReturnType<typeof createInboxQueries>;
