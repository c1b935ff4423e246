// The eligibility checklist: one item per required document of the profile, the interview and the field visit.
// Read and written inside the service's transactions; an item with no row is pending.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { AppError } from '../core/errors.ts';
import type { Locale } from '../core/messages.ts';
import type { Db } from '../db/client.ts';
import { applicationChecklist, applicationVisits, officers, type ChecklistState } from '../db/schema.ts';
import type { Words } from './deps.ts';

export type ChecklistKind = 'document' | 'interview' | 'field_visit';
type Labels = { ar: string; en: string };

/** What the checklist reads from the charity profile. */
export interface ChecklistProfile {
  required_documents: readonly ({ id: string } & Labels)[];
  eligibility: { interview: 'required' | 'optional'; field_visit: 'required' | 'when_needed' };
}

export interface ChecklistDef {
  id: string;
  kind: ChecklistKind;
  labels: Labels;
  required: boolean;
}

export const COMPLETE_STATES: readonly ChecklistState[] = ['verified', 'done', 'waived'];
const ALLOWED: Record<ChecklistKind, readonly ChecklistState[]> = { document: ['received', 'verified', 'waived'], interview: ['done', 'waived'], field_visit: ['done', 'waived'] };

export function checklistDefs(profile: ChecklistProfile, texts: Words): ChecklistDef[] {
  const words = (key: string): Labels => ({ ar: texts.t('ar', key), en: texts.t('en', key) });
  return [
    ...profile.required_documents.map((d) => ({ id: d.id, kind: 'document' as const, labels: { ar: d.ar, en: d.en }, required: true })),
    { id: 'interview', kind: 'interview', labels: words('checklist.interview'), required: profile.eligibility.interview === 'required' },
    { id: 'field_visit', kind: 'field_visit', labels: words('checklist.field_visit'), required: profile.eligibility.field_visit === 'required' },
  ];
}

export interface ChecklistItem {
  id: string;
  kind: ChecklistKind;
  label: string;
  labels: Labels;
  required: boolean;
  state: ChecklistState;
  requested: boolean;
  note?: string;
  by?: string;
  at?: string;
}

/** The checklist of one application, in profile order, `label` in `locale`, `by` the officer's name. */
export function readChecklist(db: Db, applicationId: string, defs: readonly ChecklistDef[], locale: Locale): ChecklistItem[] {
  const rows = db.select().from(applicationChecklist).where(eq(applicationChecklist.applicationId, applicationId)).orderBy(asc(applicationChecklist.itemId)).all();
  const ids = [...new Set(rows.map((r) => r.setBy).filter((x): x is string => x !== null))];
  const names = new Map(ids.length > 0 ? db.select({ id: officers.id, name: officers.displayName }).from(officers).where(inArray(officers.id, ids)).all().map((o) => [o.id, o.name]) : []);
  const byId = new Map(rows.map((r) => [r.itemId, r]));
  return defs.map((d) => {
    const r = byId.get(d.id);
    return {
      id: d.id,
      kind: d.kind,
      label: d.labels[locale],
      labels: d.labels,
      required: d.required,
      state: r?.state ?? 'pending',
      requested: r?.requested ?? false,
      ...(r?.note ? { note: r.note } : {}),
      ...(r?.setBy ? { by: names.get(r.setBy) ?? r.setBy } : {}),
      ...(r?.setAt ? { at: r.setAt } : {}),
    };
  });
}

/** Required items not yet verified, done or waived with a reason. */
export function missingItems(items: readonly ChecklistItem[]): ChecklistItem[] {
  return items.filter((i) => i.required && !COMPLETE_STATES.includes(i.state));
}

/** The committee gate: 409 ERR_PRECONDITION naming each missing item in `locale`, with `missing: [id…]`. */
export function ensureComplete(items: readonly ChecklistItem[], texts: Words, locale: Locale): void {
  const missing = missingItems(items);
  if (missing.length === 0) return;
  const list = missing.map((i) => `«${i.labels[locale]}»`).join(locale === 'ar' ? '، ' : ', ');
  throw new AppError('ERR_PRECONDITION', texts.t(locale, 'checklist.missing', { items: list }), { fields: { missing: missing.map((i) => i.id) } });
}

function upsert(db: Db, applicationId: string, itemId: string, set: Partial<typeof applicationChecklist.$inferInsert>): void {
  db.insert(applicationChecklist)
    .values({ applicationId, itemId, ...set })
    .onConflictDoUpdate({ target: [applicationChecklist.applicationId, applicationChecklist.itemId], set })
    .run();
}

/** An officer sets an item (the rules per kind; waiving needs a reason). Returns the definition it set. */
export function setItem(
  db: Db,
  input: { applicationId: string; itemId: string; state: ChecklistState; note?: string | undefined; by: string; now: string },
  defs: readonly ChecklistDef[],
  texts: Words,
  locale: Locale,
): ChecklistDef {
  const def = defs.find((d) => d.id === input.itemId);
  if (!def) throw new AppError('ERR_NOT_FOUND', 'Checklist item not found.');
  if (!ALLOWED[def.kind].includes(input.state)) throw new AppError('ERR_VALIDATION', `state: for this item one of ${ALLOWED[def.kind].join(', ')}`);
  const note = input.note?.trim() ?? '';
  if (input.state === 'waived' && note === '') throw new AppError('ERR_VALIDATION', texts.t(locale, 'checklist.waive_reason'));
  if (input.state === 'done') {
    const kind = def.kind === 'interview' ? 'interview' : 'field_visit';
    const done = db.select({ id: applicationVisits.id }).from(applicationVisits).where(and(eq(applicationVisits.applicationId, input.applicationId), eq(applicationVisits.kind, kind), eq(applicationVisits.status, 'done'))).get();
    if (!done) throw new AppError('ERR_PRECONDITION', texts.t(locale, 'checklist.visit_not_done', { item: def.labels[locale] }));
  }
  upsert(db, input.applicationId, def.id, { state: input.state, note: note === '' ? null : note, setBy: input.by, setAt: input.now, ...(input.state === 'pending' ? {} : { requested: false }) });
  return def;
}

/** A visit recorded done ticks its item (unless already waived or done). */
export function tickVisit(db: Db, applicationId: string, kind: 'interview' | 'field_visit', by: string, now: string): void {
  const row = db.select().from(applicationChecklist).where(and(eq(applicationChecklist.applicationId, applicationId), eq(applicationChecklist.itemId, kind))).get();
  if (row && COMPLETE_STATES.includes(row.state)) return;
  upsert(db, applicationId, kind, { state: 'done', setBy: by, setAt: now, note: null });
}

/** A tagged upload marks its document received (a verified or waived one stays as it is). */
export function markReceived(db: Db, applicationId: string, itemId: string, by: string, now: string): void {
  const row = db.select().from(applicationChecklist).where(and(eq(applicationChecklist.applicationId, applicationId), eq(applicationChecklist.itemId, itemId))).get();
  if (row && row.state !== 'pending') {
    if (row.requested) upsert(db, applicationId, itemId, { requested: false });
    return;
  }
  upsert(db, applicationId, itemId, { state: 'received', setBy: by, setAt: now, requested: false });
}

/** «ناقص»: these documents are asked of the beneficiary (the others are no longer requested). */
export function markRequested(db: Db, applicationId: string, itemIds: readonly string[]): void {
  db.update(applicationChecklist).set({ requested: false }).where(eq(applicationChecklist.applicationId, applicationId)).run();
  for (const itemId of itemIds) upsert(db, applicationId, itemId, { requested: true });
}
