// The access copy: everything held about one beneficiary, table by table, read through the registry.
import { getTableName } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { PERSONAL_ENTRIES } from './registry.ts';
import { subjectOf } from './subject.ts';

export interface ContactExport {
  contactId: string;
  exportedAt: string;
  /** Rows per table (SQL names), as held; `audit_log` lists who viewed or changed the records and when. */
  tables: Record<string, unknown[]>;
}

export function exportContact(db: Db, contactId: string, now: Date): ContactExport {
  const subject = subjectOf(db, contactId);
  const tables: Record<string, unknown[]> = {};
  for (const entry of PERSONAL_ENTRIES) tables[getTableName(entry.table)] = entry.export(db, subject);
  return { contactId, exportedAt: now.toISOString(), tables };
}
