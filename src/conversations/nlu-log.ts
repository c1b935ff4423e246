// Learning from misses: every typed message the bot read is counted per Riyadh day, and each it could not place is
// kept with its step — word for word only where the step collects no personal data.
import { sql } from 'drizzle-orm';
import { maskIdentifier } from '../core/mask.ts';
import type { Locale } from '../core/messages.ts';
import type { Db } from '../db/client.ts';
import { nluDays, nluMisses } from '../db/schema.ts';
import { groupingKey } from '../flows/normalize.ts';
import type { Unplaced } from '../flows/types.ts';

// Saudi Arabia keeps UTC+3 all year: a Riyadh day is a fixed UTC window.
const RIYADH_OFFSET_MS = 3 * 3_600_000;
/** What is kept of a miss: enough to recognise the phrasing, never a story. */
const MAX_KEPT = 200;

export const riyadhDay = (now: Date): string => new Date(now.getTime() + RIYADH_OFFSET_MS).toISOString().slice(0, 10);

/** A number long enough to be an ID or a mobile is masked even at a menu: people type them anywhere. */
function keptText(text: string): string {
  return [...text.trim()].slice(0, MAX_KEPT).join('').replace(/[\d\u0660-\u0669\u06f0-\u06f9][\d\u0660-\u0669\u06f0-\u06f9\s-]{4,}[\d\u0660-\u0669\u06f0-\u06f9]/g, (m) => maskIdentifier(m.replace(/[\s-]/g, '')));
}

export interface NluEntry {
  conversationId: string;
  channel: string;
  locale: Locale;
  text: string;
  unplaced: Unplaced | undefined;
  now: Date;
}

export function createNluLog(db: Db) {
  const tally = db
    .insert(nluDays)
    .values({ day: sql.placeholder('day'), messages: 1, recognised: sql.placeholder('recognised') })
    .onConflictDoUpdate({ target: nluDays.day, set: { messages: sql`${nluDays.messages} + 1`, recognised: sql`${nluDays.recognised} + excluded.recognised` } })
    .prepare();
  const miss = db
    .insert(nluMisses)
    .values({
      conversationId: sql.placeholder('conversationId'),
      channel: sql.placeholder('channel'),
      locale: sql.placeholder('locale'),
      flow: sql.placeholder('flow'),
      step: sql.placeholder('step'),
      text: sql.placeholder('text'),
      normalized: sql.placeholder('normalized'),
      personal: sql.placeholder('personal'),
      createdAt: sql.placeholder('createdAt'),
    })
    .prepare();

  return {
    /** Inside the caller's transaction (synchronous). */
    record(e: NluEntry): void {
      tally.run({ day: riyadhDay(e.now), recognised: e.unplaced ? 0 : 1 });
      const u = e.unplaced;
      if (!u) return;
      const text = u.personal ? null : keptText(e.text);
      const normalized = text === null ? null : groupingKey(text);
      miss.run({
        conversationId: e.conversationId,
        channel: e.channel,
        locale: e.locale,
        flow: u.flow,
        step: u.step,
        text,
        normalized: normalized === '' ? null : normalized,
        personal: u.personal ? 1 : 0,
        createdAt: e.now.toISOString(),
      });
    },
  };
}

export type NluLog = ReturnType<typeof createNluLog>;
