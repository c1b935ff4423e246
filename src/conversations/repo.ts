// Synchronous SQLite reads and writes for contacts, identities, conversations and messages (used inside transactions).
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactIdentities, contacts, conversations, messages, type ConversationStatus } from '../db/schema.ts';
import type { FlowState } from '../flows/types.ts';
import type { Locale } from '../core/messages.ts';

export type ContactRow = typeof contacts.$inferSelect;
export type IdentityRow = typeof contactIdentities.$inferSelect;
export type ConversationRow = Omit<typeof conversations.$inferSelect, 'flowState'> & { flowState: FlowState | null };
export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

export function isoNow(now: Date): string {
  return now.toISOString();
}

export function createRepo(db: Db) {
  const q = {
    messageByExternal: db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.channel, sql.placeholder('channel')), eq(messages.externalId, sql.placeholder('externalId'))))
      .prepare(),
    identityByAddress: db
      .select()
      .from(contactIdentities)
      .where(and(eq(contactIdentities.channel, sql.placeholder('channel')), eq(contactIdentities.address, sql.placeholder('address'))))
      .prepare(),
    identityById: db.select().from(contactIdentities).where(eq(contactIdentities.id, sql.placeholder('id'))).prepare(),
    contactById: db.select().from(contacts).where(eq(contacts.id, sql.placeholder('id'))).prepare(),
    latestConversation: db
      .select()
      .from(conversations)
      .where(eq(conversations.identityId, sql.placeholder('identityId')))
      .orderBy(desc(conversations.createdAt), desc(conversations.id))
      .limit(1)
      .prepare(),
    conversationById: db.select().from(conversations).where(eq(conversations.id, sql.placeholder('id'))).prepare(),
    messagesAfterForIdentity: db
      .select()
      .from(messages)
      .where(
        and(
          inArray(messages.conversationId, db.select({ id: conversations.id }).from(conversations).where(eq(conversations.identityId, sql.placeholder('identityId')))),
          gt(messages.id, sql.placeholder('after')),
        ),
      )
      .orderBy(asc(messages.id))
      .limit(sql.placeholder('limit'))
      .prepare(),
  };

  return {
    findMessageByExternal(channel: string, externalId: string): number | undefined {
      return q.messageByExternal.get({ channel, externalId })?.id;
    },
    findIdentity(channel: string, address: string): IdentityRow | undefined {
      return q.identityByAddress.get({ channel, address });
    },
    getIdentity(id: string): IdentityRow | undefined {
      return q.identityById.get({ id });
    },
    getContact(id: string): ContactRow | undefined {
      return q.contactById.get({ id });
    },
    createContactWithIdentity(input: { channel: string; address: string; displayName?: string; phone?: string; locale: Locale; now: Date }): IdentityRow {
      const ts = isoNow(input.now);
      const contactId = randomUUID();
      db.insert(contacts)
        .values({ id: contactId, displayName: input.displayName ?? null, phone: input.phone ?? null, locale: input.locale, createdAt: ts, updatedAt: ts })
        .run();
      const identity = {
        id: randomUUID(),
        contactId,
        channel: input.channel,
        address: input.address,
        displayName: input.displayName ?? null,
        lastInboundAt: null,
        createdAt: ts,
        updatedAt: ts,
      };
      db.insert(contactIdentities).values(identity).run();
      return identity;
    },
    touchIdentity(id: string, patch: { displayName?: string; now: Date }): void {
      const ts = isoNow(patch.now);
      db.update(contactIdentities)
        .set({ lastInboundAt: ts, updatedAt: ts, ...(patch.displayName ? { displayName: patch.displayName } : {}) })
        .where(eq(contactIdentities.id, id))
        .run();
    },
    updateContact(id: string, patch: Partial<Pick<ContactRow, 'locale' | 'phone' | 'nationalId' | 'displayName'>>, now: Date): void {
      db.update(contacts).set({ ...patch, updatedAt: isoNow(now) }).where(eq(contacts.id, id)).run();
    },
    latestConversation(identityId: string): ConversationRow | undefined {
      return q.latestConversation.get({ identityId }) as ConversationRow | undefined;
    },
    getConversation(id: string): ConversationRow | undefined {
      return q.conversationById.get({ id }) as ConversationRow | undefined;
    },
    createConversation(input: { identity: IdentityRow; locale: Locale; now: Date }): ConversationRow {
      const ts = isoNow(input.now);
      const row = {
        id: randomUUID(),
        contactId: input.identity.contactId,
        identityId: input.identity.id,
        channel: input.identity.channel,
        status: 'bot' as ConversationStatus,
        flowState: null,
        locale: input.locale,
        assignedOfficerId: null,
        waitingSince: null,
        lastMessageAt: ts,
        closedAt: null,
        createdAt: ts,
        updatedAt: ts,
      };
      db.insert(conversations).values(row).run();
      return row;
    },
    saveConversation(c: ConversationRow, now: Date): void {
      db.update(conversations)
        .set({
          status: c.status,
          flowState: c.flowState,
          locale: c.locale,
          assignedOfficerId: c.assignedOfficerId,
          waitingSince: c.waitingSince,
          closedAt: c.closedAt,
          lastMessageAt: isoNow(now),
          updatedAt: isoNow(now),
        })
        .where(eq(conversations.id, c.id))
        .run();
    },
    insertMessage(m: NewMessage): MessageRow {
      return db.insert(messages).values(m).returning().get();
    },
    messagesForIdentity(identityId: string, after: number, limit: number): MessageRow[] {
      return q.messagesAfterForIdentity.all({ identityId, after, limit });
    },
    /** Delivery status only moves forward (queued → sent → delivered → read); failed is final. */
    advanceDeliveryStatus(messageId: number, status: MessageRow['deliveryStatus']): void {
      const order = ['received', 'queued', 'sent', 'delivered', 'read'];
      const current = db.select({ s: messages.deliveryStatus }).from(messages).where(eq(messages.id, messageId)).get();
      if (!current || current.s === 'failed') return;
      if (status === 'failed' || order.indexOf(status) > order.indexOf(current.s)) {
        db.update(messages).set({ deliveryStatus: status }).where(eq(messages.id, messageId)).run();
      }
    },
  };
}

export type Repo = ReturnType<typeof createRepo>;
