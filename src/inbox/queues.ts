// The inbox queues (waiting oldest first, mine, open, closed) with keyset paging, search and the tab counts.
import type { Statement } from 'better-sqlite3';
import { AppError } from '../core/errors.ts';
import { maskIdentifier } from '../core/mask.ts';
import type { Db } from '../db/client.ts';
import { parseSearch, type SearchKey } from './search.ts';

export const QUEUES = ['waiting', 'mine', 'open', 'closed'] as const;
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

const ORDER: Record<InboxQueue, { where: string; key: string; dir: 'asc' | 'desc' }> = {
  waiting: { where: `c.status = 'waiting'`, key: `c.waiting_since`, dir: 'asc' },
  mine: { where: `c.status = 'officer' and c.assigned_officer_id = @me`, key: `coalesce(c.last_message_at, c.created_at)`, dir: 'desc' },
  open: { where: `c.status in ('bot', 'waiting', 'officer')`, key: `coalesce(c.last_message_at, c.created_at)`, dir: 'desc' },
  closed: { where: `c.status = 'closed'`, key: `coalesce(c.closed_at, c.updated_at)`, dir: 'desc' },
};

function listSql(queue: InboxQueue): string {
  const { where, key, dir } = ORDER[queue];
  return `
    select c.id, c.status, c.channel, c.contact_id as contactId, c.assigned_officer_id as assignedOfficerId, c.waiting_since as waitingSince,
      coalesce(ct.display_name, i.display_name) as displayName, ct.phone, ct.national_id as nationalId, o.display_name as officerName,
      lm.text as lastText, lm.direction as lastDirection, lm.created_at as lastAt, ${key} as sortKey,
      case when c.status in ('waiting', 'officer') then (
        select count(*) from messages u where u.conversation_id = c.id and u.direction = 'in' and u.created_at >= coalesce(c.waiting_since, '')
          and u.id > coalesce((select max(r.id) from messages r where r.conversation_id = c.id and r.sender_kind = 'officer'), 0)
      ) end as unread
    from conversations c
    join contacts ct on ct.id = c.contact_id
    join contact_identities i on i.id = c.identity_id
    left join officers o on o.id = c.assigned_officer_id
    left join messages lm on lm.id = (select max(m.id) from messages m where m.conversation_id = c.id)
    where ${where}
      and (@ids is null or c.contact_id in (select value from json_each(@ids)))
      and (@ck is null or (${key}, c.id) ${dir === 'asc' ? '>' : '<'} (@ck, @cid))
    order by ${key} ${dir}, c.id ${dir}
    limit @limit`;
}

// Each key resolves to contact ids; names go through inbox_fold (registered by createInboxQueries).
const SEARCH_SQL: Record<SearchKey['kind'], string> = {
  reference: `select contact_id as id from applications where reference = @value`,
  nationalId: `select id from contacts where national_id = @value union select contact_id from applications where national_id = @value`,
  mobile: `select id from contacts where phone = @value
    union select contact_id from contact_identities where address in (@value, substr(@value, 2), substr(@value, 2) || '@c.us')
    union select contact_id from applications where mobile = @value`,
  name: `select id from contacts where instr(inbox_fold(display_name), @value) > 0
    union select contact_id from contact_identities where instr(inbox_fold(display_name), @value) > 0
    union select contact_id from applications where instr(inbox_fold(applicant_name), @value) > 0`,
};

interface Row {
  id: string;
  status: ListItem['status'];
  channel: string;
  contactId: string;
  assignedOfficerId: string | null;
  waitingSince: string | null;
  displayName: string | null;
  phone: string | null;
  nationalId: string | null;
  officerName: string | null;
  lastText: string | null;
  lastDirection: 'in' | 'out' | null;
  lastAt: string | null;
  sortKey: string;
  unread: number | null;
}

const statements = new WeakMap<Db, { list: Map<InboxQueue, Statement>; search: Map<string, Statement>; counts: Statement }>();

function prepared(db: Db) {
  let s = statements.get(db);
  if (!s) {
    const raw = db.$client;
    s = {
      list: new Map(QUEUES.map((q) => [q, raw.prepare(listSql(q))])),
      search: new Map(Object.entries(SEARCH_SQL).map(([k, text]) => [k, raw.prepare(`${text} limit ${SEARCH_CONTACT_LIMIT}`)])),
      counts: raw.prepare(`select coalesce(sum(status = 'waiting'), 0) as waiting, coalesce(sum(status = 'officer' and assigned_officer_id = @me), 0) as mine, count(*) as open
        from conversations where status in ('bot', 'waiting', 'officer')`),
    };
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
  const counts = s.counts.get({ me: opts.officerId }) as ListPage['counts'];
  let ids: string | null = null;
  if (opts.q !== undefined && opts.q.trim() !== '') {
    const found = new Set<string>();
    for (const key of parseSearch(opts.q)) {
      const value = key.kind === 'reference' ? key.reference : key.kind === 'nationalId' ? key.digits : key.kind === 'mobile' ? key.e164 : key.folded;
      for (const row of (s.search.get(key.kind)?.all({ value }) ?? []) as { id: string }[]) found.add(row.id);
    }
    ids = JSON.stringify([...found]);
  }
  const [ck, cid] = opts.cursor ? decodeCursor(opts.cursor) : [null, null];
  const rows = s.list.get(opts.queue)?.all({ me: opts.officerId, ids, ck, cid, limit: opts.limit + 1 }) as Row[];
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toItem(r, opts.now)),
    counts,
    ...(rows.length > opts.limit && last ? { nextCursor: encodeCursor(last) } : {}),
  };
}
