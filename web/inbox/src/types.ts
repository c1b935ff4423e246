// The inbox's own view of the API data, after adapt.ts has read the server's JSON (no DOM types here).
import type { ChecklistItem } from '../../../src/api/applications.ts';
import type { CannedReply as ApiCannedReply, KnowledgeArticle as ApiKnowledgeArticle } from '../../../src/api/library.ts';
import type { KnowledgeCategory } from '../../../src/core/knowledge.ts';

export type Locale = 'ar' | 'en';
export type Role = 'officer' | 'researcher' | 'committee' | 'admin' | 'representative' | 'privacy';
export const ROLES: readonly Role[] = ['officer', 'researcher', 'committee', 'admin', 'representative', 'privacy'];

export interface Officer {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  /** How Arabic addresses the officer: role labels and sentences take the feminine for 'f'. */
  gender: Gender;
  mustChangePassword: boolean;
  /** A second factor is set up. */
  totpEnabled: boolean;
  /** The server wants the authenticator app set up before anything else (MFA_REQUIRED). */
  totpSetupRequired: boolean;
  /** Still the first admin's placeholder name: asked once at sign-in. */
  nameNeeded?: boolean;
}

export type Gender = 'm' | 'f';
export const GENDERS: readonly Gender[] = ['m', 'f'];

export interface Session {
  officer: Officer;
  csrfToken: string;
}

export interface PersonRef {
  id: string;
  displayName: string;
}

export type Queue = 'waiting' | 'mine' | 'open' | 'closed';
export const QUEUES: readonly Queue[] = ['waiting', 'mine', 'open', 'closed'];

export interface ContactSummary {
  id: string;
  displayName: string;
  phone?: string;
  nationalId?: string;
}

export interface ConversationSummary {
  id: string;
  /** bot | waiting | officer | closed (unknown values pass through and show as they are). */
  status: string;
  channel: string;
  contact: ContactSummary;
  assignedOfficer?: PersonRef;
  /** Epoch ms since when the beneficiary has waited for an officer. */
  waitingSinceMs?: number;
  lastMessage?: { text: string; direction: 'in' | 'out'; createdAt: string };
}

export interface Counts {
  waiting: number;
  mine: number;
  open: number;
}

export interface Attachment {
  id: string;
  name: string;
  mime: string;
  size: number;
  url: string;
  /** The checklist document this file satisfies (applications only). */
  checklistItemId?: string | null;
}

export type Sender = 'beneficiary' | 'bot' | 'officer' | 'system';

/** What became of an outbound message on one channel and address (from the outbox, in the order tried). */
export interface Delivery {
  channel: string;
  /** Hidden but the last four characters («********4567»). */
  address: string;
  /** pending | sent | failed | rerouted (unknown values pass through). */
  status: string;
  error?: string;
  attempts: number;
  updatedAt: string;
}

/** A dead letter: an outbound message a channel refused for good. */
export interface FailedMessage {
  messageId: string;
  conversationId: string;
  channel: string;
  address: string;
  error?: string;
  updatedAt: string;
  text: string;
  contactName?: string;
}

export interface Message {
  id: string;
  conversationId: string;
  channel: string;
  direction: 'in' | 'out';
  sender: Sender;
  senderName?: string;
  text: string;
  attachment?: Attachment;
  /** The mail server did not prove the sender owns the address: shown as «not verified». */
  unverifiedSender?: boolean;
  /** Only the start of a longer text was kept. */
  truncated?: boolean;
  /** A mail over the size limit that was not downloaded (bytes). */
  tooLarge?: { size: number; maxBytes: number };
  /** received | queued | sent | delivered | read | failed */
  status: string;
  createdAt: string;
  /** Outbound only, when the server sent them (the conversation view); absent in live events. */
  deliveries?: Delivery[];
}

export interface Note {
  id: string;
  officer: PersonRef;
  text: string;
  createdAt: string;
}

/** A call, visit or letter staff recorded in the beneficiary's history. */
export interface Interaction {
  id: string;
  kind: string;
  summary: string;
  occurredAt: string;
  recordedBy: PersonRef;
}

export interface ContactApplication {
  id: string;
  reference: string;
  status: string;
  createdAt: string;
  committeeDueAt?: string;
  overdue: boolean;
}

export interface ConversationDetail {
  conversation: { id: string; status: string; channel: string; assignedOfficer?: PersonRef; locale?: Locale; unverifiedSender?: boolean };
  contact: ContactSummary & {
    identities: { channel: string; address: string; unverified?: boolean }[];
    /** Where notifications go first; null: the channel the beneficiary used last. */
    preferredChannel: string | null;
    /** Channels an officer may choose as preferred (enabled ones the beneficiary can be reached on). */
    reachableChannels: string[];
  };
  messages: Message[];
  notes: Note[];
  applications: ContactApplication[];
  interactions: Interaction[];
}

