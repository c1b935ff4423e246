// Applications, their history, status requests, volunteers, feedback, attachments, visits and decisions.
import { index, integer, sqliteTable, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { now, timestamps } from './common.js';
import { contacts, conversations, messages } from './conversations.js';
import { officers } from './officers.js';

export const APPLICATION_STATUSES = [
  'new',
  'incomplete',
  'under_study',
  'committee',
  'approved',
  'rejected',
  'service_delivered',
  'closed',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
/** Statuses after which a new application for the same national ID is allowed. */
export const FINAL_APPLICATION_STATUSES: readonly ApplicationStatus[] = ['rejected', 'service_delivered', 'closed'];

/** How an application came in: the bot's intake on a channel, or registered by staff for a caller, walk-in, letter or a branch representative's case. */
export const APPLICATION_SOURCES = ['channel', 'phone', 'walk_in', 'letter', 'representative'] as const;
export type ApplicationSource = (typeof APPLICATION_SOURCES)[number];
/** How the applicant's declaration («التوقيع») was taken: the intake's button, or by staff. */
export const DECLARATION_METHODS = ['chat_button', 'signed_form', 'verbal_recorded', 'in_person'] as const;
export type DeclarationMethod = (typeof DECLARATION_METHODS)[number];

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
    /** The declaration's words as the applicant was given them (staff registrations; the intake's are in its conversation). */
    declarationText: text('declaration_text'),
    declarationMethod: text('declaration_method', { enum: DECLARATION_METHODS }).notNull().default('chat_button'),
    /** The officer or representative who took the declaration (null: the beneficiary pressed accept themselves). */
    declarationTakenBy: text('declaration_taken_by'),
    /** The scan of the signed paper form, when one was attached (an attachments row of this application). */
    declarationScanId: text('declaration_scan_id'),
    source: text('source', { enum: APPLICATION_SOURCES }).notNull().default('channel'),
    /** The charity branch (profile `branches` id) the case belongs to; null: the head office. */
    branchId: text('branch_id'),
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
  (t) => [index('applications_national_id').on(t.nationalId), index('applications_contact').on(t.contactId), index('applications_branch').on(t.branchId), index('applications_mobile').on(t.mobile)],
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
  /** After a service was delivered: the application rated and its service type (the intake's need_type). */
  applicationId: text('application_id'),
  serviceType: text('service_type'),
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
    /** The checklist item (a profile document id) this file satisfies, when the bot asked for it or an officer tagged it. */
    checklistItemId: text('checklist_item_id'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('attachments_contact').on(t.contactId), index('attachments_application').on(t.applicationId)],
);

/** Per-year counters for the sequential references of volunteers and feedback (VL-1448-00042); applications use random codes. */
export const counters = sqliteTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull().default(0),
});

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
    /** Why it was scheduled outside working hours or on the weekend (the officer confirmed it). */
    confirmReason: text('confirm_reason'),
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
