// The shape of one registry entry: how a table's rows about a beneficiary are exported and erased, or why it holds none.
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.ts';
import type { EraseContext, Subject } from './subject.ts';

export interface PersonalEntry {
  table: SQLiteTable;
  personal: true;
  /** The rows about the subject, as they are held. */
  export(db: Db, subject: Subject): unknown[];
  /** Destroys or anonymises them inside the erasure's transaction (synchronous); returns how many rows it touched. */
  erase(ctx: EraseContext): number;
}

export interface NoPersonalEntry {
  table: SQLiteTable;
  personal: false;
  /** Why the table holds nothing about a beneficiary (read by people reviewing the registry). */
  why: string;
}

export type RegistryEntry = PersonalEntry | NoPersonalEntry;

export const none = (table: SQLiteTable, why: string): NoPersonalEntry => ({ table, personal: false, why });
