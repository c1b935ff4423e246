// Erasures waiting for a second admin (four eyes), personal-data incidents, and when each scheduled purge last ran.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { now } from './common.js';
import { contacts } from './conversations.js';
import { officers } from './officers.js';

export const ERASURE_STATUSES = ['pending', 'done'] as const;

/** A request to erase a beneficiary's personal data: asked by one admin, confirmed by another (ERASURE_SECOND_APPROVAL). */
export const erasureRequests = sqliteTable(
  'erasure_requests',
  {
    id: text('id').primaryKey(),
    contactId: text('contact_id').notNull().references(() => contacts.id),
    /** Why, in the staff's words (the PDPL request, the retention rule); never the personal data itself. */
    reason: text('reason').notNull(),
    requestedBy: text('requested_by').notNull().references(() => officers.id),
    status: text('status', { enum: ERASURE_STATUSES }).notNull().default('pending'),
    confirmedBy: text('confirmed_by').references(() => officers.id),
    /** What was removed, as counts per table (never the values). */
    counts: text('counts', { mode: 'json' }),
    createdAt: text('created_at').notNull().default(now),
    doneAt: text('done_at'),
  },
  (t) => [index('erasure_requests_contact').on(t.contactId)],
);

/** A personal-data incident (breach) the charity recorded; SDAIA must be told within 72 hours of its discovery. */
export const incidents = sqliteTable('incidents', {
  id: text('id').primaryKey(),
  what: text('what').notNull(),
  discoveredAt: text('discovered_at').notNull(),
  /** Contact ids (JSON array): who is affected, never their data. */
  affectedContactIds: text('affected_contact_ids', { mode: 'json' }).$type<string[]>().notNull(),
  actions: text('actions').notNull(),
  recordedBy: text('recorded_by').notNull().references(() => officers.id),
  notifiedAt: text('notified_at'),
  notifiedCount: integer('notified_count').notNull().default(0),
  createdAt: text('created_at').notNull().default(now),
});

/** When each scheduled job last finished (the daily retention purge catches up at start-up after a missed day). */
export const jobRuns = sqliteTable('job_runs', {
  name: text('name').primaryKey(),
  lastRunAt: text('last_run_at').notNull(),
});
