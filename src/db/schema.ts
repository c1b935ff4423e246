// The SQLite schema (drizzle); drizzle-kit generates migrations/ from this file.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
const timestamps = {
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
};

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
  /** The channel an officer (or the beneficiary) chose for notifications; null: the one they used last. */
  preferredChannel: text('preferred_channel'),
  ...timestamps,
  },
  (t) => [index('contacts_verified_phone').on(t.phone).where(sql`phone_verified = 1`)],
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
  (t) => [uniqueIndex('contact_identities_channel_address').on(t.channel, t.address, t.unverified), index('contact_identities_contact').on(t.contactId)],
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

export const APPLICATION_STATUSES = [
  'new',
  'incomplete',
  'under_study',
  'interview',
  'field_visit',
  'committee',
  'approved',
  'rejected',
  'service_delivered',
  'closed',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
/** Statuses after which a new application for the same national ID is allowed. */
export const FINAL_APPLICATION_STATUSES: readonly ApplicationStatus[] = ['rejected', 'service_delivered', 'closed'];

export const applications = sqliteTable(
  'applications',
  {
    id: text('id').primaryKey(),
    reference: text('reference').notNull().unique(),
    contactId: text('contact_id').notNull().references(() => contacts.id),
    conversationId: text('conversation_id').references(() => conversations.id),
    applicantName: text('applicant_name').notNull(),
    nationalId: text('national_id').notNull(),
    mobile: text('mobile').notNull(),
    answers: text('answers', { mode: 'json' }).notNull(),
    declarationVersion: text('declaration_version').notNull(),
    declarationAcceptedAt: text('declaration_accepted_at').notNull(),
    status: text('status', { enum: APPLICATION_STATUSES }).notNull().default('new'),
    committeeDueAt: text('committee_due_at').notNull(),
    /** The administrative check: documents verified by an officer. */
    documentsCheckedAt: text('documents_checked_at'),
    documentsCheckedBy: text('documents_checked_by'),
    /** The social researcher the case was referred to, if any. */
    researcherId: text('researcher_id'),
    /**
     * Another beneficiary's open application with the same national ID when this one was submitted (the intake tells
     * nobody that one exists, so the researcher sorts it out): a possible duplicate, or someone using another's ID.
     */
    possibleDuplicateOf: text('possible_duplicate_of').references((): AnySQLiteColumn => applications.id),
    ...timestamps,
  },
  (t) => [index('applications_national_id').on(t.nationalId), index('applications_contact').on(t.contactId)],
);

export const applicationStatusHistory = sqliteTable(
  'application_status_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: text('application_id').notNull().references(() => applications.id),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    /** Who changed it: 'beneficiary', 'system' or an officer id. */
    changedBy: text('changed_by').notNull(),
    note: text('note'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('application_status_history_app').on(t.applicationId, t.id)],
);

/** A status check by someone other than the applicant: the status goes to the registered mobile instead. */
export const statusRequests = sqliteTable(
  'status_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: text('application_id').notNull().references(() => applications.id),
    requesterContactId: text('requester_contact_id').notNull().references(() => contacts.id),
    channel: text('channel').notNull(),
    /** Whether the applicant was sent a notice for this request (at most one per application per 24 hours). */
    handled: integer('handled', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('status_requests_application').on(t.applicationId, t.createdAt)],
);

/**
 * Status lookups made, per key (`identity:<id>`, `ip:<address>`), for the hourly limits; rows older than the
 * window are deleted as new ones come. Only lookups that ran are kept, so a flood over the limit writes nothing.
 */
export const statusLookups = sqliteTable(
  'status_lookups',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('status_lookups_key').on(t.key, t.createdAt), index('status_lookups_created').on(t.createdAt)],
);

export const volunteers = sqliteTable('volunteers', {
  id: text('id').primaryKey(),
  reference: text('reference').notNull().unique(),
  contactId: text('contact_id').notNull().references(() => contacts.id),
  name: text('name').notNull(),
  mobile: text('mobile').notNull(),
  city: text('city').notNull(),
  interests: text('interests').notNull(),
  availability: text('availability').notNull(),
  createdAt: text('created_at').notNull().default(now),
});

export const feedback = sqliteTable('feedback', {
  id: text('id').primaryKey(),
  reference: text('reference').notNull().unique(),
  contactId: text('contact_id').notNull().references(() => contacts.id),
  conversationId: text('conversation_id').references(() => conversations.id),
  kind: text('kind', { enum: ['complaint', 'suggestion'] }).notNull(),
  text: text('text').notNull(),
  status: text('status', { enum: ['open', 'answered', 'closed'] }).notNull().default('open'),
  createdAt: text('created_at').notNull().default(now),
});

export const satisfactionRatings = sqliteTable('satisfaction_ratings', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  conversationId: text('conversation_id').notNull().references(() => conversations.id),
  contactId: text('contact_id').notNull().references(() => contacts.id),
  score: integer('score').notNull(),
  comment: text('comment'),
  createdAt: text('created_at').notNull().default(now),
});

