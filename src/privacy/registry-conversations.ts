// Registry entries for the conversation side: contacts, identities, conversations, messages, the outbox, web chat.
import { eq, inArray } from 'drizzle-orm';
import { contactIdentities, contacts, conversationNotes, conversations, messages, nluMisses, officerWaits, outbox, satisfactionRatings, statusLookups, webchatSessions } from '../db/schema.ts';
import type { PersonalEntry } from './registry-types.ts';

const any = <T>(ids: T[]) => ids.length > 0;

export const conversationEntries: PersonalEntry[] = [
  {
    table: outbox,
    personal: true,
    // Transport copies of sent messages (rendered text and address): the messages themselves are exported.
    export: (db, s) => (any(s.messageIds) ? db.select({ id: outbox.id, messageId: outbox.messageId, channel: outbox.channel, status: outbox.status, createdAt: outbox.createdAt }).from(outbox).where(inArray(outbox.messageId, s.messageIds)).all() : []),
    erase: ({ db, subject: s }) => (any(s.messageIds) ? db.delete(outbox).where(inArray(outbox.messageId, s.messageIds)).run().changes : 0),
  },
  {
    table: webchatSessions,
    personal: true,
    export: (db, s) => (any(s.identityIds) ? db.select({ identityId: webchatSessions.identityId, createdAt: webchatSessions.createdAt, lastSeenAt: webchatSessions.lastSeenAt }).from(webchatSessions).where(inArray(webchatSessions.identityId, s.identityIds)).all() : []),
    // The old token then reads nothing: its session is gone.
    erase: ({ db, subject: s }) => (any(s.identityIds) ? db.delete(webchatSessions).where(inArray(webchatSessions.identityId, s.identityIds)).run().changes : 0),
  },
  {
    table: statusLookups,
    personal: true,
    export: (db, s) => (any(s.identityIds) ? db.select().from(statusLookups).where(inArray(statusLookups.key, s.identityIds.map((id) => `identity:${id}`))).all() : []),
    erase: ({ db, subject: s }) => (any(s.identityIds) ? db.delete(statusLookups).where(inArray(statusLookups.key, s.identityIds.map((id) => `identity:${id}`))).run().changes : 0),
  },
  {
    table: satisfactionRatings,
    personal: true,
    export: (db, s) => db.select().from(satisfactionRatings).where(eq(satisfactionRatings.contactId, s.contactId)).all(),
    erase: ({ db, subject: s }) => db.update(satisfactionRatings).set({ comment: null }).where(eq(satisfactionRatings.contactId, s.contactId)).run().changes,
  },
  {
    table: officerWaits,
    personal: true,
    // When they asked for an officer and when one answered: exported; kept at erasure (times only, nothing identifying)
    // so the reports' waits stay whole; deleted with the conversation by the retention purge.
    export: (db, s) => (any(s.conversationIds) ? db.select().from(officerWaits).where(inArray(officerWaits.conversationId, s.conversationIds)).all() : []),
    erase: () => 0,
  },
  {
    table: conversationNotes,
    personal: true,
    export: (db, s) => (any(s.conversationIds) ? db.select().from(conversationNotes).where(inArray(conversationNotes.conversationId, s.conversationIds)).all() : []),
    erase: ({ db, subject: s, placeholder }) => (any(s.conversationIds) ? db.update(conversationNotes).set({ text: placeholder }).where(inArray(conversationNotes.conversationId, s.conversationIds)).run().changes : 0),
  },
  {
    table: nluMisses,
    personal: true,
    export: (db, s) => (any(s.conversationIds) ? db.select().from(nluMisses).where(inArray(nluMisses.conversationId, s.conversationIds)).all() : []),
    erase: ({ db, subject: s }) => (any(s.conversationIds) ? db.delete(nluMisses).where(inArray(nluMisses.conversationId, s.conversationIds)).run().changes : 0),
  },
  {
    table: messages,
    personal: true,
    export: (db, s) => db.select().from(messages).where(eq(messages.contactId, s.contactId)).orderBy(messages.id).all(),
    // Texts become the placeholder so counts stay right; provider ids become one-way stand-ins (a replay is still a duplicate).
    erase: ({ db, subject: s, placeholder, pseudonym }) => {
      const withExternal = db.select({ id: messages.id, channel: messages.channel, externalId: messages.externalId }).from(messages).where(eq(messages.contactId, s.contactId)).all();
      for (const m of withExternal) {
        if (m.externalId === null || m.externalId.startsWith('erased:')) continue;
        db.update(messages).set({ externalId: pseudonym('message', `${m.channel}:${m.externalId}`) }).where(eq(messages.id, m.id)).run();
      }
      return db.update(messages).set({ text: placeholder, payload: null, raw: null, senderId: null }).where(eq(messages.contactId, s.contactId)).run().changes;
    },
  },
  {
    table: conversations,
    personal: true,
    export: (db, s) => db.select().from(conversations).where(eq(conversations.contactId, s.contactId)).all(),
    // The flow state holds the answers typed so far.
    erase: ({ db, subject: s }) => db.update(conversations).set({ flowState: null }).where(eq(conversations.contactId, s.contactId)).run().changes,
  },
  {
    table: contactIdentities,
    personal: true,
    export: (db, s) => db.select().from(contactIdentities).where(eq(contactIdentities.contactId, s.contactId)).all(),
    erase: ({ db, subject: s, pseudonym, now }) => {
      const rows = db.select().from(contactIdentities).where(eq(contactIdentities.contactId, s.contactId)).all();
      for (const r of rows) {
        if (r.address.startsWith('erased:')) continue;
        // The id suffix keeps the unique (channel, address) index apart when the same sender is erased twice.
        const address = `${pseudonym('identity', `${r.channel}:${r.address}`)}.${r.id.slice(0, 8)}`;
        db.update(contactIdentities).set({ address, displayName: null, updatedAt: now }).where(eq(contactIdentities.id, r.id)).run();
      }
      return rows.length;
    },
  },
  {
    table: contacts,
    personal: true,
    export: (db, s) => db.select().from(contacts).where(eq(contacts.id, s.contactId)).all(),
    erase: ({ db, subject: s, now }) =>
      db.update(contacts).set({ displayName: null, phone: null, phoneVerified: false, nationalId: null, phoneRegisteredBy: null, preferredChannel: null, updatedAt: now }).where(eq(contacts.id, s.contactId)).run().changes,
  },
];
