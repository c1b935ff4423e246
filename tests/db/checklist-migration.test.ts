// Migration 0012: cases in the old interview / field_visit statuses go back to under_study, their visits kept,
// and a visit already done ticks its checklist item.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.ts';
import { closeDb, openDb } from '../../src/db/client.ts';
import { tempDir } from '../support/temp-db.ts';

const MIGRATIONS = path.join(ROOT_DIR, 'migrations');

/** A copy of migrations/ up to (not including) `tag`: a database as it was before that migration shipped. */
function migrationsBefore(tag: string): string {
  const dir = path.join(tempDir(), 'migrations');
  fs.mkdirSync(path.join(dir, 'meta'), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const upTo = journal.entries.findIndex((e) => e.tag === tag);
  expect(upTo).toBeGreaterThan(0);
  const entries = journal.entries.slice(0, upTo);
  for (const e of entries) fs.copyFileSync(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return dir;
}

describe('migration 0012 (the checklist replaces the interview and field_visit statuses)', () => {
  it('moves old rows to under_study, keeps their visits, and ticks done visits on the checklist', () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const old = openDb({ file, migrationsDir: migrationsBefore('0012_application_checklist_and_visit_confirmation') });
    old.run(sql`insert into contacts (id) values ('c1')`);
    old.run(sql`insert into officers (id, email, display_name, role, password_hash) values ('r1', 'r1@charity.test', 'خالد', 'researcher', 'x')`);
    for (const [id, status] of [['a1', 'interview'], ['a2', 'field_visit'], ['a3', 'committee']] as const) {
      old.run(sql`insert into applications (id, reference, contact_id, applicant_name, national_id, mobile, answers, declaration_version, declaration_accepted_at, status, committee_due_at)
        values (${id}, ${`TW-1448-${id}`}, 'c1', 'نورة', '1000000001', '0551234567', '{}', '2026-1', '2026-11-01T00:00:00Z', ${status}, '2026-11-20T00:00:00Z')`);
    }
    old.run(sql`insert into application_visits (id, application_id, kind, scheduled_at, place, researcher_id, status, created_by, updated_at) values ('v1', 'a1', 'interview', '2026-11-05T08:00:00Z', 'المقر', 'r1', 'done', 'r1', '2026-11-05T09:00:00Z')`);
    old.run(sql`insert into application_visits (id, application_id, kind, scheduled_at, place, status, created_by) values ('v2', 'a2', 'field_visit', '2026-11-30T08:00:00Z', 'المنزل', 'scheduled', 'r1')`);
    closeDb(old);

    const db = openDb({ file, migrationsDir: MIGRATIONS });
    try {
      expect(db.all<{ id: string; status: string }>(sql`select id, status from applications order by id`)).toEqual([
        { id: 'a1', status: 'under_study' },
        { id: 'a2', status: 'under_study' },
        { id: 'a3', status: 'committee' },
      ]);
      expect(db.all<{ id: string; status: string }>(sql`select id, status from application_visits order by id`)).toEqual([
        { id: 'v1', status: 'done' },
        { id: 'v2', status: 'scheduled' },
      ]);
      expect(db.all(sql`select application_id, item_id, state, set_by, set_at from application_checklist`)).toEqual([
        { application_id: 'a1', item_id: 'interview', state: 'done', set_by: 'r1', set_at: '2026-11-05T09:00:00Z' },
      ]);
    } finally {
      closeDb(db);
    }
  });
});