/** Files uploaded by beneficiaries (ID copy, income proof…): stored under DATA_DIR/uploads, type checked by content. */
export const attachments = sqliteTable(
  'attachments',
  {
    id: text('id').primaryKey(),
    contactId: text('contact_id').notNull().references(() => contacts.id),
    conversationId: text('conversation_id').references(() => conversations.id),
    messageId: integer('message_id').references(() => messages.id),
    applicationId: text('application_id').references(() => applications.id),
    /** The name the visitor's device gave the file (shown to officers, never used as a path). */
    originalName: text('original_name'),
    /** Detected from the file's first bytes, not from what the browser claimed. */
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    /** Path relative to DATA_DIR/uploads. */
    storagePath: text('storage_path').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('attachments_contact').on(t.contactId), index('attachments_application').on(t.applicationId)],
);

/** Per-year counters for the sequential references of volunteers and feedback (VL-1448-00042); applications use random codes. */
export const counters = sqliteTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull().default(0),
});

// ---- Officers, sessions and the audit log (the relations-officer inbox) ----

export const OFFICER_ROLES = ['officer', 'researcher', 'committee', 'admin'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];

export const officers = sqliteTable('officers', {
  id: text('id').primaryKey(),
  /** Stored lower-cased; unique. */
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: OFFICER_ROLES }).notNull(),
  /** scrypt, self-describing: `scrypt$N$r$p$salt$hash` (base64url). */
  passwordHash: text('password_hash').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  /** Set for a one-time password: the officer must choose a new one at first sign-in. */
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
  /** The TOTP secret, AES-256-GCM encrypted (`v1.iv.tag.data`, base64url); pending until `totpEnabled`. */
  totpSecret: text('totp_secret'),
  totpEnabled: integer('totp_enabled', { mode: 'boolean' }).notNull().default(false), // confirmed: sign-in needs a code
  totpLastStep: integer('totp_last_step'), // the last TOTP time step accepted: no code is accepted twice
  totpRecoveryCodes: text('totp_recovery_codes'), // JSON array of SHA-256 hashes (hex) of unused recovery codes
  ...timestamps,
});

export const officerSessions = sqliteTable(
  'officer_sessions',
  {
    /** sha256 of the cookie value; the cookie value itself is never stored. */
    idHash: text('id_hash').primaryKey(),
    officerId: text('officer_id').notNull().references(() => officers.id),
    csrfToken: text('csrf_token').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: text('created_at').notNull().default(now),
    lastSeenAt: text('last_seen_at').notNull().default(now),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('officer_sessions_officer').on(t.officerId)],
);

/** Failed sign-ins per key (`email:<address>` or `ip:<address>`), for throttling without locking people out. */
export const signInThrottle = sqliteTable('sign_in_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: text('last_failure_at').notNull(),
});

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** null for the system or an anonymous attempt. */
    officerId: text('officer_id'),
    /** What happened, as `<target>.<verb>`: conversation view, application status change, officer creation, failed sign-in… */
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    details: text('details', { mode: 'json' }),
    ip: text('ip'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('audit_log_target').on(t.targetType, t.targetId), index('audit_log_officer').on(t.officerId, t.id)],
);

/** Officers' private notes on a conversation (never sent to the beneficiary). */
export const conversationNotes = sqliteTable(
  'conversation_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id').notNull().references(() => conversations.id),
    officerId: text('officer_id').notNull().references(() => officers.id),
    text: text('text').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('conversation_notes_conversation').on(t.conversationId, t.id)],
);

/** Canned replies the admin maintains; officers insert them into replies. */
export const cannedReplies = sqliteTable('canned_replies', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  textAr: text('text_ar').notNull(),
  textEn: text('text_en').notNull(),
  ...timestamps,
});

/** The policy's officer tools: the bylaws, the social research services guide, the support policy guide. */
export const KNOWLEDGE_CATEGORIES = ['bylaws', 'research_guide', 'support_policy', 'other'] as const;
export const knowledgeArticles = sqliteTable('knowledge_articles', {
  id: text('id').primaryKey(),
  category: text('category', { enum: KNOWLEDGE_CATEGORIES }).notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  ...timestamps,
});

/** Interviews and field visits (the eligibility checks besides documents). */
export const applicationVisits = sqliteTable(
  'application_visits',
  {
    id: text('id').primaryKey(),
    applicationId: text('application_id').notNull().references(() => applications.id),
    kind: text('kind', { enum: ['interview', 'field_visit'] }).notNull(),
    scheduledAt: text('scheduled_at').notNull(),
    place: text('place').notNull(),
    researcherId: text('researcher_id').references(() => officers.id),
    status: text('status', { enum: ['scheduled', 'done', 'cancelled'] }).notNull().default('scheduled'),
    notes: text('notes'),
    createdBy: text('created_by').notNull(),
    ...timestamps,
  },
  (t) => [index('application_visits_application').on(t.applicationId)],
);

/** The research committee's decisions, with reasons. */
export const applicationDecisions = sqliteTable(
  'application_decisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: text('application_id').notNull().references(() => applications.id),
    decision: text('decision', { enum: ['approved', 'rejected'] }).notNull(),
    reasons: text('reasons').notNull(),
    decidedBy: text('decided_by').notNull().references(() => officers.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('application_decisions_application').on(t.applicationId)],
);
