// Officers, sessions, the audit log and the inbox library (notes, canned replies, knowledge).
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { now, timestamps } from './common.js';
import { KNOWLEDGE_CATEGORIES } from '../../core/knowledge.js';
import { OFFICER_ROLES } from '../../core/roles.js';
import { conversations } from './conversations.js';

// ---- Officers, sessions and the audit log (the relations-officer inbox) ----

export { OFFICER_ROLES, type OfficerRole } from '../../core/roles.js';
/** How Arabic addresses and describes the officer: «موظفة علاقات»، «فتحت…» for 'f'. */
export const GRAMMATICAL_GENDERS = ['m', 'f'] as const;
export type GrammaticalGender = (typeof GRAMMATICAL_GENDERS)[number];

export const officers = sqliteTable('officers', {
  id: text('id').primaryKey(),
  /** Stored lower-cased; unique. */
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: OFFICER_ROLES }).notNull(),
  /** Set by admins; role labels and audit sentences take the feminine forms for 'f'. */
  grammaticalGender: text('grammatical_gender', { enum: GRAMMATICAL_GENDERS }).notNull().default('m'),
  /** The branch (profile `branches` id) a representative works for; null for everyone else. */
  branchId: text('branch_id'),
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

/** Failed sign-ins per key (`email-ip:<address>|<ip>`, `email:<address>`, `ip:<ip>`, `password:<officer id>`), for throttling without locking people out. */
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

/** The policy's officer tools: the bylaws, the social research services guide, the support policy guide, the forms. */
export { KNOWLEDGE_CATEGORIES } from '../../core/knowledge.js';
export const knowledgeArticles = sqliteTable('knowledge_articles', {
  id: text('id').primaryKey(),
  category: text('category', { enum: KNOWLEDGE_CATEGORIES }).notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  ...timestamps,
});

/** Interviews and field visits (the eligibility checks besides documents). */
