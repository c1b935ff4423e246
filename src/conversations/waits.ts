// Each request for an officer opens a wait; the first officer message after it closes every open wait of that
// conversation. Written inside the conversation service's transaction (it is the writer of conversation state).
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { officerWaits } from '../db/schema.ts';

export function openWait(db: Db, conversationId: string, at: Date): void {
  db.insert(officerWaits).values({ conversationId, requestedAt: at.toISOString() }).run();
}

export function answerWaits(db: Db, conversationId: string, at: Date, officerId: string | undefined): void {
  db.update(officerWaits)
    .set({ answeredAt: at.toISOString(), answeredBy: officerId ?? null })
    .where(and(eq(officerWaits.conversationId, conversationId), isNull(officerWaits.answeredAt), isNull(officerWaits.abandonedAt)))
    .run();
}

/** Back to the bot or closed with nobody having answered: the open waits end unanswered. */
export function abandonWaits(db: Db, conversationId: string, at: Date): void {
  db.update(officerWaits)
    .set({ abandonedAt: at.toISOString() })
    .where(and(eq(officerWaits.conversationId, conversationId), isNull(officerWaits.answeredAt), isNull(officerWaits.abandonedAt)))
    .run();
}