export interface ApplicationSummary {
  id: string;
  reference: string;
  applicantName: string;
  nationalId: string;
  status: string;
  createdAt: string;
  committeeDueAt?: string;
  overdue: boolean;
  researcher?: PersonRef;
  /** Submitted with an ID that had another beneficiary's open application (the intake told the applicant nothing). */
  possibleDuplicate: boolean;
  /** How it came in: `channel` (the bot's intake) or registered by staff (phone, walk_in, letter, representative). */
  source?: string;
  branchId?: string;
}

export interface HistoryEntry {
  from?: string;
  to: string;
  by?: string;
  note?: string;
  at: string;
}

export interface Visit {
  id: string;
  kind: 'interview' | 'field_visit';
  scheduledAt: string;
  place: string;
  researcher?: PersonRef;
  /** scheduled | done | cancelled */
  status: string;
  notes?: string;
  /** Why it was booked outside working hours or on the weekend (confirmed by the officer). */
  confirmReason?: string;
}

export interface Decision {
  id: string;
  decision: 'approved' | 'rejected';
  reasons: string;
  by?: string;
  at: string;
}

export interface ApplicationDetail {
  application: ApplicationSummary & { mobile?: string; documentsCheckedAt?: string; documentsCheckedBy?: string };
  /** `raw` is the stored value, for words in the officer's language (choices carry {ar, en} labels). */
  answers: { key: string; label: string; value: string; raw?: unknown }[];
  /** `method` and `takenBy`: how and by whom staff took it (a caller, a walk-in); absent for the chat's accept button. */
  declaration?: { version?: string; acceptedAt?: string; text?: string; method?: string; takenBy?: string };
  documents: Attachment[];
  history: HistoryEntry[];
  visits: Visit[];
  decisions: Decision[];
  /** The eligibility checklist, as the contract has it (src/api/applications.ts). */
  checklist: ChecklistItem[];
  /** After a refused move to the committee: the items the server named. */
  missing?: string[];
  /** The other beneficiary's open application this one may duplicate. */
  possibleDuplicateOf?: { id: string; reference: string };
  /** Every other application under this national ID, and whether it is the same beneficiary's. */
  sameNationalId: { id: string; reference: string; status: string; sameBeneficiary: boolean }[];
  /** From the server when it sends them; otherwise the client's own table (app-status.ts). */
  allowedNext?: string[];
}

export interface Report {
  conversations: { day: string; channel: string; count: number }[];
  waiting: { median: number | null; p90: number | null; count: number };
  /** `byServiceType`: ratings after a delivered service, per service type (the intake's need_type). */
  satisfaction: { average: number | null; count: number; distribution: [number, number, number, number, number]; byServiceType: { serviceType: string; count: number; average: number | null }[] };
  applications: { status: string; count: number }[];
  /** Today's applications per way in and per branch (null: no branch). */
  bySource: { source: string; count: number }[];
  byBranch: { branchId: string | null; count: number }[];
  overdue: number;
  /** Typed messages the bot read and understood, per week (Sunday first). */
  recognition: { week: string; messages: number; recognised: number; rate: number | null }[];
}

// The server's contract (src/api): a field renamed there is a compile error here.
/** What the inbox edits of a canned reply (`id` empty for a new one). */
export type CannedReply = Pick<ApiCannedReply, 'id' | 'title' | 'textAr' | 'textEn'>;

export const KNOWLEDGE_CATEGORIES = ['bylaws', 'research_guide', 'support_policy', 'forms', 'other'] as const satisfies readonly KnowledgeCategory[];

export interface KnowledgeArticle extends Pick<ApiKnowledgeArticle, 'id' | 'title' | 'body'> {
  /** A category id, or '' while a new article has none chosen yet. */
  category: KnowledgeCategory | '';
}

export interface AdminOfficer extends PersonRef {
  email: string;
  role: Role;
  gender: Gender;
  /** A representative's branch id; null for everyone else. */
  branchId: string | null;
  active: boolean;
  totpEnabled: boolean;
}

/** Step 1 of the authenticator set-up: the secret as a QR code (SVG) and as text. */
export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

export interface AuditEntry {
  id: string;
  /** The acting officer's name and id; absent for the system or an anonymous attempt. */
  who?: string;
  whoId?: string;
  whoGender: Gender;
  action: string;
  target?: {
    type: string;
    reference?: string;
    /** The officer acted on (accounts, sign-ins). */
    officer?: string;
    /** Masked name and contact id of the beneficiary concerned. */
    beneficiary?: string;
    contactId?: string;
  };
  ip?: string;
  at: string;
  /** Facts worth a sentence: a status change's from/to, a decision. */
  from?: string;
  to?: string;
  decision?: string;
  /** A checklist event: the item's label in both languages and the state it was set to. */
  item?: { ar: string; en: string };
  state?: string;
}

export interface AuditFilter {
  officerId?: string;
  action?: string;
  contactId?: string;
}

/** A running channel on the admins' Channels page; `status` only for channels with a live link (WhatsApp Web). */
export interface ChannelInfo {
  id: string;
  status?: {
    /** starting | qr | ready | disconnected (unknown values pass through). */
    state: string;
    since?: string;
    /** The pairing QR as an SVG document, while state is qr. */
    qrSvg?: string;
  };
}
