// The beneficiary's consent to the privacy notice, and the requests they make about their data (PDPL).
import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { now } from './common.js';
import { contactIdentities, contacts } from './conversations.js';

/** One answer to the privacy notice: the version shown, the decision, the channel and the time. */
export const consents = sqliteTable(
  'consents',
  {
    contactId: text('contact_id').notNull().references(() => contacts.id),
    /** The profile's `privacy_notice_version` when the notice was shown. */
    noticeVersion: text('notice_version').notNull(),
    decision: text('decision', { enum: ['accept', 'decline'] }).notNull(),
    channel: text('channel').notNull(),
    at: text('at').notNull().default(now),
  },
  (t) => [index('consents_contact').on(t.contactId, t.noticeVersion, t.at)],
);

import { PRIVACY_REQUEST_KINDS } from '../../core/privacy.js';

export { PRIVACY_REQUEST_KINDS, type PrivacyRequestKind } from '../../core/privacy.js';

/** A beneficiary's request to see, erase or correct their data; the controller answers within 30 days. */
export const privacyRequests = sqliteTable(
  'privacy_requests',
  {
    id: text('id').primaryKey(),
    /** PR-<Hijri year>-<code>, told to the beneficiary. */
    reference: text('reference').notNull().unique(),
    contactId: text('contact_id').notNull().references(() => contacts.id),
    /** The channel identity that asked: what the request is tied to (and where the answer may go). */
    identityId: text('identity_id').notNull().references(() => contactIdentities.id),
    kind: text('kind', { enum: PRIVACY_REQUEST_KINDS }).notNull(),
    status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
    /** What the beneficiary said about it (never filled from free text holding other people's data). */
    details: text('details'),
    createdAt: text('created_at').notNull().default(now),
    dueAt: text('due_at').notNull(),
    closedAt: text('closed_at'),
    closedBy: text('closed_by'),
    /** What was done, as the officer wrote it (also sent to the beneficiary). */
    outcome: text('outcome'),
  },
  (t) => [index('privacy_requests_status_due').on(t.status, t.dueAt), index('privacy_requests_contact').on(t.contactId)],
);
