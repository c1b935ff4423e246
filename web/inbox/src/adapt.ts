// Reads the server's JSON into the inbox's types. Field spellings live here only, so an API change is one edit.
import type { AuditPage, OfficerCreated, RecoveryCodes, SessionInfo, SessionOfficer, TotpEnrolment as ApiTotpEnrolment, authRoutes } from '../../../src/api/auth.ts';
import type {
  ConversationDetail as ApiConversationDetail,
  ConversationListPage,
  Delivery as ApiDelivery,
  FailedDelivery,
  InboxMessage,
  Interaction as ApiInteraction,
  Note as ApiNote,
  PreferredChannelAnswer,
  inboxRoutes,
} from '../../../src/api/inbox.ts';
import type { ChannelsAnswer } from '../../../src/api/admin-tools.ts';
import type { ChecklistItem } from '../../../src/api/applications.ts';
import type { libraryRoutes } from '../../../src/api/library.ts';
import type { Report as ApiReport } from '../../../src/api/reports.ts';
import type { z } from 'zod';
import type {
  AdminOfficer,
  ApplicationDetail,
  ApplicationSummary,
  Attachment,
  AuditEntry,
  CannedReply,
  ChannelInfo,
  Delivery,
  FailedMessage,
  ContactApplication,
  ContactSummary,
  ConversationDetail,
  ConversationSummary,
  Counts,
  Interaction,
  KnowledgeArticle,
  Message,
  Note,
  Officer,
  PersonRef,
  Report,
  Sender,
  Session,
  TotpEnrolment,
} from './types.ts';

type Raw = Record<string, unknown>;

export const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
export const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : d);
const opt = (v: unknown): string | undefined => (str(v) === '' ? undefined : str(v));
export const num = (v: unknown, d = 0): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : d;
};
/** The first key present (not undefined/null) on `o`: the spellings the backend may use for one field. */
const pick = (o: Raw, ...keys: string[]): unknown => {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
};
/** A list given bare or wrapped in an object under one of `keys`. */
export const list = (v: unknown, ...keys: string[]): unknown[] => (Array.isArray(v) ? v : (pick(obj(v), ...keys) as unknown[] | undefined) ?? []).filter((x) => x && typeof x === 'object');

/** `{id, displayName}` from a nested object, or from flat `<prefix>Id` / `<prefix>Name` fields. */
function person(o: Raw, key: string): PersonRef | undefined {
  const n = obj(o[key]);
  const id = str(pick(n, 'id') ?? o[`${key}Id`]);
  const name = str(pick(n, 'displayName', 'name') ?? o[`${key}Name`]);
  return id || name ? { id, displayName: name || id } : undefined;
}

// The server's contract (src/api) types each answer below: a field renamed there is a compile error here.
// The casts from `unknown` are the one trust boundary: the server serializes every answer through the same schemas.

export function adaptOfficer(o: SessionOfficer): Officer {
  return { id: o.id, email: o.email, displayName: o.displayName, role: o.role, gender: o.grammaticalGender, mustChangePassword: o.mustChangePassword, totpEnabled: o.totpEnabled, totpSetupRequired: o.totpSetupRequired, nameNeeded: o.nameNeeded };
}

export function adaptTotpEnrolment(v: unknown): TotpEnrolment {
  const { secret, otpauthUri, qrSvg } = v as ApiTotpEnrolment;
  return { secret, otpauthUri, qrSvg };
}

export function adaptRecoveryCodes(v: unknown): string[] {
  return (v as RecoveryCodes).recoveryCodes.filter((c) => c !== '');
}

export function adaptSession(v: unknown): Session {
  const o = v as SessionInfo;
  return { officer: adaptOfficer(o.officer), csrfToken: o.csrfToken };
}

type ContactFields = { id: string; displayName: string | null; phone?: string | undefined; nationalId?: string | undefined };
const adaptContact = (c: ContactFields): ContactSummary => ({ id: c.id, displayName: c.displayName ?? '', phone: c.phone, nationalId: c.nationalId });

