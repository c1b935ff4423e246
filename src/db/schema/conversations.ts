// Contacts, their channel identities, conversations, messages, the outbox and web chat sessions.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { now, timestamps } from './common.js';

export const contacts = sqliteTable(
  'contacts',
  {
  id: text('id').primaryKey(),
  displayName: text('display_name'),
  locale: text('locale', { enum: ['ar', 'en'] }).notNull().default('ar'),
  /** E.164, once known (from the channel or given in a flow). */
  phone: text('phone'),
  /**
   * True only when a channel proved the number (WhatsApp or SMS sender, Telegram's own shared contact).
   * Identities are joined into one beneficiary on a verified number only, never on a typed claim.
   */
  phoneVerified: integer('phone_verified', { mode: 'boolean' }).notNull().default(false),
  nationalId: text('national_id'),
  /**
   * The officer who registered this number from the person themselves (a caller, a walk-in). Such a number joins
   * the first channel identity that proves it, as a verified one does; a number typed in a chat never does.
   */
  phoneRegisteredBy: text('phone_registered_by'),
  /** The channel an officer (or the beneficiary) chose for notifications; null: the one they used last. */
  preferredChannel: text('preferred_channel'),
  ...timestamps,
  },
  (t) => [index('contacts_verified_phone').on(t.phone).where(sql`phone_verified = 1`), index('contacts_registered_phone').on(t.phone).where(sql`phone_registered_by is not null`), index('contacts_phone').on(t.phone), index('contacts_national_id').on(t.nationalId)],
);

export const contactIdentities = sqliteTable(
  'contact_identities',
  {
    id: text('id').primaryKey(),
    contactId: text('contact_id').notNull().references(() => contacts.id),
    channel: text('channel').notNull(),
    address: text('address').notNull(),
    displayName: text('display_name'),
    lastInboundAt: text('last_inbound_at'),
    /**
     * True for an address the sender only claimed (an email that no DMARC or aligned DKIM pass vouched for). Such an
     * identity has a contact of its own: it never joins, and is never joined by, the verified identity of the same
     * address, which may be someone else.
     */
    unverified: integer('unverified', { mode: 'boolean' }).notNull().default(false),
    ...timestamps,
  },
  (t) => [uniqueIndex('contact_identities_channel_address').on(t.channel, t.address, t.unverified), index('contact_identities_contact').on(t.contactId), index('contact_identities_address').on(t.address)],
);

export const CONVERSATION_STATUSES = ['bot', 'waiting', 'officer', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    contactId: text('contact_id').notNull().references(() => contacts.id),
    identityId: text('identity_id').notNull().references(() => contactIdentities.id),
    channel: text('channel').notNull(),
    status: text('status', { enum: CONVERSATION_STATUSES }).notNull().default('bot'),
    /** The flow engine's state as JSON (null before the first step). */
    flowState: text('flow_state', { mode: 'json' }),
    locale: text('locale', { enum: ['ar', 'en'] }).notNull().default('ar'),
    assignedOfficerId: text('assigned_officer_id'),
    waitingSince: text('waiting_since'),
    lastMessageAt: text('last_message_at'),
    closedAt: text('closed_at'),
    ...timestamps,
  },
  (t) => [index('conversations_identity_created').on(t.identityId, t.createdAt), index('conversations_status').on(t.status)],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id').notNull().references(() => conversations.id),
    contactId: text('contact_id').notNull().references(() => contacts.id),
    channel: text('channel').notNull(),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    senderKind: text('sender_kind', { enum: ['beneficiary', 'bot', 'officer', 'system'] }).notNull(),
    senderId: text('sender_id'),
    text: text('text').notNull().default(''),
    /** Structured content: choices offered, the choice picked, flow/step, i18n key. */
    payload: text('payload', { mode: 'json' }),
    /** Provider id; unique per channel so a replayed webhook is dropped. */
    externalId: text('external_id'),
    deliveryStatus: text('delivery_status', { enum: ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] }).notNull(),
    raw: text('raw', { mode: 'json' }),
    createdAt: text('created_at').notNull().default(now),
  },
  // Partial: only inbound provider ids are deduplicated, so writing a bot reply touches one index fewer.
  (t) => [uniqueIndex('messages_channel_external').on(t.channel, t.externalId).where(sql`external_id is not null`), index('messages_conversation').on(t.conversationId, t.id)],
);

export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: integer('message_id').notNull().references(() => messages.id),
    /** Which part of the message this row sends (long texts are split). */
    part: integer('part').notNull().default(0),
    channel: text('channel').notNull(),
    address: text('address').notNull(),
    body: text('body', { mode: 'json' }).notNull(),
    /** rerouted: this channel could not deliver for good, and the message was queued on the next channel. */
    status: text('status', { enum: ['pending', 'sent', 'failed', 'rerouted'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull().default(now),
    lastError: text('last_error'),
    externalId: text('external_id'),
    /**
     * Where the message goes if this channel refuses it for good (WhatsApp window closed → SMS): the remaining
     * targets in order, each with its parts already rendered. Kept on the message's first part only.
     */
    fallbacks: text('fallbacks', { mode: 'json' }),
    /** Set (committed) just before a send whose provider echoes our reference; cleared when the outcome is recorded. */
    claimedAt: text('claimed_at'),
    ...timestamps,
  },
  // Partial: sent rows leave the worker's index instead of piling up in it.
  (t) => [
    // Per channel, so a channel held back by its rate (a WhatsApp campaign) never hides another's due rows (SMS).
    index('outbox_channel_due').on(t.channel, t.nextAttemptAt, t.id).where(sql`status = 'pending'`),
    // A new message to someone whose earlier message is backing off must wait behind it (order per recipient).
    index('outbox_recipient_pending').on(t.channel, t.address, t.nextAttemptAt).where(sql`status = 'pending'`),
    index('outbox_message').on(t.messageId),
    // Delivery reports (WhatsApp statuses, Twilio callbacks) find the row by the provider's id.
    index('outbox_external').on(t.channel, t.externalId).where(sql`external_id is not null`),
  ],
);

export const webchatSessions = sqliteTable('webchat_sessions', {
  /** sha256 of the bearer token; the token itself is never stored. */
  tokenHash: text('token_hash').primaryKey(),
  identityId: text('identity_id').notNull().references(() => contactIdentities.id),
  createdAt: text('created_at').notNull().default(now),
  lastSeenAt: text('last_seen_at').notNull().default(now),
});

