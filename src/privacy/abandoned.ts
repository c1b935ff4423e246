// Deletes what an application intake left half-way holds after RETENTION_ABANDONED_INTAKE_HOURS: the answers in the
// flow state and the texts of the messages from the privacy consent on. Small batches, counts only in the log.
import { and, asc, eq, gt, gte, isNotNull, lt, sql } from 'drizzle-orm';
import type { Logger } from '../core/channel.ts';
import type { Db } from '../db/client.ts';
import { conversations, messages } from '../db/schema.ts';
import type { FlowState, Json } from '../flows/types.ts';

export interface AbandonedDeps {
  db: Db;
  hours: number;
  logger: Logger;
  /** The placeholder a deleted message keeps, so conversation counts stay right. */
  placeholder: string;
  /** Conversations handled per batch before yielding. */
  batchSize?: number;
}

const INTAKE_FLOW = 'apply';
const HOUR_MS = 3_600_000;
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** In the intake now, or in a flow it called (the privacy notice). */
function inIntake(state: FlowState | null): state is FlowState {
  return state !== null && (state.flow === INTAKE_FLOW || state.stack.some((f) => f.flow === INTAKE_FLOW));
}

/** Where the personal answers began: the consent check the intake ran first. */
function startedAt(state: FlowState): string | undefined {
  const consent = state.vars.consent;
  const at = consent !== null && typeof consent === 'object' && !Array.isArray(consent) ? consent.checked_at : undefined;
  return typeof at === 'string' ? at : undefined;
}

/** What survives: the seeds the conversation service gives every conversation (channel, its phone, its name). */
function keptVars(vars: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const k of ['channel', 'channel_phone', 'display_name', 'greeted']) if (vars[k] !== undefined) out[k] = vars[k] as Json;
  return out;
}

export async function purgeAbandonedIntakes(deps: AbandonedDeps, now: Date): Promise<{ conversations: number; messages: number }> {
  const { db } = deps;
  const batch = deps.batchSize ?? 100;
  const cutoff = new Date(now.getTime() - deps.hours * HOUR_MS).toISOString();
  const counts = { conversations: 0, messages: 0 };
  let after = '';
  for (;;) {
    // Bot-mode conversations quiet since the cutoff whose state names the intake flow (a cheap filter; checked below).
    const rows = db
      .select({ id: conversations.id, flowState: conversations.flowState })
      .from(conversations)
      .where(and(eq(conversations.status, 'bot'), isNotNull(conversations.flowState), lt(conversations.updatedAt, cutoff), gt(conversations.id, after), sql`${conversations.flowState} like ${`%"${INTAKE_FLOW}"%`}`))
      .orderBy(asc(conversations.id))
      .limit(batch)
      .all();
    if (rows.length === 0) break;
    after = rows.at(-1)?.id ?? after;
    db.$client.transaction(() => {
      for (const row of rows) {
        const state = row.flowState as FlowState | null;
        if (!inIntake(state)) continue;
        const from = startedAt(state);
        if (from !== undefined) {
          const gone = db
            .update(messages)
            .set({ text: deps.placeholder, payload: { erased: 'abandoned_intake' }, raw: null })
            .where(and(eq(messages.conversationId, row.id), gte(messages.createdAt, from), sql`${messages.senderKind} in ('beneficiary', 'bot')`))
            .run();
          counts.messages += gone.changes;
        }
        const fresh: FlowState = { flow: 'main', step: 'greet', waiting: 'idle', locale: state.locale, vars: keptVars(state.vars), attempts: 0, stack: [], history: [] };
        db.update(conversations).set({ flowState: fresh }).where(eq(conversations.id, row.id)).run();
        counts.conversations += 1;
      }
    })();
    await pause();
  }
  if (counts.conversations > 0) deps.logger.info(counts, 'abandoned intakes purged');
  return counts;
}

/** Runs the purge every hour (and once soon after start); unref'd so it never holds the process open. */
export function scheduleAbandonedIntakePurge(deps: AbandonedDeps, clock: () => Date, everyMs = HOUR_MS): { stop(): void } {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    purgeAbandonedIntakes(deps, clock())
      .catch((err: unknown) => deps.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'abandoned intake purge failed'))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