export function adaptConversationList(v: unknown, nowMs: number): { conversations: ConversationSummary[]; counts: Counts } {
  const page = v as ConversationListPage;
  const conversations = page.items.map((o): ConversationSummary => {
    const since = o.waitingSince ? Date.parse(o.waitingSince) : NaN;
    const waitingSinceMs = Number.isFinite(since) ? since : o.waitingSeconds !== undefined ? nowMs - o.waitingSeconds * 1000 : undefined;
    return {
      id: o.id,
      status: o.status,
      channel: o.channel,
      contact: adaptContact(o.contact),
      assignedOfficer: o.assignedOfficer,
      waitingSinceMs,
      lastMessage: o.lastMessage ?? undefined,
    };
  });
  const { waiting, mine, open } = page.counts;
  return { conversations, counts: { waiting, mine, open } };
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

/** The outbox entries of one message; undefined when the server sent none (live events), so a merge keeps the old. */
export function adaptDeliveries(v: readonly ApiDelivery[] | undefined): Delivery[] | undefined {
  return v?.map((d) => ({ channel: d.channel, address: d.address, status: d.status, error: d.error ?? undefined, attempts: d.attempts, updatedAt: d.updatedAt }));
}

/** The dead letters list, newest first as the server sends it. */
export function adaptFailed(v: unknown): FailedMessage[] {
  return (v as { failed: FailedDelivery[] }).failed.map((o) => ({
    messageId: String(o.messageId),
    conversationId: o.conversationId,
    channel: o.channel,
    address: o.address,
    error: o.error ?? undefined,
    updatedAt: o.updatedAt,
    text: o.text,
    contactName: o.contactName ?? undefined,
  }));
}

/** A message from the conversation view, a reply's answer or a live event (the same contract). */
export function adaptMessage(v: unknown, conversationId = ''): Message {
  const o = v as InboxMessage;
  const cid = o.conversationId || conversationId;
  const a = o.attachment;
  const fileUrl = (id: string) => `/api/inbox/conversations/${encodeURIComponent(cid)}/attachments/${encodeURIComponent(id)}`;
  return {
    id: String(o.id),
    conversationId: cid,
    channel: o.channel,
    direction: o.direction,
    sender: o.sender satisfies Sender,
    senderName: o.senderName,
    text: o.text,
    attachment: a ? { id: a.id, name: a.name ?? a.id, mime: a.mime, size: a.size, url: fileUrl(a.id) } : undefined,
    ...(o.unverifiedSender ? { unverifiedSender: true } : {}),
    ...(o.truncated ? { truncated: true } : {}),
    ...(o.tooLarge ? { tooLarge: o.tooLarge } : {}),
    status: o.status,
    createdAt: o.createdAt,
    deliveries: adaptDeliveries(o.deliveries),
  };
}

export function adaptNote(o: ApiNote): Note {
  return { id: String(o.id), officer: o.officer, text: o.text, createdAt: o.createdAt };
}

export function adaptConversationDetail(v: unknown): ConversationDetail {
  const o = v as ApiConversationDetail;
  const c = o.conversation;
  const contact = o.contact;
  return {
    conversation: { id: c.id, status: c.status, channel: c.channel, assignedOfficer: c.assignedOfficer, locale: c.locale, ...(c.unverifiedSender ? { unverifiedSender: true } : {}) },
    contact: {
      ...adaptContact(contact),
      identities: contact.identities.map((i) => ({ channel: i.channel, address: i.address, ...(i.unverified ? { unverified: true } : {}) })),
      preferredChannel: contact.preferredChannel,
      reachableChannels: contact.reachableChannels,
    },
    messages: o.history.map((m) => adaptMessage(m, c.id)),
    notes: o.notes.map(adaptNote),
    applications: o.applications.map((a): ContactApplication => ({ id: a.id, reference: a.reference, status: a.status, createdAt: a.createdAt, committeeDueAt: a.committeeDueAt, overdue: a.overdue })),
    interactions: o.interactions.map(toInteraction),
  };
}

const toInteraction = (o: ApiInteraction): Interaction => ({ id: o.id, kind: o.kind, summary: o.summary, occurredAt: o.occurredAt, recordedBy: o.recordedBy });

/** The answer of POST /api/contacts/:id/interactions. */
export function adaptInteraction(v: unknown): Interaction {
  return toInteraction((v as z.infer<(typeof inboxRoutes.interactionCreate.response)[201]>).interaction);
}

/** A contact's preferred channel after a change: what the server stored and where they can be reached. */
export function adaptPreferred(v: unknown): { preferredChannel: string | null; reachableChannels: string[] } {
  const { preferredChannel, reachableChannels } = (v as PreferredChannelAnswer).contact;
  return { preferredChannel, reachableChannels };
}

/** GET /api/admin/channels: each running channel, with its live link state when it has one. */
export function adaptChannels(v: unknown): ChannelInfo[] {
  return (v as ChannelsAnswer).channels.map(({ id, status }) => ({ id, ...(status ? { status: { state: status.state, since: status.since, qrSvg: status.qrSvg } } : {}) }));
}

export function adaptPeople(v: unknown): PersonRef[] {
  return (v as z.infer<(typeof libraryRoutes.officers.response)[200]>).officers.map(({ id, displayName }) => ({ id, displayName }));
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
      return { id: str(w.id), kind: w.kind === 'field_visit' ? 'field_visit' : 'interview', scheduledAt: str(w.scheduledAt), place: str(w.place), researcher: person(w, 'researcher'), status: str(w.status, 'scheduled'), notes: opt(w.notes), confirmReason: opt(w.confirmReason) };
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

const pairs = (counts: Record<string, number>) => Object.entries(counts);

/** GET /api/reports, typed by the contract (src/api/reports.ts). */
export function adaptReport(v: unknown): Report {
  const o = v as ApiReport;
  const d = o.satisfaction.distribution;
  const apps = o.applications;
  return {
    conversations: o.conversations.days.flatMap((r) => pairs(r.channels).map(([channel, count]) => ({ day: r.day, channel, count }))),
    waiting: { median: o.waitingTime.medianSeconds, p90: o.waitingTime.p90Seconds, count: o.waitingTime.count },
    satisfaction: { average: o.satisfaction.average, count: o.satisfaction.count, distribution: [d[1], d[2], d[3], d[4], d[5]], byServiceType: o.satisfaction.byServiceType.map(({ serviceType, count, average }) => ({ serviceType, count, average })) },
    applications: pairs(apps.byStatus).map(([status, count]) => ({ status, count })),
    bySource: pairs(apps.bySource).map(([source, count]) => ({ source, count })),
    byBranch: apps.byBranch.map(({ branchId, count }) => ({ branchId, count })),
    overdue: apps.overdue,
    recognition: o.recognition.weeks.map(({ week, messages, recognised, rate }) => ({ week, messages, recognised, rate })),
  };
}

export function adaptAdminOfficers(v: unknown): AdminOfficer[] {
  return (v as z.infer<(typeof authRoutes.officerList.response)[200]>).officers.map((o) => ({
    id: o.id,
    displayName: o.displayName,
    email: o.email,
    role: o.role,
    gender: o.grammaticalGender,
    branchId: o.branchId,
    active: o.active,
    totpEnabled: o.totpEnabled,
  }));
}

/** The one-time password from a create or reset answer. */
export function adaptOneTimePassword(v: unknown): string {
  return (v as Pick<OfficerCreated, 'oneTimePassword'>).oneTimePassword ?? '';
}

const detail = (d: unknown, key: string): string | undefined => {
  const value = d && typeof d === 'object' ? (d as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
};

export function adaptAudit(v: unknown): AuditEntry[] {
  return (v as AuditPage).entries.map((o) => {
    const t = o.target;
    const target = t ? { type: t.type, reference: t.reference ?? undefined, officer: t.officerName ?? undefined, beneficiary: t.beneficiary ?? undefined, contactId: t.contactId ?? undefined } : undefined;
    return {
      id: String(o.id),
      who: o.officerName ?? undefined,
      whoId: o.officerId ?? undefined,
      whoGender: o.officerGender ?? 'm',
      action: o.action,
      target,
      ip: o.ip ?? undefined,
      at: o.createdAt,
      // Free-form facts: a status change's from/to, a decision.
      from: detail(o.details, 'from'),
      to: detail(o.details, 'to'),
      decision: detail(o.details, 'decision'),
      item: itemLabels(o.details),
      state: detail(o.details, 'state'),
    } satisfies AuditEntry;
  });
}

/** A checklist event's item label ({ ar, en }), when the details carry one. */
function itemLabels(d: unknown): { ar: string; en: string } | undefined {
  const v = d && typeof d === 'object' ? (d as Record<string, unknown>).item : undefined;
  const l = obj(v);
  return typeof l.ar === 'string' && typeof l.en === 'string' ? { ar: l.ar, en: l.en } : undefined;
}
