// Writes rendered parts to the outbox inside the caller's transaction; the worker sends them later.
import { and, asc, desc, eq, getTableName, gt, inArray, isNotNull, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactIdentities, messages, outbox } from '../db/schema.ts';
import type { DeliveryUpdate } from '../core/channel.ts';
import type { OutboundMessage } from '../core/messages.ts';

/** A pending part as the worker schedules it; the body is read only when it is actually sent. */
export type OutboxRow = Pick<typeof outbox.$inferSelect, 'id' | 'messageId' | 'part' | 'channel' | 'address' | 'attempts' | 'createdAt'>;

/** A channel to try when the one before it refuses the message for good, with the parts rendered for it. */
export interface Fallback {
  channel: string;
  address: string;
  parts: OutboundMessage[];
}

/**
 * Our reference for a row, the same on every attempt: the id plus its creation time, so a database started
 * afresh never reuses a reference a provider (or a mail client de-duplicating Message-IDs) has already seen.
 */
export function outboxReference(row: Pick<OutboxRow, 'id' | 'createdAt'>): string {
  return `tw${row.id}-${Date.parse(row.createdAt).toString(36)}`;
}

function parseReference(ref: string): { id: number; stamp: string } | undefined {
  const m = /^tw(\d{1,15})-([0-9a-z]{1,12})$/.exec(ref);
  return m?.[1] && m[2] ? { id: Number(m[1]), stamp: m[2] } : undefined;
}

