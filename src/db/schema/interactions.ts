// Contacts outside the channels: phone calls, visits and letters staff record in a beneficiary's history.
import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { now } from './common.js';
import { contacts } from './conversations.js';
import { officers } from './officers.js';

export const INTERACTION_KINDS = ['phone_call', 'visit', 'letter_in', 'letter_out'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export const interactions = sqliteTable(
  'interactions',
  {
    id: text('id').primaryKey(),
    contactId: text('contact_id').notNull().references(() => contacts.id),
    kind: text('kind', { enum: INTERACTION_KINDS }).notNull(),
    summary: text('summary').notNull(),
    /** When it happened (a call taken earlier may be recorded later). */
    occurredAt: text('occurred_at').notNull(),
    recordedBy: text('recorded_by').notNull().references(() => officers.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('interactions_contact').on(t.contactId, t.occurredAt)],
);
