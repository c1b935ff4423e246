// Backup and restore of the SQLite store: a consistent online copy (SQLite's backup API) plus the uploads, in one tar.gz.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as tar from 'tar';

export const BACKUP_FORMAT = 'tawasul-backup';
const DB_ENTRY = 'tawasul.sqlite';
const KEY_FILE = 'server.key';

interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  database: string;
  /** Files under uploads/ when the copy was made. */
  files: number;
  /** Whether DATA_DIR/server.key (which decrypts officers' TOTP secrets) is inside (only when asked for). */
  secretKey: boolean;
}

export interface StoreLocation {
  dataDir: string;
  dbFile: string;
}

export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

function countFiles(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile()).length;
}

/**
 * Writes `out` (a .tar.gz) while the gateway may be running: the database first, through a read-only connection
 * of its own and SQLite's online backup (a snapshot, however many writes land meanwhile), then the uploads. A file
 * stored after the snapshot may come along; a restored database simply does not refer to it (the purge of unlinked
 * files removes it later). Files the snapshot refers to were on disk before their row was committed.
 * DATA_DIR/server.key goes in only with `includeSecretKey`.
 */
export async function backupStore(store: StoreLocation, out: string, options: { includeSecretKey?: boolean; now?: Date } = {}): Promise<Manifest> {
  if (!fs.existsSync(store.dbFile)) throw new Error(`no database at ${store.dbFile}`);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'tawasul-backup-'));
  try {
    const source = new Database(store.dbFile, { readonly: true, fileMustExist: true });
    try {
      await source.backup(path.join(staging, DB_ENTRY));
    } finally {
      source.close();
    }
    const uploads = path.join(store.dataDir, 'uploads');
    const entries = ['manifest.json', DB_ENTRY];
    if (fs.existsSync(uploads)) {
      // A link, packed with follow: the archive holds uploads/… without copying the files twice on disk.
      fs.symlinkSync(uploads, path.join(staging, 'uploads'), 'dir');
      entries.push('uploads');
    }
    const key = path.join(store.dataDir, KEY_FILE);
    // Kept apart by default: the key decrypts the TOTP secrets inside the database, so a stolen archive holding
    // both would give those away.
    const secretKey = (options.includeSecretKey ?? false) && fs.existsSync(key);
    if (secretKey) {
      fs.copyFileSync(key, path.join(staging, KEY_FILE));
      entries.push(KEY_FILE);
    }
    const manifest: Manifest = { format: BACKUP_FORMAT, version: 1, createdAt: (options.now ?? new Date()).toISOString(), database: DB_ENTRY, files: countFiles(uploads), secretKey };
    fs.writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    // Written beside the target and renamed, so a half-written archive never carries the final name.
    const partial = `${out}.partial`;
    await tar.c({ gzip: true, file: partial, cwd: staging, follow: true, portable: true }, entries);
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, out);
    return manifest;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** True when another connection (a running gateway) has the database open: WAL mode cannot be left while one does. */
export function databaseInUse(dbFile: string): boolean {
  if (!fs.existsSync(dbFile)) return false;
  const probe = new Database(dbFile, { timeout: 0 });
  try {
    probe.pragma('journal_mode = DELETE');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    probe.close();
  }
}

export interface RestoreResult {
  manifest: Manifest;
  /** Where the database and uploads that were replaced went (with --force), if there were any. */
  previous: string | undefined;
  /** DATA_DIR/server.key is there (restored, or put there beforehand). */
  secretKeyPresent: boolean;
}

/**
 * Restores `file` into DATA_DIR. Refuses while a gateway has the database open, and when a database exists unless
 * `force`; with `force`, what it replaces moves to DATA_DIR/before-restore-<time>/ (nothing is deleted).
 */
export async function restoreStore(store: StoreLocation, file: string, options: { force?: boolean; now?: Date } = {}): Promise<RestoreResult> {
  if (databaseInUse(store.dbFile)) throw new RestoreRefused('the gateway is running on this DATA_DIR: stop it first');
  const exists = fs.existsSync(store.dbFile);
  if (exists && !options.force) throw new RestoreRefused(`a database exists at ${store.dbFile}: pass --force to replace it (it is kept in DATA_DIR/before-restore-…)`);
  fs.mkdirSync(store.dataDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(store.dataDir, '.restore-'));
  try {
    await tar.x({ file, cwd: staging, strict: true, preservePaths: false });
    const manifestFile = path.join(staging, 'manifest.json');
    const manifest = fs.existsSync(manifestFile) ? (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest) : undefined;
    if (manifest?.format !== BACKUP_FORMAT) throw new RestoreRefused(`${file} is not a Tawasul backup (no manifest.json of format ${BACKUP_FORMAT})`);
    const restoredDb = path.join(staging, manifest.database);
    const check = new Database(restoredDb, { readonly: true, fileMustExist: true });
    try {
      const result = check.pragma('integrity_check', { simple: true });
      if (result !== 'ok') throw new RestoreRefused(`the database in ${file} is damaged: ${String(result)}`);
    } finally {
      check.close();
    }
    const uploads = path.join(store.dataDir, 'uploads');
    const key = path.join(store.dataDir, KEY_FILE);
    let previous: string | undefined;
    const replaced = [store.dbFile, `${store.dbFile}-wal`, `${store.dbFile}-shm`, uploads, ...(manifest.secretKey ? [key] : [])].filter((p) => fs.existsSync(p));
    if (replaced.length > 0) {
      previous = path.join(store.dataDir, `before-restore-${(options.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`);
      fs.mkdirSync(previous);
      for (const p of replaced) fs.renameSync(p, path.join(previous, path.basename(p)));
    }
    fs.renameSync(restoredDb, store.dbFile);
    if (fs.existsSync(path.join(staging, 'uploads'))) fs.renameSync(path.join(staging, 'uploads'), uploads);
    if (manifest.secretKey) fs.renameSync(path.join(staging, KEY_FILE), key);
    return { manifest, previous, secretKeyPresent: fs.existsSync(key) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
