// Every endpoint the inbox calls, in one place; `request` is injected (fetch in the browser, a fake in tests).
import {
  adaptAdminOfficers,
  adaptApplicationDetail,
  adaptApplications,
  adaptAudit,
  adaptCanned,
  adaptChannels,
  adaptConversationDetail,
  adaptConversationList,
  adaptFailed,
  adaptKnowledge,
  adaptMessage,
  adaptInteraction,
  adaptNote,
  adaptOneTimePassword,
  adaptPeople,
  adaptPreferred,
  adaptRecoveryCodes,
  adaptReport,
  adaptSession,
  adaptTotpEnrolment,
  obj,
  str,
} from './adapt.ts';
import type { NoticePreview } from '../../../src/api/applications-words.ts';
import type { Note as ApiNote } from '../../../src/api/inbox.ts';
import { adaptMisses } from './misses.ts';
import { adaptPrivacyRequests } from './privacy.ts';
import type { AuditFilter, CannedReply, Gender, KnowledgeArticle, Message, Note, Queue, Role } from './types.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Requester = (method: Method, path: string, body?: unknown) => Promise<unknown>;
/** POSTs a multipart form; `onProgress` gets the share of the body sent (0…1). */
export type Uploader = (path: string, form: FormData, onProgress?: (fraction: number) => void) => Promise<unknown>;
/** POSTs one file as the body, with its type and name in headers. */
export type RawUploader = (path: string, file: File) => Promise<unknown>;

/** The most any gateway accepts (UPLOAD_MAX_BYTES is at most 25 MiB): bigger files are refused before uploading. */
export const UPLOAD_CEILING_BYTES = 25 * 1024 * 1024;

/** A failed call: the server's `{ error: { code, message } }`, or ERR_NETWORK when nothing came back. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds, from Retry-After on a 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function apiError(status: number, body: unknown, retryAfterHeader?: string | null): ApiError {
  const e = obj(obj(body).error);
  const retry = retryAfterHeader ? Number(retryAfterHeader) : NaN;
  const retryAfter = Number.isFinite(retry) ? Math.max(0, Math.ceil(retry)) : retryAfterHeader ? Math.max(0, Math.ceil((Date.parse(retryAfterHeader) - Date.now()) / 1000)) || undefined : undefined;
  // A refused move to the committee names the checklist items beside the message (`missing`).
  const details = e.details ?? (Array.isArray(e.missing) ? { missing: e.missing } : undefined);
  return new ApiError(status, str(e.code, status === 0 ? 'ERR_NETWORK' : `HTTP_${status}`), str(e.message), details, retryAfter);
}

/** The checklist items a 409 ERR_PRECONDITION named (a move to the committee before the checklist is complete). */
export function missingFromError(e: unknown): string[] | undefined {
  if (!(e instanceof ApiError) || e.code !== 'ERR_PRECONDITION') return undefined;
  const v = obj(e.details).missing;
  return Array.isArray(v) ? v.map((x) => str(x)) : undefined;
}

/** The next statuses a 409 on a status change lists (`details.allowed` or similar). */
export function allowedFromError(e: unknown): string[] | undefined {
  if (!(e instanceof ApiError) || e.status !== 409) return undefined;
  const d = obj(e.details);
  const v = d.allowed ?? d.allowedNext ?? d.allowedNextStatuses ?? d.next;
  return Array.isArray(v) ? v.map((x) => str(x)) : undefined;
}

/** The name of whoever holds a conversation, from a 409 on take-over. */
export function holderFromError(e: unknown): string | undefined {
  if (!(e instanceof ApiError) || e.status !== 409) return undefined;
  const d = obj(e.details);
  return str(obj(d.assignedOfficer).displayName) || str(d.assignedOfficerName) || undefined;
}

export function query(params: Record<string, string | boolean | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '' && v !== false) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

const enc = encodeURIComponent;

export interface ApplicationFilter {
  status?: string;
  overdue?: boolean;
  q?: string;
  branch?: string;
  source?: string;
  /** «حالاتي»: only the cases assigned to me. */
  assigned?: 'me';
}

