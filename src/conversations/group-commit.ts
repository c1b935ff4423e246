// Group commit: work submitted in the same turn of the event loop shares one SQLite transaction.
import type { Db } from '../db/client.ts';

export interface GroupCommitOptions<R, C> {
  /** A fresh per-item context (what to announce once committed). */
  newContext(): C;
  /** Runs after the whole batch committed, once per successful item. */
  afterCommit(result: R, context: C): void;
  maxBatch?: number;
}

/**
 * Each item runs in its own savepoint, so one failing item rolls back alone and rejects only its own
 * promise; nobody's promise resolves before the commit that made their item durable.
 */
export function createGroupCommit<T, R, C>(db: Db, run: (item: T, context: C) => R, options: GroupCommitOptions<R, C>) {
  const maxBatch = options.maxBatch ?? 256;
  const queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;
  // Called inside the batch's transaction, a better-sqlite3 transaction function becomes a savepoint.
  const one = db.$client.transaction((item: T, context: C) => run(item, context));

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    const batch = queue.splice(0, maxBatch);
    if (queue.length > 0) schedule();
    if (batch.length === 0) return;
    const outcomes: ({ ok: true; result: R; context: C } | { ok: false; error: unknown })[] = [];
    try {
      db.$client.transaction(() => {
        for (const entry of batch) {
          const context = options.newContext();
          try {
            outcomes.push({ ok: true, result: one(entry.item, context), context });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, i) => {
      const outcome = outcomes[i];
      if (!outcome) return entry.reject(new Error('group commit lost an outcome'));
      if (!outcome.ok) return entry.reject(outcome.error);
      options.afterCommit(outcome.result, outcome.context);
      entry.resolve(outcome.result);
    });
  }

  return {
    submit(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
  };
}
