// The inbox queues (waiting oldest first, mine, open, closed) with keyset paging, search and the tab counts.
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias, union, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { AppError } from '../core/errors.ts';
import { maskIdentifier } from '../core/mask.ts';
import type { Db } from '../db/client.ts';
import { applications, contactIdentities, contacts, conversations, messages, officers } from '../db/schema.ts';
import { parseSearch, type SearchKey } from './search.ts';

import { QUEUES } from '../api/inbox.ts';

export { QUEUES };
export type InboxQueue = (typeof QUEUES)[number];

export interface ListOptions {
  queue: InboxQueue;
  officerId: string;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
  now: Date;
}

export interface ListItem {
  id: string;
  status: 'bot' | 'waiting' | 'officer' | 'closed';
  channel: string;
  /** `phone` and `nationalId` masked: «********4567». */
  contact: { id: string; displayName: string | null; phone?: string; nationalId?: string };
  assignedOfficer?: { id: string; displayName: string };
  waitingSince?: string;
  waitingSeconds?: number;
  lastMessage: { text: string; direction: 'in' | 'out'; createdAt: string } | null;
  /** Beneficiary messages since they asked for an officer and since the last officer reply (waiting/officer only). */
  unread?: number;
}

export interface ListPage {
  items: ListItem[];
  counts: { waiting: number; mine: number; open: number };
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** Contacts a search may match; a broader query should be narrowed, not paged through. */
export const SEARCH_CONTACT_LIMIT = 1000;

const active = inArray(conversations.status, ['bot', 'waiting', 'officer']);
const recent = sql<string>`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`;
const ORDER: Record<InboxQueue, { where: SQL; key: SQL<string> | typeof conversations.waitingSince; dir: 'asc' | 'desc' }> = {
  waiting: { where: eq(conversations.status, 'waiting'), key: conversations.waitingSince, dir: 'asc' },
  mine: { where: and(eq(conversations.status, 'officer'), eq(conversations.assignedOfficerId, sql.placeholder('me'))) as SQL, key: recent, dir: 'desc' },
  open: { where: active, key: recent, dir: 'desc' },
  closed: { where: eq(conversations.status, 'closed'), key: sql<string>`coalesce(${conversations.closedAt}, ${conversations.updatedAt})`, dir: 'desc' },
};

// Subqueries name their own copy of messages (in sql templates an alias renders as its name only).
const unreadMsg = alias(messages, 'u');
const officerReply = alias(messages, 'r');
const newest = alias(messages, 'm');
const lastMessage = alias(messages, 'lm');

function listQuery(db: Db, queue: InboxQueue) {
  const { where, key, dir } = ORDER[queue];
  const ph = sql.placeholder;
  // Beneficiary messages since they asked for an officer and since the last officer reply.
  const unread = sql<number | null>`case when ${conversations.status} in ('waiting', 'officer') then (
    select count(*) from ${messages} ${sql.identifier('u')} where ${unreadMsg.conversationId} = ${conversations.id} and ${unreadMsg.direction} = 'in'
      and ${unreadMsg.createdAt} >= coalesce(${conversations.waitingSince}, '')
      and ${unreadMsg.id} > coalesce((select max(${officerReply.id}) from ${messages} ${sql.identifier('r')} where ${officerReply.conversationId} = ${conversations.id} and ${officerReply.senderKind} = 'officer'), 0)
  ) end`;
  const after = dir === 'asc' ? sql`>` : sql`<`;
  const order = dir === 'asc' ? [asc(key), asc(conversations.id)] : [desc(key), desc(conversations.id)];
  return db
    .select({
      id: conversations.id,
      status: conversations.status,
      channel: conversations.channel,
      contactId: conversations.contactId,
      assignedOfficerId: conversations.assignedOfficerId,
      waitingSince: conversations.waitingSince,
      displayName: sql<string | null>`coalesce(${contacts.displayName}, ${contactIdentities.displayName})`,
      phone: contacts.phone,
      nationalId: contacts.nationalId,
      officerName: officers.displayName,
      lastText: lastMessage.text,
      lastDirection: lastMessage.direction,
      lastAt: lastMessage.createdAt,
      sortKey: sql<string>`${key}`,
      unread,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(contactIdentities, eq(contactIdentities.id, conversations.identityId))
    .leftJoin(officers, eq(officers.id, conversations.assignedOfficerId))
    .leftJoin(lastMessage, eq(lastMessage.id, sql`(select max(${newest.id}) from ${messages} ${sql.identifier('m')} where ${newest.conversationId} = ${conversations.id})`))
    .where(
      and(
        where,
        sql`(${ph('ids')} is null or ${conversations.contactId} in (select value from json_each(${ph('ids')})))`,
        sql`(${ph('ck')} is null or (${key}, ${conversations.id}) ${after} (${ph('ck')}, ${ph('cid')}))`,
      ),
    )
    .orderBy(...order)
    .limit(ph('limit'))
    .prepare();
}

/** Contact ids one search key finds; names are compared folded, through inbox_fold (registered by createInboxQueries). */
function searchContacts(db: Db, key: SearchKey): string[] {
  const fold = (column: AnySQLiteColumn) => sql`instr(inbox_fold(${column}), ${key.kind === 'name' ? key.folded : ''}) > 0`;
  const ids = (() => {
    switch (key.kind) {
      case 'reference':
        return db.select({ id: applications.contactId }).from(applications).where(eq(applications.reference, key.reference));
      case 'nationalId':
        return union(
          db.select({ id: contacts.id }).from(contacts).where(eq(contacts.nationalId, key.digits)),
          db.select({ id: applications.contactId }).from(applications).where(eq(applications.nationalId, key.digits)),
        );
      case 'mobile': {
        // Identities keep the number as the channel writes it: 9665…, or 9665…@c.us for WhatsApp Web.
        const bare = key.e164.slice(1);
        return union(
          db.select({ id: contacts.id }).from(contacts).where(eq(contacts.phone, key.e164)),
          db.select({ id: contactIdentities.contactId }).from(contactIdentities).where(inArray(contactIdentities.address, [key.e164, bare, `${bare}@c.us`])),
          db.select({ id: applications.contactId }).from(applications).where(eq(applications.mobile, key.e164)),
        );
      }
      case 'name':
        return union(
          db.select({ id: contacts.id }).from(contacts).where(fold(contacts.displayName)),
          db.select({ id: contactIdentities.contactId }).from(contactIdentities).where(fold(contactIdentities.displayName)),
          db.select({ id: applications.contactId }).from(applications).where(fold(applications.applicantName)),
        );
    }
  })();
  return ids
    .limit(SEARCH_CONTACT_LIMIT)
    .all()
    .map((r) => r.id);
}

type Row = ReturnType<ReturnType<typeof listQuery>['all']>[number];

const statements = new WeakMap<Db, { list: Map<InboxQueue, ReturnType<typeof listQuery>>; counts: ReturnType<typeof countsQuery> }>();

function countsQuery(db: Db) {
  return db
    .select({
      waiting: sql<number>`coalesce(sum(${conversations.status} = 'waiting'), 0)`,
      mine: sql<number>`coalesce(sum(${conversations.status} = 'officer' and ${conversations.assignedOfficerId} = ${sql.placeholder('me')}), 0)`,
      open: sql<number>`count(*)`,
    })
    .from(conversations)
    .where(active)
    .prepare();
}

function prepared(db: Db) {
  let s = statements.get(db);
  if (!s) {
    s = { list: new Map(QUEUES.map((q) => [q, listQuery(db, q)])), counts: countsQuery(db) };
    statements.set(db, s);
  }
  return s;
}

function encodeCursor(row: Row): string {
  return Buffer.from(JSON.stringify([row.sortKey, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // Fall through to the one error below.
  }
  throw new AppError('ERR_VALIDATION', 'cursor: not a cursor this inbox gave out');
}

function toItem(r: Row, now: Date): ListItem {
  return {
    id: r.id,
    status: r.status,
    channel: r.channel,
    // Lists carry only the last four characters of the mobile and the ID (the conversation view, audited, has them whole).
    contact: { id: r.contactId, displayName: r.displayName, ...(r.phone ? { phone: maskIdentifier(r.phone) } : {}), ...(r.nationalId ? { nationalId: maskIdentifier(r.nationalId) } : {}) },
    ...(r.assignedOfficerId ? { assignedOfficer: { id: r.assignedOfficerId, displayName: r.officerName ?? r.assignedOfficerId } } : {}),
    ...(r.waitingSince && (r.status === 'waiting' || r.status === 'officer') ? { waitingSince: r.waitingSince } : {}),
    ...(r.waitingSince && r.status === 'waiting' ? { waitingSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(r.waitingSince)) / 1000)) } : {}),
    lastMessage: r.lastAt !== null && r.lastDirection !== null ? { text: r.lastText ?? '', direction: r.lastDirection, createdAt: r.lastAt } : null,
    ...(r.unread !== null ? { unread: r.unread } : {}),
  };
}

export function listConversations(db: Db, opts: ListOptions): ListPage {
  const s = prepared(db);
  const counts = s.counts.get({ me: opts.officerId }) ?? { waiting: 0, mine: 0, open: 0 };
  let ids: string | null = null;
  if (opts.q !== undefined && opts.q.trim() !== '') {
    const found = new Set<string>();
    for (const key of parseSearch(opts.q)) for (const id of searchContacts(db, key)) found.add(id);
    ids = JSON.stringify([...found]);
  }
  const [ck, cid] = opts.cursor ? decodeCursor(opts.cursor) : [null, null];
  const rows = s.list.get(opts.queue)?.all({ me: opts.officerId, ids, ck, cid, limit: opts.limit + 1 }) ?? [];
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toItem(r, opts.now)),
    counts,
    ...(rows.length > opts.limit && last ? { nextCursor: encodeCursor(last) } : {}),
  };
}
