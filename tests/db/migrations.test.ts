// Migrations are named by what they do, and one that shipped never changes: a charity's database records each
// applied migration by the hash of its SQL, so an edited one would silently never run there.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.ts';
import { openTempDb } from '../support/temp-db.ts';

const DIR = path.join(ROOT_DIR, 'migrations');
const journal = JSON.parse(fs.readFileSync(path.join(DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string; when: number }[] };
const shipped = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'tests', 'fixtures', 'shipped-migrations.json'), 'utf8')) as Record<string, string>;
const hashOf = (tag: string) => createHash('sha256').update(fs.readFileSync(path.join(DIR, `${tag}.sql`), 'utf8')).digest('hex');

describe('migrations', () => {
  it('each journal entry has its file, in order, named by what it does', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.sql')).sort();
    expect(files).toEqual(journal.entries.map((e) => `${e.tag}.sql`));
    journal.entries.forEach((e, i) => {
      expect(e.idx).toBe(i);
      expect(e.tag.startsWith(String(i).padStart(4, '0') + '_'), e.tag).toBe(true);
      // "0001_issue5_routes" told nobody what changed; drizzle's random names ("0003_brave_hulk") neither.
      expect(e.tag, 'name a migration by what it does').not.toMatch(/issue\d*/i);
      if (i > 0) expect(e.tag.split('_').length, `${e.tag}: say what it does in a few words`).toBeGreaterThanOrEqual(3);
    });
    for (let i = 1; i < journal.entries.length; i++) expect(journal.entries[i]?.when).toBeGreaterThan(journal.entries[i - 1]?.when ?? 0);
  });

  it('a shipped migration is never edited', () => {
    for (const [tag, hash] of Object.entries(shipped)) {
      if (tag === '//') continue;
      expect(journal.entries.map((e) => e.tag), `${tag} shipped and must stay`).toContain(tag);
      expect(hashOf(tag), `${tag} shipped: add a new migration instead of editing it`).toBe(hash);
    }
  });

  it('a database records every migration by its hash, so a renamed file is not applied twice', () => {
    const { db, close } = openTempDb();
    try {
      const rows = db.all<{ hash: string }>(sql`select hash from __drizzle_migrations order by created_at`);
      expect(rows.map((r) => r.hash)).toEqual(journal.entries.map((e) => hashOf(e.tag)));
    } finally {
      close();
    }
  });
});