export function createOutbox(db: Db) {
  // The worker runs these for every message part: statements prepared once. Update sets and the nullable JSON
  // column take `sql` placeholders in driver form (drizzle's JSON encoder would store null as the text 'null').
  const ph = sql.placeholder;
  const v = (name: string) => sql`${ph(name)}`;
  // INDEXED BY: walking one channel's pending rows in due order; SQLite would otherwise walk every row ever sent.
  // Drizzle has no index hints, so these queries read from an `sql` source and name their columns directly.
  const byDue = sql`${outbox} indexed by ${sql.identifier('outbox_channel_due')}`;
  // Written out, not bound: SQLite uses a partial index only when the query repeats its condition literally.
  const isPending = sql`${outbox.status} = 'pending'`;
  const col = <T>(column: { name: string }) => sql<T>`${sql.identifier(getTableName(outbox))}.${sql.identifier(column.name)}`;
  const rowFields = {
    id: col<number>(outbox.id),
    messageId: col<number>(outbox.messageId),
    part: col<number>(outbox.part),
    channel: col<string>(outbox.channel),
    address: col<string>(outbox.address),
    attempts: col<number>(outbox.attempts),
    createdAt: col<string>(outbox.createdAt),
  };
  const stmt = {
    due: db
      .select(rowFields)
      .from(byDue)
      .where(and(eq(outbox.channel, ph('channel')), isPending, lte(outbox.nextAttemptAt, ph('now'))))
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
      .limit(ph('limit'))
      .prepare(),
    body: db.select({ body: outbox.body }).from(outbox).where(eq(outbox.id, ph('id'))).prepare(),
    failedList: db
      .select({
        messageId: outbox.messageId,
        conversationId: messages.conversationId,
        channel: outbox.channel,
        address: outbox.address,
        error: outbox.lastError,
        updatedAt: sql<string>`max(${outbox.updatedAt})`.as('updatedAt'),
      })
      .from(outbox)
      .innerJoin(messages, eq(messages.id, outbox.messageId))
      .where(eq(outbox.status, 'failed'))
      .groupBy(outbox.messageId)
      .orderBy(desc(sql`updatedAt`))
      .limit(ph('limit'))
      .prepare(),
    requeue: db
      .update(outbox)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: v('now'), updatedAt: v('now') })
      .where(and(eq(outbox.messageId, ph('messageId')), eq(outbox.status, 'failed')))
      .prepare(),
    byExternal: db
      .select({ id: outbox.id, messageId: outbox.messageId })
      .from(outbox)
      .where(and(eq(outbox.channel, ph('channel')), eq(outbox.externalId, ph('externalId'))))
      .prepare(),
    rowError: db.update(outbox).set({ lastError: v('error'), updatedAt: v('now') }).where(eq(outbox.id, ph('id'))).prepare(),
    lastInbound: db
      .select({ at: contactIdentities.lastInboundAt })
      .from(contactIdentities)
      .where(and(eq(contactIdentities.channel, ph('channel')), eq(contactIdentities.address, ph('address'))))
      .prepare(),
    enqueue: db
      .insert(outbox)
      .values({
        messageId: ph('messageId'),
        part: ph('part'),
        channel: ph('channel'),
        address: ph('address'),
        body: ph('body'),
        nextAttemptAt: ph('due'),
        createdAt: ph('now'),
        updatedAt: ph('now'),
        fallbacks: v('fallbacks'),
      })
      .prepare(),
    sent: db
      .update(outbox)
      .set({ status: 'sent', attempts: sql`${outbox.attempts} + 1`, externalId: v('externalId'), lastError: null, claimedAt: null, updatedAt: v('now') })
      .where(eq(outbox.id, ph('id')))
      .prepare(),
    // The latest time a pending row to this recipient is due: a new message is never due before it.
    queueEnd: db
      .select({ end: sql<string | null>`max(${outbox.nextAttemptAt})` })
      .from(sql`${outbox} indexed by ${sql.identifier('outbox_recipient_pending')}`)
      .where(and(eq(outbox.channel, ph('channel')), eq(outbox.address, ph('address')), isPending))
      .prepare(),
    claim: db
      .update(outbox)
      .set({ claimedAt: v('now') })
      .where(and(eq(outbox.id, ph('id')), eq(outbox.status, 'pending')))
      .prepare(),
    inDoubt: db
      .select({ ...rowFields, claimedAt: col<string | null>(outbox.claimedAt) })
      .from(byDue)
      .where(and(isPending, isNotNull(outbox.claimedAt)))
      .prepare(),
    defer: db.update(outbox).set({ nextAttemptAt: v('due'), updatedAt: v('now') }).where(eq(outbox.id, ph('id'))).prepare(),
    unclaim: db.update(outbox).set({ claimedAt: null }).where(eq(outbox.id, ph('id'))).prepare(),
    claimedById: db
      .select({ id: outbox.id, messageId: outbox.messageId, createdAt: outbox.createdAt })
      .from(outbox)
      .where(and(eq(outbox.id, ph('id')), eq(outbox.channel, ph('channel')), eq(outbox.status, 'pending'), isNotNull(outbox.claimedAt)))
      .prepare(),
    usedFallbacks: db
      .update(outbox)
      .set({ fallbacks: null })
      .where(and(eq(outbox.messageId, ph('messageId')), eq(outbox.channel, ph('channel')), eq(outbox.address, ph('address'))))
      .prepare(),
    latestFallbacks: db
      .select({ fallbacks: outbox.fallbacks })
      .from(outbox)
      .where(and(eq(outbox.messageId, ph('messageId')), isNotNull(outbox.fallbacks)))
      .orderBy(desc(outbox.id))
      .limit(1)
      .prepare(),
    reroute: db
      .update(outbox)
      .set({ status: 'rerouted', lastError: sql`coalesce(${ph('error')}, ${outbox.lastError})`, claimedAt: null, updatedAt: v('now') })
      .where(
        and(
          eq(outbox.messageId, ph('messageId')),
          eq(outbox.channel, ph('channel')),
          eq(outbox.address, ph('address')),
          inArray(outbox.status, ['pending', 'failed']),
        ),
      )
      .prepare(),
    pendingParts: db
      .select({ n: sql<number>`count(*)` })
      .from(outbox)
      .where(and(eq(outbox.messageId, ph('messageId')), eq(outbox.status, 'pending')))
      .prepare(),
    status: db.select({ status: messages.deliveryStatus }).from(messages).where(eq(messages.id, ph('id'))).prepare(),
    setStatus: db.update(messages).set({ deliveryStatus: v('status') }).where(eq(messages.id, ph('id'))).prepare(),
  };
  const pending = (messageId: number) => stmt.pendingParts.get({ messageId })?.n ?? 0;
  const statusOf = (id: number) => stmt.status.get({ id })?.status;
  const deliveryOrder = ['received', 'queued', 'sent', 'delivered', 'read'];

  /** Now, or later when an earlier message to this recipient is still backing off (messages never overtake). */
  function dueAfterQueue(channel: string, address: string, now: string): string {
    const end = stmt.queueEnd.get({ channel, address })?.end;
    return end && end > now ? end : now;
  }

  /** Delivery status only moves forward (queued → sent → delivered → read); failed is final. */
  function advanceMessage(messageId: number, status: (typeof messages.$inferSelect)['deliveryStatus']): void {
    const current = statusOf(messageId);
    if (current === undefined || current === 'failed') return;
    if (status === 'failed' || deliveryOrder.indexOf(status) > deliveryOrder.indexOf(current)) stmt.setStatus.run({ status, id: messageId });
  }
  // Many sends are recorded in one transaction: a commit per sent part cost more than the send itself.
  const markSentTx = (items: { row: OutboxRow; externalId: string | undefined }[], ts: string) =>
    db.transaction(() => {
      for (const { row, externalId } of items) stmt.sent.run({ externalId: externalId ?? null, now: ts, id: row.id });
      for (const { row } of items) if (pending(row.messageId) === 0) advanceMessage(row.messageId, 'sent');
    });

  return {
    /** Call inside the transaction that stored the message, so a crash never leaves one without the other. */
    enqueue(input: { messageId: number; channel: string; address: string; parts: OutboundMessage[]; now: Date; fallbacks?: readonly Fallback[] }): void {
      const ts = input.now.toISOString();
      const due = dueAfterQueue(input.channel, input.address, ts);
      const fallbacks = input.fallbacks && input.fallbacks.length > 0 ? JSON.stringify(input.fallbacks) : null;
      input.parts.forEach((body, part) => {
        stmt.enqueue.run({ messageId: input.messageId, part, channel: input.channel, address: input.address, body, due, now: ts, fallbacks: part === 0 ? fallbacks : null });
      });
    },
    /**
     * This channel refused the message for good: when a fallback is left, its parts are queued now and the
     * refused rows become `rerouted` (officers see both); returns where it went, or undefined (no fallback left).
     */
    reroute(row: OutboxRow, error: string, now: Date): { channel: string; address: string } | undefined {
      return db.transaction(() => {
        const list = (stmt.latestFallbacks.get({ messageId: row.messageId })?.fallbacks ?? []) as Fallback[];
        // Only fallbacks queued with this channel's rows apply; a later group's list was already used.
        const [next, ...rest] = list;
        if (!next || (next.channel === row.channel && next.address === row.address)) return undefined;
        const ts = now.toISOString();
        stmt.reroute.run({ error, now: ts, messageId: row.messageId, channel: row.channel, address: row.address });
        const restJson = rest.length > 0 ? JSON.stringify(rest) : null;
        const due = dueAfterQueue(next.channel, next.address, ts);
        // Clear the list on the rows that used it, so the next refusal reads the next group's list.
        stmt.usedFallbacks.run({ messageId: row.messageId, channel: row.channel, address: row.address });
        next.parts.forEach((body, part) => {
          stmt.enqueue.run({ messageId: row.messageId, part, channel: next.channel, address: next.address, body, due, now: ts, fallbacks: part === 0 ? restJson : null });
        });
        return { channel: next.channel, address: next.address };
      });
    },
    /** Just before a send whose provider echoes our reference: committed, so a crash leaves the row in doubt. */
    claim(ids: readonly number[], now: Date): void {
      if (ids.length === 0) return;
      const ts = now.toISOString();
      db.transaction(() => {
        for (const id of ids) stmt.claim.run({ now: ts, id });
      });
    },
    /**
     * After a restart: rows claimed but never recorded. `deferMs(channel)` says how long to wait for the
     * provider's report carrying our reference before sending again (0: send again now). Returns how many.
     */
    recoverInDoubt(deferMs: (channel: string) => number, now: Date): number {
      const rows = stmt.inDoubt.all();
      db.transaction(() => {
        for (const row of rows) {
          const wait = deferMs(row.channel);
          if (wait > 0) stmt.defer.run({ due: new Date(Math.max(now.getTime(), Date.parse(row.claimedAt ?? '')) + wait).toISOString(), now: now.toISOString(), id: row.id });
          else stmt.unclaim.run({ id: row.id });
        }
      });
      return rows.length;
    },
    /**
     * Provider delivery reports: each moves its message's status forward only (sent → delivered → read);
     * `failed` is final. Reports for ids we never sent are ignored. Returns the message ids that changed.
     */
    applyDeliveryUpdates(channel: string, updates: readonly DeliveryUpdate[], now: Date): number[] {
      const changed: number[] = [];
      db.transaction(() => {
        for (const u of updates) {
          // Texts combined into one send (SMS) share its id: the report is about each of them.
          const rows = stmt.byExternal.all({ channel, externalId: u.externalId });
          let row = rows[0];
          if (!row && u.reference) {
            // A send whose commit was lost (a crash, or the report beat our bookkeeping): the provider has it.
            const ref = parseReference(u.reference);
            const claimed = ref && stmt.claimedById.get({ id: ref.id, channel });
            if (claimed && outboxReference(claimed) === u.reference) {
              stmt.sent.run({ externalId: u.externalId, now: now.toISOString(), id: claimed.id });
              if (pending(claimed.messageId) === 0) advanceMessage(claimed.messageId, 'sent');
              row = claimed;
            }
          }
          if (!row) continue;
          for (const r of rows.length > 0 ? rows : [row]) {
            const before = statusOf(r.messageId);
            advanceMessage(r.messageId, u.status);
            if (u.status === 'failed' && u.error) stmt.rowError.run({ error: u.error, now: now.toISOString(), id: r.id });
            if (statusOf(r.messageId) !== before) changed.push(r.messageId);
          }
        }
      });
      return changed;
    },
    /**
     * Dead letters: failed messages, newest first, for officers to see and retry.
     */
    failed(limit: number): { messageId: number; conversationId: string; channel: string; address: string; error: string | null; updatedAt: string }[] {
      return stmt.failedList.all({ limit });
    },
    /** An officer's retry of a failed message: its failed parts go back to the queue now. Returns how many. */
    retryFailed(messageId: number, now: Date): number {
      return db.transaction(() => {
        const n = stmt.requeue.run({ now: now.toISOString(), messageId }).changes;
        if (n > 0) stmt.setStatus.run({ status: 'queued', id: messageId });
        return n;
      });
    },
    /** When this address last wrote to us on this channel (ISO), for reply windows. */
    lastInboundAt(channel: string, address: string): string | undefined {
      return stmt.lastInbound.get({ channel, address })?.at ?? undefined;
    },
    /** One channel's due rows, in due order (a recipient's rows never overtake each other: enqueue and retries keep them in order). */
    due(channel: string, now: Date, limit: number): OutboxRow[] {
      return stmt.due.all({ channel, now: now.toISOString(), limit });
    },
    body(id: number): OutboundMessage {
      return stmt.body.get({ id })?.body as OutboundMessage;
    },
    markSent(row: OutboxRow, externalId: string | undefined, now: Date): void {
      markSentTx([{ row, externalId }], now.toISOString());
    },
    markSentMany(items: { row: OutboxRow; externalId: string | undefined }[], now: Date): void {
      if (items.length > 0) markSentTx(items, now.toISOString());
    },
    markRetry(row: OutboxRow, error: string, nextAttemptAt: Date, now: Date, counts = true): void {
      const next = nextAttemptAt.toISOString();
      db.transaction(() => {
        db.update(outbox)
          .set({ attempts: counts ? row.attempts + 1 : row.attempts, lastError: error, nextAttemptAt: next, claimedAt: null, updatedAt: now.toISOString() })
          .where(eq(outbox.id, row.id))
          .run();
        // Later rows to the same recipient wait too, so messages never arrive out of order.
        db.update(outbox)
          .set({ nextAttemptAt: next })
          .where(
            and(
              eq(outbox.channel, row.channel),
              eq(outbox.address, row.address),
              eq(outbox.status, 'pending'),
              gt(outbox.id, row.id),
              lt(outbox.nextAttemptAt, next),
            ),
          )
          .run();
      });
    },
    markFailed(row: OutboxRow, error: string, now: Date): void {
      db.transaction(() => {
        db.update(outbox)
          .set({ status: 'failed', attempts: row.attempts + 1, lastError: error, claimedAt: null, updatedAt: now.toISOString() })
          .where(eq(outbox.id, row.id))
          .run();
        // The rest of the message waits with it, so an officer's retry sends every part, in order.
        db.update(outbox)
          .set({ status: 'failed', lastError: 'not sent: an earlier part of this message failed', updatedAt: now.toISOString() })
          .where(and(eq(outbox.messageId, row.messageId), eq(outbox.channel, row.channel), eq(outbox.address, row.address), eq(outbox.status, 'pending'), gt(outbox.id, row.id)))
          .run();
        advanceMessage(row.messageId, 'failed');
      });
    },
    pendingCount(): number {
      return db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.status, 'pending')).get()?.n ?? 0;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
