// Reads the server's JSON into the inbox's types. Field spellings live here only, so an API change is one edit.
import type { ChecklistItem } from '../../../src/api/applications.ts';
import type { libraryRoutes } from '../../../src/api/library.ts';
import type { z } from 'zod';
import {
  ROLES,
  type AdminOfficer,
  type ApplicationDetail,
  type ApplicationSummary,
  type Attachment,
  type AuditEntry,
  type CannedReply,
  type ChannelInfo,
  type Delivery,
  type FailedMessage,
  type ContactApplication,
  type ContactSummary,
  type ConversationDetail,
  type ConversationSummary,
  type Counts,
  type Interaction,
  type KnowledgeArticle,
  type Message,
  type Note,
  type Officer,
  type PersonRef,
  type Report,
  type Role,
  type Sender,
  type Session,
  type TotpEnrolment,
} from './types.ts';

type Raw = Record<string, unknown>;

export const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
export const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : d);
const opt = (v: unknown): string | undefined => (str(v) === '' ? undefined : str(v));
export const num = (v: unknown, d = 0): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : d;
};
const optNum = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number.isFinite(num(v, NaN)) ? num(v) : null);
/** The first key present (not undefined/null) on `o`: the spellings the backend may use for one field. */
const pick = (o: Raw, ...keys: string[]): unknown => {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
};
/** A list given bare or wrapped in an object under one of `keys`. */
export const list = (v: unknown, ...keys: string[]): unknown[] => (Array.isArray(v) ? v : (pick(obj(v), ...keys) as unknown[] | undefined) ?? []).filter((x) => x && typeof x === 'object');
const oneOf = <T extends string>(v: unknown, allowed: readonly T[], d: T): T => (allowed.includes(v as T) ? (v as T) : d);

/** `{id, displayName}` from a nested object, or from flat `<prefix>Id` / `<prefix>Name` fields. */
function person(o: Raw, key: string): PersonRef | undefined {
  const n = obj(o[key]);
  const id = str(pick(n, 'id') ?? o[`${key}Id`]);
  const name = str(pick(n, 'displayName', 'name') ?? o[`${key}Name`]);
  return id || name ? { id, displayName: name || id } : undefined;
}

export function adaptOfficer(v: unknown): Officer {
  const o = obj(v);
  return { id: str(o.id), email: str(o.email), displayName: str(pick(o, 'displayName', 'name')), role: oneOf(o.role, ROLES, 'officer'), gender: o.grammaticalGender === 'f' ? 'f' : 'm', mustChangePassword: o.mustChangePassword === true, totpEnabled: o.totpEnabled === true, totpSetupRequired: o.totpSetupRequired === true };
}

export function adaptTotpEnrolment(v: unknown): TotpEnrolment {
  const o = obj(v);
  return { secret: str(o.secret), otpauthUri: str(o.otpauthUri), qrSvg: str(o.qrSvg) };
}

export function adaptRecoveryCodes(v: unknown): string[] {
  const codes = obj(v).recoveryCodes;
  return Array.isArray(codes) ? codes.map((c) => str(c)).filter((c) => c !== '') : [];
}

export function adaptSession(v: unknown): Session {
  const o = obj(v);
  return { officer: adaptOfficer(o.officer), csrfToken: str(o.csrfToken) };
}

function adaptContact(v: unknown): ContactSummary {
  const o = obj(v);
  return { id: str(o.id), displayName: str(pick(o, 'displayName', 'name')), phone: opt(pick(o, 'phone', 'mobile')), nationalId: opt(o.nationalId) };
}

export function adaptConversationList(v: unknown, nowMs: number): { conversations: ConversationSummary[]; counts: Counts } {
  const conversations = list(v, 'conversations', 'items').map((x): ConversationSummary => {
    const o = obj(x);
    const lm = obj(o.lastMessage);
    const since = Date.parse(str(o.waitingSince));
    const waitingSinceMs = Number.isFinite(since) ? since : o.waitingSeconds !== undefined ? nowMs - num(o.waitingSeconds) * 1000 : undefined;
    return {
      id: str(o.id),
      status: str(o.status),
      channel: str(o.channel),
      contact: adaptContact(o.contact),
      assignedOfficer: person(o, 'assignedOfficer'),
      waitingSinceMs,
      lastMessage: o.lastMessage ? { text: str(lm.text), direction: lm.direction === 'out' ? 'out' : 'in', createdAt: str(lm.createdAt) } : undefined,
    };
  });
  const c = obj(obj(v).counts);
  return { conversations, counts: { waiting: num(c.waiting), mine: num(c.mine), open: num(c.open) } };
}

