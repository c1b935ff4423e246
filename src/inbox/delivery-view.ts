// What happened to outbound messages, from their outbox rows: per channel and address, in the order they were tried
// (a WhatsApp row «rerouted», then the SMS that carried it), and the dead letters with what officers need to judge them.
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactIdentities, contacts, conversations, messages, outbox } from '../db/schema.ts';
import { maskIdentifier } from '../core/mask.ts';

export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'rerouted';

export interface InboxDelivery {
  channel: string;
  /** Hidden but the last four characters. */
  address: string;
  status: DeliveryStatus;
  /** The provider's last error on this channel (also kept after a later success, for the record). */
  error: string | null;
  attempts: number;
  updatedAt: string;
}

export interface FailedDelivery {
  messageId: number;
  conversationId: string;
  channel: string;
  address: string;
  error: string | null;
  updatedAt: string;
  /** The start of the message, so the officer knows which one it was. */
  text: string;
  contactName: string | null;
}

interface OutboxPart {
  messageId: number;
  channel: string;
  address: string;
  status: string;
  attempts: number;
  error: string | null;
  updatedAt: string;
}

// A message split in parts is as far as its least-far part: one failed part means the message did not get there.
const RANK: Record<string, number> = { failed: 4, rerouted: 3, pending: 2, sent: 1 };
const PREVIEW = 140;

function status(value: string): DeliveryStatus {
  return value === 'sent' || value === 'failed' || value === 'rerouted' ? value : 'pending';
}

export function createDeliveryView(db: Db) {
  // json_each keeps one prepared statement whatever the number of messages (the history holds up to 2,000).
  const idsIn = (column: typeof outbox.messageId | typeof messages.id) => sql`${column} in (select value from json_each(${sql.placeholder('ids')}))`;
  const partsOf = db
    .select({
      messageId: outbox.messageId,
      channel: outbox.channel,
      address: outbox.address,
      status: outbox.status,
      attempts: outbox.attempts,
      error: outbox.lastError,
      updatedAt: outbox.updatedAt,
    })
    .from(outbox)
    .where(idsIn(outbox.messageId))
    .orderBy(asc(outbox.messageId), asc(outbox.id))
    .prepare();
  const failedFacts = db
    .select({
      id: messages.id,
      text: sql<string>`substr(${messages.text}, 1, ${PREVIEW})`,
      contactName: sql<string | null>`coalesce(${contacts.displayName}, ${contactIdentities.displayName})`,
    })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(contactIdentities, eq(contactIdentities.id, conversations.identityId))
    .where(idsIn(messages.id))
    .prepare();

  return {
    /** One entry per channel and address each outbound message was queued on, in the order they were tried. */
    byMessage(messageIds: readonly number[]): Map<number, InboxDelivery[]> {
      const out = new Map<number, InboxDelivery[]>();
      if (messageIds.length === 0) return out;
      const groups = new Map<number, Map<string, InboxDelivery & { rank: number }>>();
      for (const p of partsOf.all({ ids: JSON.stringify(messageIds) }) satisfies OutboxPart[]) {
        let byTarget = groups.get(p.messageId);
        if (!byTarget) groups.set(p.messageId, (byTarget = new Map()));
        const key = `${p.channel}\u0000${p.address}`;
        const rank = RANK[p.status] ?? 2;
        const seen = byTarget.get(key);
        if (!seen) {
          byTarget.set(key, { channel: p.channel, address: maskIdentifier(p.address), status: status(p.status), error: p.error, attempts: p.attempts, updatedAt: p.updatedAt, rank });
          continue;
        }
        seen.attempts = Math.max(seen.attempts, p.attempts);
        if (p.updatedAt > seen.updatedAt) seen.updatedAt = p.updatedAt;
        if (rank > seen.rank) Object.assign(seen, { status: status(p.status), rank, error: p.error ?? seen.error });
        else if (!seen.error && p.error) seen.error = p.error;
      }
      for (const [id, byTarget] of groups) out.set(id, [...byTarget.values()].map(({ rank: _rank, ...d }) => d));
      return out;
    },

    /** The dead letters with masked addresses, the start of each message and whose conversation it is. */
    failed(rows: readonly { messageId: number; conversationId: string; channel: string; address: string; error: string | null; updatedAt: string }[]): FailedDelivery[] {
      const facts = new Map(
        failedFacts.all({ ids: JSON.stringify(rows.map((r) => r.messageId)) }).map((f) => [f.id, f]),
      );
      return rows.map((r) => ({
        messageId: r.messageId,
        conversationId: r.conversationId,
        channel: r.channel,
        address: maskIdentifier(r.address),
        error: r.error,
        updatedAt: r.updatedAt,
        text: facts.get(r.messageId)?.text ?? '',
        contactName: facts.get(r.messageId)?.contactName ?? null,
      }));
    },
  };
}

export type DeliveryView = ReturnType<typeof createDeliveryView>;
