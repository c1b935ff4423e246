// Reads of the misses the bot kept and writes of the examples admins add from them (the one writer of nlu_examples).
import { and, count, desc, eq, inArray, isNotNull, max, notInArray } from 'drizzle-orm';
import type { Locale } from '../core/messages.ts';
import type { Db } from '../db/client.ts';
import { nluExamples, nluMisses } from '../db/schema.ts';

export interface MissGroup {
  /** The latest message of the group, as typed (long numbers masked). */
  text: string;
  normalized: string;
  count: number;
  /** "flow.step" where the latest one was typed. */
  step: string;
  locale: Locale;
  lastSeen: string;
}

export interface PersonalMisses {
  step: string;
  count: number;
  lastSeen: string;
}

const GROUPS_MAX = 200;

/** Misses grouped by their folded text, most frequent first; a group already added as an example is learnt and left out. */
export function missGroups(db: Db): MissGroup[] {
  const learnt = db.select({ n: nluExamples.normalized }).from(nluExamples);
  const groups = db
    .select({ normalized: nluMisses.normalized, n: count(), last: max(nluMisses.createdAt), latest: max(nluMisses.id) })
    .from(nluMisses)
    .where(and(isNotNull(nluMisses.normalized), notInArray(nluMisses.normalized, learnt)))
    .groupBy(nluMisses.normalized)
    .orderBy(desc(count()), desc(max(nluMisses.createdAt)))
    .limit(GROUPS_MAX)
    .all();
  const ids = groups.map((g) => g.latest).filter((id): id is number => id !== null);
  if (ids.length === 0) return [];
  const latest = new Map(db.select().from(nluMisses).where(inArray(nluMisses.id, ids)).all().map((r) => [r.id, r]));
  return groups.flatMap((g) => {
    const row = g.latest === null ? undefined : latest.get(g.latest);
    if (!row || row.text === null || g.normalized === null) return [];
    return [{ text: row.text, normalized: g.normalized, count: g.n, step: `${row.flow}.${row.step}`, locale: row.locale, lastSeen: g.last ?? row.createdAt }];
  });
}

/** Misses at steps that collect personal data: only where and how often, never what was typed. */
export function personalMisses(db: Db): PersonalMisses[] {
  return db
    .select({ flow: nluMisses.flow, step: nluMisses.step, n: count(), last: max(nluMisses.createdAt) })
    .from(nluMisses)
    .where(eq(nluMisses.personal, true))
    .groupBy(nluMisses.flow, nluMisses.step)
    .orderBy(desc(count()))
    .all()
    .map((r) => ({ step: `${r.flow}.${r.step}`, count: r.n, lastSeen: r.last ?? '' }));
}

export interface StoredExample {
  id: number;
  intent: string;
  text: string;
  locale: Locale;
}

/** Every example admins added, oldest first (what the classifier learns at start-up besides the locales). */
export function storedExamples(db: Db): StoredExample[] {
  return db.select({ id: nluExamples.id, intent: nluExamples.intent, text: nluExamples.text, locale: nluExamples.locale }).from(nluExamples).orderBy(nluExamples.id).all();
}

/** Stores one example; undefined when the same (folded) text is already an example of that intent. */
export function addExample(db: Db, e: { intent: string; text: string; normalized: string; locale: Locale; createdBy: string; now: Date }): StoredExample | undefined {
  const row = db
    .insert(nluExamples)
    .values({ intent: e.intent, text: e.text, normalized: e.normalized, locale: e.locale, createdBy: e.createdBy, createdAt: e.now.toISOString() })
    .onConflictDoNothing()
    .returning({ id: nluExamples.id, intent: nluExamples.intent, text: nluExamples.text, locale: nluExamples.locale })
    .get();
  return row;
}