/**
 * Where an attachment opens. Message attachments have no route in the brief: the server's `url` wins,
 * otherwise `fallback(id)`.
 */
export function adaptAttachment(v: unknown, fallback: (id: string) => string): Attachment | undefined {
  const o = obj(v);
  const id = str(pick(o, 'id', 'attachmentId'));
  if (!id) return undefined;
  return { id, name: str(pick(o, 'name', 'filename', 'fileName'), id), mime: str(pick(o, 'mime', 'mimeType', 'contentType')), size: num(o.size), url: str(o.url) || fallback(id), ...(typeof o.checklistItemId === 'string' ? { checklistItemId: o.checklistItemId } : {}) };
}

const SENDERS: readonly Sender[] = ['beneficiary', 'bot', 'officer', 'system'];

/** The outbox entries of one message; undefined when the server sent none (live events), so a merge keeps the old. */
export function adaptDeliveries(v: unknown): Delivery[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return list(v).map((x) => {
    const o = obj(x);
    return { channel: str(o.channel), address: str(o.address), status: str(o.status), error: opt(pick(o, 'error', 'lastError')), attempts: num(o.attempts), updatedAt: str(o.updatedAt) };
  });
}

/** The dead letters list, newest first as the server sends it. */
export function adaptFailed(v: unknown): FailedMessage[] {
  return list(v, 'failed', 'items').map((x) => {
    const o = obj(x);
    return {
      messageId: str(pick(o, 'messageId', 'id')),
      conversationId: str(o.conversationId),
      channel: str(o.channel),
      address: str(o.address),
      error: opt(pick(o, 'error', 'lastError')),
      updatedAt: str(o.updatedAt),
      text: str(o.text),
      contactName: opt(o.contactName),
    };
  });
}

function tooLarge(v: unknown): { tooLarge?: { size: number; maxBytes: number } } {
  const t = obj(v);
  return typeof t.size === 'number' && typeof t.maxBytes === 'number' ? { tooLarge: { size: t.size, maxBytes: t.maxBytes } } : {};
}

export function adaptMessage(v: unknown, conversationId = ''): Message {
  const o = obj(v);
  const cid = str(o.conversationId, conversationId);
  const direction = o.direction === 'out' ? 'out' : 'in';
  return {
    id: str(o.id),
    conversationId: cid,
    channel: str(o.channel),
    direction,
    sender: oneOf(pick(o, 'sender', 'senderKind'), SENDERS, direction === 'in' ? 'beneficiary' : 'bot'),
    senderName: opt(pick(o, 'senderName', 'officerName')),
    text: str(o.text),
    attachment: adaptAttachment(o.attachment, (id) => `/api/inbox/conversations/${encodeURIComponent(cid)}/attachments/${encodeURIComponent(id)}`),
    ...(o.unverifiedSender === true ? { unverifiedSender: true } : {}),
    ...(o.truncated === true ? { truncated: true } : {}),
    ...tooLarge(o.tooLarge),
    status: str(pick(o, 'status', 'deliveryStatus')),
    createdAt: str(o.createdAt),
    deliveries: adaptDeliveries(o.deliveries),
  };
}

export function adaptNote(v: unknown): Note {
  const o = obj(v);
  return { id: str(o.id), officer: person(o, 'officer') ?? { id: '', displayName: '' }, text: str(o.text), createdAt: str(o.createdAt) };
}

function adaptContactApplication(v: unknown): ContactApplication {
  const o = obj(v);
  return { id: str(o.id), reference: str(o.reference), status: str(o.status), createdAt: str(o.createdAt), committeeDueAt: opt(o.committeeDueAt), overdue: o.overdue === true };
}

