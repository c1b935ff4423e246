// The eligibility checklist of each application: one row per item an officer has acted on (documents, interview,
// field visit); an item without a row is pending. The items themselves come from the charity profile.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { CHECKLIST_STATES } from '../../core/checklist.js';
import { applications } from './applications.js';

export { CHECKLIST_STATES, type ChecklistState } from '../../core/checklist.js';

export const applicationChecklist = sqliteTable(
  'application_checklist',
  {
    applicationId: text('application_id').notNull().references(() => applications.id),
    /** A profile `required_documents` id, or `interview` / `field_visit`. */
    itemId: text('item_id').notNull(),
    state: text('state', { enum: CHECKLIST_STATES }).notNull().default('pending'),
    /** Why it was waived (required then), or what the officer noted. */
    note: text('note'),
    /** An officer id, or 'beneficiary' when their upload marked it received. */
    setBy: text('set_by'),
    setAt: text('set_at'),
    /** Asked of the beneficiary when the case was marked «ناقص» and not yet received. */
    requested: integer('requested', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.itemId] })],
);
