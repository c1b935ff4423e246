// Every table of the schema, with how its rows about one beneficiary are exported and erased, or why it holds none.
// The order is the erasure's: rows that point at others go first. tests/privacy/registry.test.ts fails when a table of
// src/db/schema.ts is missing here.
import { eq, inArray, or, sql } from 'drizzle-orm';
import { maskIdentifier, maskName } from '../core/mask.ts';
import {
  applications,
  auditLog,
  cannedReplies,
  consents,
  contactIdentities,
  contacts,
  counters,
  erasureRequests,
  incidents,
  jobRuns,
  leases,
  rateLimits,
  knowledgeArticles,
  nluDays,
  nluExamples,
  officerSessions,
  officers,
  privacyRequests,
  signInThrottle,
} from '../db/schema.ts';
import type { Db } from '../db/client.ts';
import { applicationEntries } from './registry-applications.ts';
import { conversationEntries } from './registry-conversations.ts';
import { none, type PersonalEntry, type RegistryEntry } from './registry-types.ts';
import type { Subject } from './subject.ts';

export type { RegistryEntry } from './registry-types.ts';

/** Audit entries about the subject's records: who looked at their data, and when. */
function auditTargets(s: Subject): string[] {
  return [s.contactId, ...s.conversationIds, ...s.applicationIds, ...s.attachmentIds];
}

/** The subject's identifying values as they may appear in audit details: as held, and masked as searches are logged. */
export function identifyingValues(db: Db, s: Subject): string[] {
  const values = new Set<string>();
  const add = (v: string | null | undefined, masked = false, name = false) => {
    const t = v?.trim();
    if (!t || t.startsWith('erased:') || t.length < 4) return;
    values.add(t);
    // A searched name is logged with only each word's first letter: still this person's, with so many words.
    if (name && t.includes(' ')) values.add(maskName(t));
    if (masked) {
      values.add(maskIdentifier(t));
      // A mobile is searched as typed (05…) as well as held (+9665…).
      if (t.startsWith('+966')) values.add(maskIdentifier(`0${t.slice(4)}`));
    }
  };
  const c = db.select().from(contacts).where(eq(contacts.id, s.contactId)).get();
  add(c?.displayName, false, true);
  add(c?.phone, true);
  add(c?.nationalId, true);
  for (const i of db.select().from(contactIdentities).where(eq(contactIdentities.contactId, s.contactId)).all()) {
    add(i.address, true);
    add(i.displayName, false, true);
  }
  for (const a of db.select().from(applications).where(eq(applications.contactId, s.contactId)).all()) {
    add(a.applicantName, false, true);
    add(a.nationalId, true);
    add(a.mobile, true);
  }
  return [...values];
}

const auditEntry: PersonalEntry = {
  table: auditLog,
  personal: true,
  export: (db, s) =>
    db
      .select({ at: auditLog.createdAt, action: auditLog.action, targetType: auditLog.targetType, targetId: auditLog.targetId, officerId: auditLog.officerId, officer: officers.displayName })
      .from(auditLog)
      .leftJoin(officers, eq(officers.id, auditLog.officerId))
      .where(inArray(auditLog.targetId, auditTargets(s)))
      .orderBy(auditLog.id)
      .all(),
  // The entries stay (who did what, when); any that quoted the person's values lose their details.
  erase: ({ db, subject }) => {
    const values = identifyingValues(db, subject);
    if (values.length === 0) return 0;
    const quotes = or(...values.map((v) => sql`instr(${auditLog.details}, ${v}) > 0`));
    return db.update(auditLog).set({ details: { scrubbed: true } }).where(quotes).run().changes;
  },
};

const erasureEntry: PersonalEntry = {
  table: erasureRequests,
  personal: true,
  export: (db, s) => db.select().from(erasureRequests).where(eq(erasureRequests.contactId, s.contactId)).all(),
  // The record that the erasure happened, by whom and why, stays; it holds no personal values.
  erase: () => 0,
};

const incidentEntry: PersonalEntry = {
  table: incidents,
  personal: true,
  export: (db, s) => db.select().from(incidents).where(sql`instr(${incidents.affectedContactIds}, ${JSON.stringify(s.contactId)}) > 0`).all(),
  // Affected people are listed by contact id only.
  erase: () => 0,
};

/** The answers to the privacy notice: exported; erased with the rest (no consent without the person). */
export const consentEntry: PersonalEntry = {
  table: consents,
  personal: true,
  export: (db, s) => db.select().from(consents).where(eq(consents.contactId, s.contactId)).orderBy(consents.at).all(),
  erase: ({ db, subject }) => db.delete(consents).where(eq(consents.contactId, subject.contactId)).run().changes,
};

/** The person's requests about their data: the record that they asked and when stays; what they wrote does not. */
export const privacyRequestEntry: PersonalEntry = {
  table: privacyRequests,
  personal: true,
  export: (db, s) => db.select().from(privacyRequests).where(eq(privacyRequests.contactId, s.contactId)).orderBy(privacyRequests.createdAt).all(),
  erase: ({ db, subject }) =>
    db.update(privacyRequests).set({ details: null, outcome: null }).where(eq(privacyRequests.contactId, subject.contactId)).run().changes,
};

export const REGISTRY: readonly RegistryEntry[] = [
  auditEntry,
  ...applicationEntries,
  consentEntry,
  privacyRequestEntry,
  ...conversationEntries,
  erasureEntry,
  incidentEntry,
  none(counters, 'yearly reference counters'),
  none(nluExamples, 'example phrasings admins wrote for the classifier'),
  none(nluDays, 'daily counts of recognised messages'),
  none(officers, 'staff accounts, not beneficiaries'),
  none(officerSessions, 'staff sessions'),
  none(signInThrottle, 'staff sign-in failures'),
  none(cannedReplies, 'ready answers staff wrote'),
  none(knowledgeArticles, 'the charity’s guides'),
  none(jobRuns, 'when scheduled jobs last ran'),
  none(leases, 'which instance runs each singleton'),
  none(rateLimits, 'web chat counters keyed by chat token or network address, swept within two hours'),
];

export const PERSONAL_ENTRIES = REGISTRY.filter((e): e is PersonalEntry => e.personal);
