// Deletes stored files linked to nothing after RETENTION_UNLINKED_FILES_DAYS: attachment rows no message or application
// refers to (an upload cut short by a crash), and files under DATA_DIR/uploads without a row. Small batches, counts only
// in the log; a timer the gateway starts and stops.
import fs from 'node:fs/promises';
import path from 'node:path';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Logger } from '../core/channel.ts';
import type { Db } from '../db/client.ts';
import { applications, attachments, messages } from '../db/schema.ts';
import { storedPath } from './uploads.ts';

export interface PurgeDeps {
  db: Db;
  /** DATA_DIR/uploads. */
  uploadsDir: string;
  retentionDays: number;
  logger: Logger;
  now?: () => Date;
  /** Rows or files handled before yielding to other work. */
  batchSize?: number;
}

export interface PurgeCounts {
  rows: number;
  files: number;
}

// Only names we write (<uuid>.<ext>): anything else an operator put there is not ours to delete.
const OUR_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[a-z0-9]{1,5}$/;
const DAY_MS = 86_400_000;

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createUnlinkedFilePurge(deps: PurgeDeps) {
  const clock = deps.now ?? (() => new Date());
  const batch = deps.batchSize ?? 100;
  const { db } = deps;
  const unlinked = db
    .select({ id: attachments.id, storagePath: attachments.storagePath })
    .from(attachments)
    .leftJoin(messages, eq(messages.id, attachments.messageId))
    .leftJoin(applications, eq(applications.id, attachments.applicationId))
    .where(and(isNull(messages.id), isNull(applications.id), lt(attachments.createdAt, sql.placeholder('cutoff'))))
    .limit(batch)
    .prepare();
  const byId = db.select({ storagePath: attachments.storagePath }).from(attachments).where(eq(attachments.id, sql.placeholder('id'))).prepare();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PurgeCounts> | undefined;

  async function removeFile(storagePath: string): Promise<void> {
    const abs = storedPath(deps.uploadsDir, storagePath);
    if (abs) await fs.rm(abs, { force: true });
  }

  async function purgeRows(cutoff: string): Promise<number> {
    let count = 0;
    for (;;) {
      const rows = unlinked.all({ cutoff });
      if (rows.length === 0) return count;
      // The row goes first: a file left behind by a failure here is found by the disk pass next time.
      db.delete(attachments).where(inArray(attachments.id, rows.map((r) => r.id))).run();
      for (const r of rows) await removeFile(r.storagePath);
      count += rows.length;
      await pause();
    }
  }

  async function purgeFiles(cutoffMs: number): Promise<number> {
    let entries: string[];
    try {
      entries = (await fs.readdir(deps.uploadsDir, { recursive: true })).map(String);
    } catch {
      return 0;
    }
    let count = 0;
    for (let i = 0; i < entries.length; i++) {
      if (i > 0 && i % batch === 0) await pause();
      const rel = (entries[i] ?? '').split(path.sep).join('/');
      const id = OUR_FILE.exec(path.posix.basename(rel))?.[1];
      if (!id || byId.get({ id })?.storagePath === rel) continue;
      const abs = storedPath(deps.uploadsDir, rel);
      const stat = abs ? await fs.stat(abs).catch(() => undefined) : undefined;
      // A file still being written is new: only old ones without a row are strays.
      if (!abs || !stat?.isFile() || stat.mtimeMs >= cutoffMs) continue;
      await fs.rm(abs, { force: true });
      count++;
    }
    return count;
  }

  async function run(): Promise<PurgeCounts> {
    const cutoffMs = clock().getTime() - deps.retentionDays * DAY_MS;
    const rows = await purgeRows(new Date(cutoffMs).toISOString());
    const files = await purgeFiles(cutoffMs);
    if (rows + files > 0) deps.logger.info({ rows, files }, 'unlinked files purged');
    return { rows, files };
  }

  function tick(): Promise<PurgeCounts> {
    running ??= run()
      .catch((err: unknown) => {
        deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'unlinked files purge failed');
        return { rows: 0, files: 0 };
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  return {
    /** One full pass now (tests, and each timer tick). */
    runOnce: tick,
    /** First pass after `firstMs`, then every `everyMs`; the timers never keep the process alive. */
    start(everyMs = 6 * 3_600_000, firstMs = 60_000): void {
      if (timer) return;
      timer = setTimeout(function again() {
        void tick();
        timer = setTimeout(again, everyMs);
        timer.unref();
      }, firstMs);
      timer.unref();
    },
    /** Stops the timer and waits for a pass in progress, so the database can close after it. */
    async stop(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

export type UnlinkedFilePurge = ReturnType<typeof createUnlinkedFilePurge>;
