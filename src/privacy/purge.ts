// The daily retention purge: conversations closed longer than RETENTION_MESSAGES_DAYS go with their messages, closed
// applications past RETENTION_CLOSED_APPLICATIONS_DAYS are anonymised, audit entries past RETENTION_AUDIT_DAYS go.
// Small batches (one transaction each, a yield between), counts only in the log; the last run is kept in job_runs
// so a start after a missed day catches up at once.
import fs from 'node:fs/promises';
import { and, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Logger } from '../core/channel.ts';
import type { Db } from '../db/client.ts';
import { applications, attachments, auditLog, conversationNotes, conversations, feedback, jobRuns, messages, nluMisses, officerWaits, outbox, satisfactionRatings } from '../db/schema.ts';
import { storedPath } from '../files/uploads.ts';
import { anonymiseApplications } from './registry-applications.ts';

const DAY_MS = 86_400_000;
const JOB = 'retention';
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface RetentionDeps {
  db: Db;
  uploadsDir: string;
  retention: { messagesDays: number; closedApplicationsDays: number; auditDays: number };
  /** What anonymised applicant names read (the default language's placeholder). */
  placeholder: string;
  logger: Logger;
  now?: () => Date;
  batchSize?: number;
}

export interface RetentionCounts {
  messages: number;
  conversations: number;
  applications: number;
  audit: number;
  files: number;
}

export function createRetentionPurge(deps: RetentionDeps) {
  const { db } = deps;
  const clock = deps.now ?? (() => new Date());
  const batch = deps.batchSize ?? 200;
  const cutoff = (days: number) => new Date(clock().getTime() - days * DAY_MS).toISOString();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RetentionCounts> | undefined;

  async function removeFiles(paths: string[]): Promise<void> {
    for (const rel of paths) {
      const abs = storedPath(deps.uploadsDir, rel);
      if (abs) await fs.rm(abs, { force: true }).catch(() => undefined);
    }
  }

  /** Expired conversations, a batch of messages at a time; then the emptied conversations themselves. */
  async function purgeConversations(counts: RetentionCounts): Promise<void> {
    const before = cutoff(deps.retention.messagesDays);
    const expired = () => db.select({ id: conversations.id }).from(conversations).where(and(eq(conversations.status, 'closed'), lt(conversations.closedAt, before)));
    for (;;) {
      const files: string[] = [];
      const done = db.$client.transaction(() => {
        const ids = db.select({ id: messages.id }).from(messages).where(inArray(messages.conversationId, expired())).limit(batch).all().map((r) => r.id);
        if (ids.length === 0) return true;
        // A file an application holds stays with the application; the others go with their message.
        files.push(...db.select({ p: attachments.storagePath }).from(attachments).where(and(inArray(attachments.messageId, ids), sql`${attachments.applicationId} is null`)).all().map((r) => r.p));
        db.delete(attachments).where(and(inArray(attachments.messageId, ids), sql`${attachments.applicationId} is null`)).run();
        db.update(attachments).set({ messageId: null }).where(inArray(attachments.messageId, ids)).run();
        db.delete(outbox).where(inArray(outbox.messageId, ids)).run();
        counts.messages += db.delete(messages).where(inArray(messages.id, ids)).run().changes;
        return false;
      })();
      await removeFiles(files);
      counts.files += files.length;
      if (done) break;
      await pause();
    }
    for (;;) {
      const n = db.$client.transaction(() => {
        const ids = expired().limit(batch).all().map((r) => r.id);
        if (ids.length === 0) return 0;
        db.delete(conversationNotes).where(inArray(conversationNotes.conversationId, ids)).run();
        db.delete(nluMisses).where(inArray(nluMisses.conversationId, ids)).run();
        db.delete(satisfactionRatings).where(inArray(satisfactionRatings.conversationId, ids)).run();
        db.delete(officerWaits).where(inArray(officerWaits.conversationId, ids)).run();
        for (const t of [applications, feedback, attachments] as const) db.update(t).set({ conversationId: null }).where(inArray(t.conversationId, ids)).run();
        return db.delete(conversations).where(inArray(conversations.id, ids)).run().changes;
      })();
      counts.conversations += n;
      if (n === 0) break;
      await pause();
    }
  }

  /** Closed applications past their time: anonymised like an erasure under the legal hold, their files deleted. */
  async function anonymiseClosed(counts: RetentionCounts): Promise<void> {
    const before = cutoff(deps.retention.closedApplicationsDays);
    for (;;) {
      const files: string[] = [];
      const n = db.$client.transaction(() => {
        const ids = db
          .select({ id: applications.id })
          .from(applications)
          .where(and(inArray(applications.status, ['rejected', 'service_delivered', 'closed']), lt(applications.updatedAt, before), ne(applications.nationalId, '')))
          .limit(batch)
          .all()
          .map((r) => r.id);
        if (ids.length === 0) return 0;
        files.push(...db.select({ p: attachments.storagePath }).from(attachments).where(inArray(attachments.applicationId, ids)).all().map((r) => r.p));
        db.delete(attachments).where(inArray(attachments.applicationId, ids)).run();
        // Only the anonymous row stays (status, dates, amounts, decision), as after an erasure under the legal hold.
        return anonymiseApplications(db, ids, deps.placeholder, clock().toISOString());
      })();
      await removeFiles(files);
      counts.files += files.length;
      counts.applications += n;
      if (n === 0) break;
      await pause();
    }
  }

  async function purgeAudit(counts: RetentionCounts): Promise<void> {
    const before = cutoff(deps.retention.auditDays);
    for (;;) {
      const ids = db.select({ id: auditLog.id }).from(auditLog).where(lt(auditLog.createdAt, before)).limit(batch).all().map((r) => r.id);
      if (ids.length === 0) break;
      counts.audit += db.delete(auditLog).where(inArray(auditLog.id, ids)).run().changes;
      await pause();
    }
  }

  async function run(): Promise<RetentionCounts> {
    const counts: RetentionCounts = { messages: 0, conversations: 0, applications: 0, audit: 0, files: 0 };
    await purgeConversations(counts);
    await anonymiseClosed(counts);
    await purgeAudit(counts);
    const at = clock().toISOString();
    db.insert(jobRuns).values({ name: JOB, lastRunAt: at }).onConflictDoUpdate({ target: jobRuns.name, set: { lastRunAt: at } }).run();
    deps.logger.info({ ...counts }, 'retention purge done');
    return counts;
  }

  function tick(): Promise<RetentionCounts> {
    running ??= run()
      .catch((err: unknown) => {
        deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'retention purge failed');
        return { messages: 0, conversations: 0, applications: 0, audit: 0, files: 0 };
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  /** How long until the next run is due: now when the last one is a day old or there was none. */
  function dueInMs(): number {
    const last = db.select({ at: jobRuns.lastRunAt }).from(jobRuns).where(eq(jobRuns.name, JOB)).get()?.at;
    if (!last) return 0;
    return Math.max(0, Date.parse(last) + DAY_MS - clock().getTime());
  }

  return {
    /** One full pass now (tests, and each timer tick). */
    runOnce: tick,
    dueInMs,
    /** Runs when due (at once after a missed day), then daily; the timer never keeps the process alive. */
    start(): void {
      if (timer) return;
      const schedule = (ms: number) => {
        timer = setTimeout(() => {
          void tick().then(() => {
            if (timer) schedule(dueInMs() || DAY_MS);
          });
        }, ms);
        timer.unref();
      };
      schedule(dueInMs());
    },
    async stop(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

export type RetentionPurge = ReturnType<typeof createRetentionPurge>;