export function adaptConversationDetail(v: unknown): ConversationDetail {
  const o = obj(v);
  const c = obj(o.conversation);
  const id = str(c.id);
  const contact = obj(o.contact);
  const locale = c.locale === 'en' ? 'en' : c.locale === 'ar' ? 'ar' : undefined;
  return {
    conversation: { id, status: str(c.status), channel: str(c.channel), assignedOfficer: person(c, 'assignedOfficer'), locale, ...(c.unverifiedSender === true ? { unverifiedSender: true } : {}) },
    contact: {
      ...adaptContact(contact),
      identities: list(contact.identities).map((x) => ({ channel: str(obj(x).channel), address: str(obj(x).address), ...(obj(x).unverified === true ? { unverified: true } : {}) })),
      preferredChannel: opt(contact.preferredChannel) ?? null,
      reachableChannels: strings(contact.reachableChannels),
    },
    messages: list(o.messages ?? o.history).map((m) => adaptMessage(m, id)),
    notes: list(o.notes).map(adaptNote),
    applications: list(o.applications).map(adaptContactApplication),
    interactions: list(o.interactions).map(adaptInteraction),
  };
}

export function adaptInteraction(v: unknown): Interaction {
  const o = obj(obj(v).interaction ?? v);
  return { id: str(o.id), kind: str(o.kind), summary: str(o.summary), occurredAt: str(o.occurredAt), recordedBy: person(o, 'recordedBy') ?? { id: '', displayName: '' } };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

/** A contact's preferred channel after a change: what the server stored and where they can be reached. */
export function adaptPreferred(v: unknown): { preferredChannel: string | null; reachableChannels: string[] } {
  const c = obj(obj(v).contact ?? v);
  return { preferredChannel: opt(c.preferredChannel) ?? null, reachableChannels: strings(c.reachableChannels) };
}

/** GET /api/admin/channels: each running channel, with its live link state when it has one. */
export function adaptChannels(v: unknown): ChannelInfo[] {
  return list(v, 'channels').map((x) => {
    const o = obj(x);
    const st = obj(o.status);
    const state = opt(st.state);
    return {
      id: str(o.id),
      ...(state ? { status: { state, since: opt(st.since), qrSvg: opt(st.qrSvg) } } : {}),
    };
  });
}

export function adaptPeople(v: unknown): PersonRef[] {
  return list(v, 'officers', 'researchers').map((x) => ({ id: str(obj(x).id), displayName: str(pick(obj(x), 'displayName', 'name')) }));
}

type CannedList = z.infer<(typeof libraryRoutes.cannedList.response)[200]>;
type KnowledgeList = z.infer<(typeof libraryRoutes.knowledgeList.response)[200]>;

/** GET …/canned-replies, typed by the contract (src/api/library.ts): no guessing at field names. */
export function adaptCanned(v: unknown): CannedReply[] {
  return (v as CannedList).cannedReplies.map(({ id, title, textAr, textEn }) => ({ id, title, textAr, textEn }));
}

/** GET …/knowledge, typed by the contract. */
export function adaptKnowledge(v: unknown): KnowledgeArticle[] {
  return (v as KnowledgeList).articles.map(({ id, category, title, body }) => ({ id, category, title, body }));
}

function adaptApplicationSummary(v: unknown): ApplicationSummary {
  const o = obj(v);
  return {
    id: str(o.id),
    reference: str(o.reference),
    applicantName: str(o.applicantName),
    nationalId: str(o.nationalId),
    status: str(o.status),
    createdAt: str(o.createdAt),
    committeeDueAt: opt(o.committeeDueAt),
    overdue: o.overdue === true,
    researcher: person(o, 'researcher'),
    possibleDuplicate: o.possibleDuplicate === true,
    source: str(o.source, 'channel'),
    branchId: opt(o.branchId),
  };
}

export function adaptApplications(v: unknown): ApplicationSummary[] {
  return list(v, 'applications', 'items').map(adaptApplicationSummary);
}

/** A name from `{displayName}`, a bare string, or a flat `<key>Name` field. */
function who(o: Raw, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const val = o[k];
    if (typeof val === 'string' && val) return o[`${k}Name`] ? str(o[`${k}Name`]) : val;
    const name = str(pick(obj(val), 'displayName', 'name')) || str(o[`${k}Name`]);
    if (name) return name;
  }
  return undefined;
}

function answerValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(answerValue).join('، ');
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  // Choice answers come as {id, label: {ar, en}}: show the words, in Arabic first.
  const label = v && typeof v === 'object' ? (v as { label?: unknown }).label : undefined;
  if (label && typeof label === 'object') return str((label as { ar?: unknown; en?: unknown }).ar ?? (label as { en?: unknown }).en);
  return v && typeof v === 'object' ? JSON.stringify(v) : str(v);
}

export function adaptApplicationDetail(v: unknown): ApplicationDetail {
  const o = obj(v);
  const a = obj(o.application ?? o);
  const id = str(a.id);
  const answersRaw = pick(o, 'answers') ?? a.answers;
  const answers = Array.isArray(answersRaw)
    ? answersRaw.map((x) => ({ key: str(obj(x).key), label: str(pick(obj(x), 'label', 'key')), value: answerValue(obj(x).value), raw: obj(x).value }))
    : Object.entries(obj(answersRaw)).map(([key, value]) => ({ key, label: key, value: answerValue(value), raw: value }));
  const decl = obj(o.declaration);
  const declaration = o.declaration || a.declarationVersion ? { version: opt(pick(decl, 'version') ?? a.declarationVersion), acceptedAt: opt(pick(decl, 'acceptedAt') ?? a.declarationAcceptedAt), text: opt(decl.text), method: opt(decl.method), takenBy: who(decl, 'takenBy') } : undefined;
  const allowed = pick(o, 'allowedNextStatuses', 'allowedNext', 'nextStatuses') ?? pick(a, 'allowedNextStatuses', 'allowedNext', 'nextStatuses');
  return {
    application: { ...adaptApplicationSummary(a), mobile: opt(a.mobile), documentsCheckedAt: opt(a.documentsCheckedAt), documentsCheckedBy: who(a, 'documentsCheckedBy') },
    answers,
    declaration,
    documents: list(o.documents).flatMap((d) => adaptAttachment(d, (aid) => `/api/applications/${encodeURIComponent(id)}/documents/${encodeURIComponent(aid)}`) ?? []),
    // Typed by the contract (src/api/applications.ts `ChecklistItem`): no guessing at field names.
    checklist: list(o.checklist) as ChecklistItem[],
    history: list(o.history).map((x) => {
      const h = obj(x);
      // The beneficiary and the system are named by the UI in its own language; officers by their name.
      const kind = obj(h.by).kind;
      const by = kind === 'beneficiary' || kind === 'system' ? `@${kind}` : who(h, 'by', 'officer', 'changedBy');
      return { from: opt(pick(h, 'from', 'fromStatus')), to: str(pick(h, 'to', 'toStatus')), by, note: opt(h.note), at: str(pick(h, 'at', 'createdAt')) };
    }),
    visits: list(o.visits).map((x) => {
      const w = obj(x);
      return { id: str(w.id), kind: w.kind === 'field_visit' ? 'field_visit' : 'interview', scheduledAt: str(w.scheduledAt), place: str(w.place), researcher: person(w, 'researcher'), status: str(w.status, 'scheduled'), notes: opt(w.notes) };
    }),
    decisions: list(o.decisions).map((x) => {
      const d = obj(x);
      return { id: str(d.id), decision: d.decision === 'approved' ? 'approved' : 'rejected', reasons: str(d.reasons), by: who(d, 'by', 'decidedBy', 'officer'), at: str(pick(d, 'at', 'createdAt')) };
    }),
    allowedNext: Array.isArray(allowed) ? allowed.map((s) => str(s)) : undefined,
    possibleDuplicateOf: o.possibleDuplicateOf ? { id: str(obj(o.possibleDuplicateOf).id), reference: str(obj(o.possibleDuplicateOf).reference) } : undefined,
    sameNationalId: list(o.sameNationalId).map((x) => {
      const w = obj(x);
      return { id: str(w.id), reference: str(w.reference), status: str(w.status), sameBeneficiary: w.sameBeneficiary === true };
    }),
  };
}

