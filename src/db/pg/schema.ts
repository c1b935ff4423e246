// The PostgreSQL schema for drizzle-kit (drizzle.pg.config.ts): every SQLite table, derived (see derive.ts).
// tests/db/pg-schema.test.ts fails when a table of src/db/schema.ts is missing from this list.
import * as sqlite from "../schema.js";
import { derivePgSchema } from './derive.js';

export const { applicationChecklist, applicationDecisions, applicationStatusHistory, applicationVisits, applications, attachments, auditLog, cannedReplies, consents, contactIdentities, contacts, conversationNotes, conversations, counters, erasureRequests, feedback, incidents, interactions, jobRuns, knowledgeArticles, leases, messages, nluDays, nluExamples, nluMisses, officerSessions, officerWaits, officers, outbox, privacyRequests, rateLimits, satisfactionRatings, signInThrottle, statusLookups, statusRequests, volunteers, webchatSessions } = derivePgSchema(sqlite);
