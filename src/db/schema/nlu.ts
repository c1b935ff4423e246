// What the bot could not place (kept to learn from), examples officers added since, and the daily recognition tally.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { now } from './common.js';

export const nluMisses = sqliteTable(
  'nlu_misses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id').notNull(),
    channel: text('channel').notNull(),
    locale: text('locale', { enum: ['ar', 'en'] }).notNull(),
    /** Where the conversation was: "flow.step". */
    flow: text('flow').notNull(),
    step: text('step').notNull(),
    /**
     * What was typed, only where the step does not collect personal data (menus, choices); null where it does
     * (a name, an ID, a mobile), so that an answer never outlives its application here. `personal` marks those.
     */
    text: text('text'),
    /** The classifier's form of `text` (folded letters, no punctuation): what the misses page groups by. */
    normalized: text('normalized'),
    personal: integer('personal', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('nlu_misses_normalized').on(t.normalized, t.createdAt), index('nlu_misses_created').on(t.createdAt)],
);

/** Examples admins added from the misses page; the classifier learns them at start-up and the moment they are added. */
export const nluExamples = sqliteTable(
  'nlu_examples',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    intent: text('intent').notNull(),
    text: text('text').notNull(),
    normalized: text('normalized').notNull(),
    locale: text('locale', { enum: ['ar', 'en'] }).notNull(),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('nlu_examples_intent_text').on(t.intent, t.normalized)],
);

/** Free-text messages the bot read per Riyadh day, and how many it placed: the reports' recognition rate. */
export const nluDays = sqliteTable('nlu_days', {
  day: text('day').primaryKey(),
  messages: integer('messages').notNull().default(0),
  recognised: integer('recognised').notNull().default(0),
});
