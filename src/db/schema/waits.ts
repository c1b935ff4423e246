// Every wait for an officer: from the moment a beneficiary asked for one to the first officer reply after it. Kept
// per request (conversations.waiting_since is overwritten by the next one), so reports count each wait.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { conversations } from './conversations.js';

export const officerWaits = sqliteTable(
  'officer_waits',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id').notNull().references(() => conversations.id),
    requestedAt: text('requested_at').notNull(),
    /** The first officer message after the request; null while (or if never) answered. */
    answeredAt: text('answered_at'),
    answeredBy: text('answered_by'),
    /** The beneficiary went back to the bot, or the chat was closed, before any officer wrote: an unanswered wait. */
    abandonedAt: text('abandoned_at'),
  },
  (t) => [index('officer_waits_requested').on(t.requestedAt), index('officer_waits_open').on(t.conversationId, t.answeredAt, t.abandonedAt)],
);