/** POST …/notice-preview, typed by the contract (src/api/applications-words.ts). */
function adaptNoticePreview(v: unknown): NoticePreview {
  const o = v as NoticePreview;
  return { text: str(o.text), language: o.language === 'en' ? 'en' : 'ar', channel: typeof o.channel === 'string' ? o.channel : null };
}

export interface Branch {
  id: string;
  name: { ar: string; en: string };
  city: { ar: string; en: string };
}
type Choice = { id: string; label: { ar: string; en: string } };
export interface IntakeInfo {
  housingTypes: Choice[];
  needTypes: Choice[];
  declaration: { version: string; text: { ar: string; en: string } };
  branches: Branch[];
  ownBranch: string | null;
}
/** Per field: the value as the server reads it, or why it is refused (in both languages). */
export interface FieldCheck {
  values: Record<string, unknown>;
  problems: Record<string, { reason: string; message: { ar: string; en: string } }>;
}
export interface Registered {
  id: string;
  reference: string;
  notified: boolean;
  reachableChannels: string[];
}

export interface VisitInput {
  kind: 'interview' | 'field_visit';
  scheduledAt: string;
  place: string;
  researcherId?: string;
  /** Outside working hours or on the weekend the server answers 409 ERR_CONFIRMATION_REQUIRED until these are sent. */
  confirm?: boolean;
  confirmReason?: string;
}