/** `{status: n}` or `[{status, count}]` → pairs. */
function counted(v: unknown, key: string): { key: string; count: number }[] {
  if (Array.isArray(v)) return v.map((x) => ({ key: str(obj(x)[key]), count: num(obj(x).count) }));
  return Object.entries(obj(v)).map(([k, n]) => ({ key: k, count: num(n) }));
}

export function adaptReport(v: unknown): Report {
  const o = obj(v);
  const conv = pick(o, 'conversationsPerChannelPerDay', 'conversations', 'perDay');
  const conversations = list(conv, 'perDay', 'days', 'rows').flatMap((x) => {
    const r = obj(x);
    const day = str(pick(r, 'day', 'date'));
    // Either one row per (day, channel) or one row per day with `channels: {webchat: 3}`.
    if (r.channels !== undefined) return counted(r.channels, 'channel').map((c) => ({ day, channel: c.key, count: c.count }));
    return [{ day, channel: str(r.channel), count: num(r.count) }];
  });
  const w = obj(pick(o, 'waiting', 'waitingTime', 'firstReply'));
  const s = obj(o.satisfaction);
  const dist: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  const rawDist = s.distribution;
  if (Array.isArray(rawDist) && rawDist.every((x) => typeof x !== 'object')) rawDist.slice(0, 5).forEach((n, i) => (dist[i] = num(n)));
  else for (const { key, count } of counted(rawDist, 'score')) if (num(key) >= 1 && num(key) <= 5) dist[num(key) - 1] = count;
  const apps = pick(o, 'applicationsPerStatus', 'applications');
  const appObj = obj(apps);
  return {
    conversations,
    waiting: { median: optNum(pick(w, 'medianSeconds', 'median')), p90: optNum(pick(w, 'p90Seconds', 'p90')), count: num(w.count) },
    satisfaction: { average: optNum(pick(s, 'average', 'avg')), count: num(s.count), distribution: dist },
    applications: counted(Array.isArray(apps) ? apps : pick(appObj, 'byStatus', 'perStatus') ?? apps, 'status').map((x) => ({ status: x.key, count: x.count })),
    bySource: counted(appObj.bySource, 'source').map((x) => ({ source: x.key, count: x.count })),
    byBranch: list(appObj.byBranch).map((x) => ({ branchId: opt(obj(x).branchId) ?? null, count: num(obj(x).count) })),
    overdue: num(pick(o, 'overdue', 'overdueCount') ?? pick(appObj, 'overdue', 'overdueCount')),
    recognition: list(obj(o.recognition).weeks).map((x) => {
      const w = obj(x);
      return { week: str(w.week), messages: num(w.messages), recognised: num(w.recognised), rate: optNum(w.rate) };
    }),
  };
}

export function adaptAdminOfficers(v: unknown): AdminOfficer[] {
  return list(v, 'officers').map((x) => {
    const o = obj(x);
    return { id: str(o.id), displayName: str(pick(o, 'displayName', 'name')), email: str(o.email), role: oneOf<Role>(o.role, ROLES, 'officer'), gender: o.grammaticalGender === 'f' ? 'f' : 'm', branchId: opt(o.branchId) ?? null, active: o.active !== false, totpEnabled: o.totpEnabled === true };
  });
}

/** The one-time password from a create or reset answer. */
export function adaptOneTimePassword(v: unknown): string {
  return str(pick(obj(v), 'oneTimePassword', 'password', 'temporaryPassword'));
}

export function adaptAudit(v: unknown): AuditEntry[] {
  return list(v, 'entries', 'audit', 'items', 'log').map((x) => {
    const o = obj(x);
    const t = o.target ? obj(o.target) : undefined;
    const d = obj(o.details);
    const target = t ? { type: str(t.type), reference: opt(t.reference), officer: opt(t.officerName), beneficiary: opt(t.beneficiary), contactId: opt(t.contactId) } : undefined;
    return {
      id: str(o.id),
      who: opt(o.officerName),
      whoId: opt(o.officerId),
      whoGender: o.officerGender === 'f' ? 'f' : 'm',
      action: str(o.action),
      target,
      ip: opt(o.ip),
      at: str(pick(o, 'at', 'createdAt')),
      from: opt(d.from),
      to: opt(d.to),
      decision: opt(d.decision),
    } satisfies AuditEntry;
  });
}
