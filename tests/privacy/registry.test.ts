// Every table of the drizzle schema must be in the privacy registry: a new table fails here until someone decides how
// its rows about a beneficiary are exported and erased, or writes down why it holds none.
import { getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as schema from '../../src/db/schema.ts';
import { REGISTRY } from '../../src/privacy/registry.ts';

const schemaTables = (Object.values(schema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable)).map((t) => getTableName(t));

describe('the privacy registry', () => {
  it('covers every table of the schema, each once', () => {
    const registered = REGISTRY.map((e) => getTableName(e.table));
    expect(schemaTables.length).toBeGreaterThan(20);
    expect(schemaTables.filter((t) => !registered.includes(t)), 'add these tables to src/privacy/registry.ts').toEqual([]);
    expect(registered.length).toBe(new Set(registered).size);
    expect(registered.filter((t) => !schemaTables.includes(t))).toEqual([]);
  });

  it('exports and erases every table that holds personal data, and says why the others hold none', () => {
    for (const entry of REGISTRY) {
      if (entry.personal) {
        expect(typeof entry.export, getTableName(entry.table)).toBe('function');
        expect(typeof entry.erase, getTableName(entry.table)).toBe('function');
      } else {
        expect(entry.why.length, getTableName(entry.table)).toBeGreaterThan(5);
      }
    }
    // The beneficiary's own tables are never waved through as holding nothing.
    const personal = REGISTRY.filter((e) => e.personal).map((e) => getTableName(e.table));
    for (const t of ['contacts', 'contact_identities', 'messages', 'applications', 'attachments', 'audit_log', 'interactions', 'volunteers', 'feedback']) expect(personal).toContain(t);
  });
});
