// Synchronous SQLite reads and writes for contacts, identities, conversations and messages (used inside transactions).
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { attachments, contactIdentities, contacts, conversations, messages, type ConversationStatus } from '../db/schema.ts';
import type { FlowState, Json } from '../flows/types.ts';
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
      .where(
        and(
          eq(contactIdentities.channel, sql.placeholder('channel')),
          eq(contactIdentities.address, sql.placeholder('address')),
          eq(contactIdentities.unverified, sql.placeholder('unverified')),
        ),
      )
      .prepare(),
    identityById: db.select().from(contactIdentities).where(eq(contactIdentities.id, sql.placeholder('id'))).prepare(),
    contactById: db.select().from(contacts).where(eq(contacts.id, sql.placeholder('id'))).prepare(),
    latestConversation: db
      .select()
      .from(conversations)
      .where(eq(conversations.identityId, sql.placeholder('identityId')))
      .orderBy(desc(conversations.createdAt), desc(sql`rowid`))
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

  // Hot writes are prepared once: building a query per message cost more than running it. Update sets and the
  // nullable JSON columns take their values through `sql` placeholders (already in driver form: drizzle's JSON
  // encoder would store null as the text 'null').
  const ph = sql.placeholder;
  const asIs = (name: string) => sql`${ph(name)}`;
  const stmt = {
    insertMessage: db
      .insert(messages)
      .values({
        conversationId: ph('conversationId'),
        contactId: ph('contactId'),
        channel: ph('channel'),
        direction: ph('direction'),
        senderKind: ph('senderKind'),
        senderId: ph('senderId'),
        text: ph('text'),
        payload: asIs('payload'),
        externalId: ph('externalId'),
        deliveryStatus: ph('deliveryStatus'),
        raw: asIs('raw'),
        createdAt: ph('createdAt'),
      })
      .prepare(),
    saveFlow: db
      .update(conversations)
      .set({ flowState: asIs('flowState'), locale: asIs('locale'), lastMessageAt: asIs('now'), updatedAt: asIs('now') })
      .where(eq(conversations.id, ph('id')))
      .prepare(),
    saveConversation: db
      .update(conversations)
      .set({
        status: asIs('status'),
        flowState: asIs('flowState'),
        locale: asIs('locale'),
        assignedOfficerId: asIs('assignedOfficerId'),
        waitingSince: asIs('waitingSince'),
        closedAt: asIs('closedAt'),
        lastMessageAt: asIs('now'),
        updatedAt: asIs('now'),
      })
      .where(eq(conversations.id, ph('id')))
      .prepare(),
    touchIdentity: db
      .update(contactIdentities)
      .set({ lastInboundAt: asIs('now'), updatedAt: asIs('now'), displayName: sql`coalesce(${ph('displayName')}, ${contactIdentities.displayName})` })
      .where(eq(contactIdentities.id, ph('id')))
      .prepare(),
    linkAttachment: db
      .update(attachments)
      .set({ messageId: asIs('messageId'), conversationId: asIs('conversationId') })
      .where(and(eq(attachments.id, ph('id')), eq(attachments.contactId, ph('contactId'))))
      .prepare(),
    identitiesOf: db
      .select({ channel: contactIdentities.channel, address: contactIdentities.address, lastInboundAt: contactIdentities.lastInboundAt })
      .from(contactIdentities)
      .where(eq(contactIdentities.contactId, ph('contactId')))
      .prepare(),
    latestConversationOfContact: db
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.contactId, ph('contactId')))
      .orderBy(desc(sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`), desc(sql`rowid`))
      .limit(1)
      .prepare(),
    lastOutboundPayload: db
      .select({ payload: messages.payload })
      .from(messages)
      .where(and(eq(messages.conversationId, ph('conversationId')), eq(messages.direction, 'out')))
      .orderBy(desc(messages.id))
      .limit(1)
      .prepare(),
  };

  const provenPhone = (phone: string): ContactRow | undefined =>
    db.select().from(contacts).where(and(eq(contacts.phone, phone), eq(contacts.phoneVerified, true))).limit(1).get();

  return {
    findMessageByExternal(channel: string, externalId: string): number | undefined {
      return q.messageByExternal.get({ channel, externalId })?.id;
    },
    /** `unverified`: the identity of an address its sender only claimed, kept apart from the proven one. */
    findIdentity(channel: string, address: string, unverified = false): IdentityRow | undefined {
      return q.identityByAddress.get({ channel, address, unverified: unverified ? 1 : 0 });
    },
    getIdentity(id: string): IdentityRow | undefined {
      return q.identityById.get({ id });
    },
    getContact(id: string): ContactRow | undefined {
      return q.contactById.get({ id });
    },
    /**
     * The beneficiary a new identity with this number belongs to: the contact whose number a channel proved, else the
     * one staff registered from the person (a caller, a walk-in). Never a number only typed in a chat.
     */
    findContactByVerifiedPhone(phone: string): ContactRow | undefined {
      return provenPhone(phone) ?? db.select().from(contacts).where(and(eq(contacts.phone, phone), isNotNull(contacts.phoneRegisteredBy))).orderBy(asc(contacts.createdAt)).limit(1).get();
    },
    /** Only a contact whose number a channel proved. */
    findContactByProvenPhone: provenPhone,
    /**
     * A new identity: under `contactId` when given (the same beneficiary on another channel), else under a
     * new contact. `phone` must be a number the channel verified.
     */
    createContactWithIdentity(input: {
      channel: string;
      address: string;
      displayName?: string;
      phone?: string;
      locale: Locale;
      now: Date;
      contactId?: string;
      unverified?: boolean;
      /** Staff registered this number from the person (their officer id): the contact's phone, not proved. */
      registeredBy?: string;
      /** False for an identity nobody wrote from yet (a registered caller's SMS address). */
      inbound?: boolean;
    }): IdentityRow {
      const ts = isoNow(input.now);
      const contactId = input.contactId ?? randomUUID();
      if (!input.contactId) {
        db.insert(contacts)
          .values({
            id: contactId,
            displayName: input.displayName ?? null,
            phone: input.phone ?? null,
            phoneVerified: input.phone !== undefined && input.registeredBy === undefined,
            phoneRegisteredBy: input.registeredBy ?? null,
            locale: input.locale,
            createdAt: ts,
            updatedAt: ts,
          })
          .run();
      }
      const identity = {
        id: randomUUID(),
        contactId,
        channel: input.channel,
        address: input.address,
        displayName: input.displayName ?? null,
        lastInboundAt: input.inbound === false ? null : ts,
        unverified: input.unverified === true,
        createdAt: ts,
        updatedAt: ts,
      };
      db.insert(contactIdentities).values(identity).run();
      return identity;
    },
    touchIdentity(id: string, patch: { displayName?: string; now: Date }): void {
      stmt.touchIdentity.run({ id, now: isoNow(patch.now), displayName: patch.displayName ?? null });
    },
    updateContact(id: string, patch: Partial<Pick<ContactRow, 'locale' | 'phone' | 'phoneVerified' | 'nationalId' | 'displayName' | 'preferredChannel' | 'phoneRegisteredBy'>>, now: Date): void {
      db.update(contacts).set({ ...patch, updatedAt: isoNow(now) }).where(eq(contacts.id, id)).run();
    },
    /** Every channel address of one beneficiary, for notification routing. */
    identitiesOf(contactId: string): { channel: string; address: string; lastInboundAt: string | null }[] {
      return stmt.identitiesOf.all({ contactId });
    },
    /** The conversation a beneficiary used last (on any channel), where notifications are filed. */
    latestConversationOfContact(contactId: string): string | undefined {
      return stmt.latestConversationOfContact.get({ contactId })?.id;
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
    /** Save a conversation; `statusChanged` false writes only the flow state (no status index update). */
    saveConversation(c: ConversationRow, now: Date, statusChanged = true): void {
      if (!statusChanged) {
        stmt.saveFlow.run({ id: c.id, flowState: c.flowState === null ? null : JSON.stringify(c.flowState), locale: c.locale, now: isoNow(now) });
        return;
      }
      stmt.saveConversation.run({
        id: c.id,
        status: c.status,
        flowState: c.flowState === null ? null : JSON.stringify(c.flowState),
        locale: c.locale,
        assignedOfficerId: c.assignedOfficerId,
        waitingSince: c.waitingSince,
        closedAt: c.closedAt,
        now: isoNow(now),
      });
    },
    insertMessage(m: NewMessage): MessageRow {
      const row: MessageRow = {
        id: 0,
        conversationId: m.conversationId,
        contactId: m.contactId,
        channel: m.channel,
        direction: m.direction,
        senderKind: m.senderKind,
        senderId: m.senderId ?? null,
        text: m.text ?? '',
        payload: m.payload ?? null,
        externalId: m.externalId ?? null,
        deliveryStatus: m.deliveryStatus,
        raw: m.raw ?? null,
        createdAt: m.createdAt ?? new Date().toISOString(),
      };
      const result = stmt.insertMessage.run({
        ...row,
        payload: row.payload === null ? null : JSON.stringify(row.payload),
        raw: row.raw === null || row.raw === undefined ? null : JSON.stringify(row.raw),
      });
      row.id = Number(result.lastInsertRowid);
      return row;
    },
    /** Blanks what a message said (text, raw provider payload) and marks why: nothing personal before consent. */
    withholdMessage(row: MessageRow, text: string, mark: Record<string, Json>): void {
      row.text = text;
      row.payload = mark;
      row.raw = null;
      db.update(messages).set({ text, payload: mark, raw: null }).where(eq(messages.id, row.id)).run();
    },
    /** Ties an uploaded file to the message that carried it; only the uploader's own files can be linked. */
    linkAttachment(attachmentId: string, contactId: string, to: { messageId: number; conversationId: string }): void {
      stmt.linkAttachment.run({ messageId: to.messageId, conversationId: to.conversationId, id: attachmentId, contactId });
    },
    lastOutboundPayload(conversationId: string): unknown {
      return stmt.lastOutboundPayload.get({ conversationId })?.payload ?? null;
    },
    messagesForIdentity(identityId: string, after: number, limit: number): MessageRow[] {
      return q.messagesAfterForIdentity.all({ identityId, after, limit });
    },
  };
}

export type Repo = ReturnType<typeof createRepo>;