export function createApi(request: Requester, now: () => number = Date.now, upload?: Uploader, uploadRaw?: RawUploader) {
  const conv = (id: string, action = '') => `/api/inbox/conversations/${enc(id)}${action ? `/${action}` : ''}`;
  const app = (id: string, rest = '') => `/api/applications/${enc(id)}${rest}`;
  /** A created message or note comes back under `key` (src/api/inbox.ts); undefined when the server sent none. */
  const created = <T>(v: unknown, key: string, adapt: (x: unknown) => T & { id: string }): T | undefined => {
    const inner = obj(v)[key];
    if (inner === undefined || inner === null) return undefined;
    const out = adapt(inner);
    return out.id ? out : undefined;
  };

  return {
    me: async () => adaptSession(await request('GET', '/api/auth/me')),
    setMyName: (name: string) => request('PUT', '/api/auth/me', { name }),
    signIn: async (email: string, password: string, totp?: string) => adaptSession(await request('POST', '/api/auth/sign-in', { email, password, ...(totp ? { totp } : {}) })),
    totpSetup: async () => adaptTotpEnrolment(await request('POST', '/api/auth/totp/setup')),
    totpConfirm: async (code: string) => adaptRecoveryCodes(await request('POST', '/api/auth/totp/confirm', { code })),
    signOut: () => request('POST', '/api/auth/sign-out'),
    changePassword: (current: string, next: string) => request('POST', '/api/auth/password', { current, next }),

    conversations: async (queue: Queue, q = '') => adaptConversationList(await request('GET', `/api/inbox/conversations${query({ queue, q })}`), now()),
    conversation: async (id: string) => adaptConversationDetail(await request('GET', conv(id))),
    take: (id: string) => request('POST', conv(id, 'take')),
    reply: async (id: string, text: string): Promise<Message | undefined> => created(await request('POST', conv(id, 'reply'), { text }), 'message', (m) => adaptMessage(m, id)),
    note: async (id: string, text: string): Promise<Note | undefined> => created(await request('POST', conv(id, 'notes'), { text }), 'note', (n) => adaptNote(n as ApiNote)),
    refer: (id: string, researcherId: string, note?: string) => request('POST', conv(id, 'refer'), note ? { researcherId, note } : { researcherId }),
    handBack: (id: string) => request('POST', conv(id, 'hand-back')),
    close: (id: string) => request('POST', conv(id, 'close')),
    /** A file (PDF or picture) with an optional caption, sent as the officer; the server checks type and size. */
    sendFile: async (id: string, file: Blob, name: string, caption: string, onProgress?: (fraction: number) => void): Promise<Message | undefined> => {
      if (!upload) throw new ApiError(0, 'ERR_NETWORK', '');
      const form = new FormData();
      // Caption first, so the server has it before the file's bytes.
      if (caption) form.append('caption', caption);
      form.append('file', file, name);
      return created(await upload(conv(id, 'files'), form, onProgress), 'message', (m) => adaptMessage(m, id));
    },
    /** Put a message the channel refused back in the queue. */
    retryMessage: (messageId: string) => request('POST', `/api/inbox/messages/${enc(messageId)}/retry`),
    /** Dead letters: messages a channel refused for good, newest first. */
    failed: async () => adaptFailed(await request('GET', '/api/inbox/failed')),
    /** The channel a beneficiary's notifications try first; null: the one they used last. */
    setPreferredChannel: async (contactId: string, channel: string | null) =>
      adaptPreferred(await request('PUT', `/api/inbox/contacts/${enc(contactId)}/preferred-channel`, { channel })),
    researchers: async () => adaptPeople(await request('GET', `/api/inbox/officers${query({ role: 'researcher' })}`)),
    cannedReplies: async () => adaptCanned(await request('GET', '/api/inbox/canned-replies')),
    knowledge: async (category = '') => adaptKnowledge(await request('GET', `/api/inbox/knowledge${query({ category })}`)),

    applications: async (f: ApplicationFilter = {}) => adaptApplications(await request('GET', `/api/applications${query({ status: f.status, overdue: f.overdue ? 'true' : undefined, q: f.q, branch: f.branch, source: f.source, assigned: f.assigned })}`)),
    application: async (id: string) => adaptApplicationDetail(await request('GET', app(id))),
    setStatus: (id: string, status: string, words: { note?: string | undefined; messageToBeneficiary?: string | undefined; missingItems?: string[] | undefined } = {}) =>
      request('POST', app(id, '/status'), {
        status,
        ...(words.note ? { note: words.note } : {}),
        ...(words.messageToBeneficiary ? { messageToBeneficiary: words.messageToBeneficiary } : {}),
        ...(words.missingItems?.length ? { missingItems: words.missingItems } : {}),
      }),
    /** Exactly what the beneficiary will read, in their language, and the channel it goes to first. */
    noticePreview: async (id: string, body: Record<string, string>) => adaptNoticePreview(await request('POST', app(id, '/notice-preview'), body)),
    assign: (id: string, officerId: string) => request('PUT', app(id, '/assignee'), { officerId }),
    /** One checklist item: documents received/verified/waived, the interview and visit done/waived (a reason to waive). */
    setChecklist: (id: string, itemId: string, state: string, note?: string) => request('PUT', app(id, `/checklist/${enc(itemId)}`), note ? { state, note } : { state }),
    documentsChecked: (id: string) => request('POST', app(id, '/documents-checked'), { checked: true }),
    /** Tags an uploaded file with the checklist document it is (marks the item received). */
    tagDocument: (id: string, attachmentId: string, checklistItemId: string | null) => request('PUT', app(id, `/documents/${enc(attachmentId)}/checklist-item`), { checklistItemId }),
    scheduleVisit: (id: string, v: VisitInput) => request('POST', app(id, '/visits'), v),
    updateVisit: (id: string, visitId: string, patch: { status?: string; notes?: string }) => request('PATCH', app(id, `/visits/${enc(visitId)}`), patch),
    decide: (id: string, decision: 'approved' | 'rejected', reasons: string, messageToBeneficiary?: string) =>
      request('POST', app(id, '/decision'), { decision, reasons, ...(messageToBeneficiary ? { messageToBeneficiary } : {}) }),
    /** Where the browser downloads an official letter (the session cookie goes along). */
    letterUrl: (id: string, kind: string) => app(id, `/letters/${enc(kind)}`),
    /** The letter as a PDF in the beneficiary's conversation (a WhatsApp document, an email attachment…). */
    sendLetter: async (id: string, kind: string) => {
      const res = obj(await request('POST', app(id, `/letters/${enc(kind)}/send`), {}));
      return { number: str(obj(res.letter).number), channel: str(obj(res.message).channel) };
    },

    /** «طلب جديد»: what the form offers, live field checks, and the registration itself. */
    intake: async () => obj(await request('GET', '/api/applications/intake')) as unknown as IntakeInfo,
    checkFields: async (fields: Record<string, string>) => obj(await request('POST', '/api/applications/check', fields)) as unknown as FieldCheck,
    registerApplication: async (body: Record<string, unknown>) => obj(obj(await request('POST', '/api/applications', body)).application) as unknown as Registered,
    /** The scan of a signed declaration form, sent as its own bytes (PDF or picture; the server reads the type). */
    attachDeclarationScan: async (id: string, file: File) => {
      if (!uploadRaw) throw new ApiError(0, 'ERR_NETWORK', '');
      return uploadRaw(app(id, '/declaration-scan'), file);
    },
    branches: async () => (obj(await request('GET', '/api/branches')).branches ?? []) as Branch[],
    recordInteraction: async (contactId: string, kind: string, summary: string) => adaptInteraction(await request('POST', `/api/contacts/${enc(contactId)}/interactions`, { kind, summary })),

    report: async (from: string, to: string) => adaptReport(await request('GET', `/api/reports${query({ from, to })}`)),

    /** The beneficiaries' privacy requests (admins and the data protection officer). */
    privacyRequests: async () => adaptPrivacyRequests(await request('GET', '/api/privacy/requests')),
    privacyClose: (id: string, outcome: string) => request('POST', `/api/privacy/requests/${enc(id)}/close`, { outcome }),

    admin: {
      officers: async () => adaptAdminOfficers(await request('GET', '/api/admin/officers')),
      createOfficer: async (o: { email: string; displayName: string; role: Role; grammaticalGender?: Gender; branchId?: string }) => adaptOneTimePassword(await request('POST', '/api/admin/officers', o)),
      updateOfficer: (id: string, patch: { role?: Role; active?: boolean; displayName?: string; grammaticalGender?: Gender; branchId?: string | null }) => request('PATCH', `/api/admin/officers/${enc(id)}`, patch),
      resetPassword: async (id: string) => adaptOneTimePassword(await request('POST', `/api/admin/officers/${enc(id)}/reset-password`)),
      resetTotp: (id: string) => request('POST', `/api/admin/officers/${enc(id)}/totp/reset`),
      audit: async (filter: AuditFilter = {}) => adaptAudit(await request('GET', `/api/admin/audit${query({ ...filter })}`)),
      /** Running channels and, for WhatsApp Web, its link state and pairing QR. */
      channels: async () => adaptChannels(await request('GET', '/api/admin/channels')),
      canned: async () => adaptCanned(await request('GET', '/api/admin/canned-replies')),
      saveCanned: (c: CannedReply) => {
        const body = { title: c.title, textAr: c.textAr, textEn: c.textEn };
        return c.id ? request('PATCH', `/api/admin/canned-replies/${enc(c.id)}`, body) : request('POST', '/api/admin/canned-replies', body);
      },
      deleteCanned: (id: string) => request('DELETE', `/api/admin/canned-replies/${enc(id)}`),
      knowledge: async () => adaptKnowledge(await request('GET', '/api/admin/knowledge')),
      saveKnowledge: (k: KnowledgeArticle) => {
        const body = { category: k.category, title: k.title, body: k.body };
        return k.id ? request('PATCH', `/api/admin/knowledge/${enc(k.id)}`, body) : request('POST', '/api/admin/knowledge', body);
      },
      deleteKnowledge: (id: string) => request('DELETE', `/api/admin/knowledge/${enc(id)}`),
      /** Messages the bot could not place, grouped; and adding one as an example of an intent (learnt at once). */
      misses: async () => adaptMisses(await request('GET', '/api/admin/nlu/misses')),
      addExample: (intent: string, text: string) => request('POST', '/api/admin/nlu/examples', { intent, text }),
    },
  };
}

export type Api = ReturnType<typeof createApi>;
