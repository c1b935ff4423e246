// The action table: TypeScript functions a flow may call by name (synchronous, inside the message's transaction).
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import {
  FINAL_APPLICATION_STATUSES,
  applicationStatusHistory,
  applications,
  attachments,
  counters,
  feedback,
  satisfactionRatings,
  statusRequests,
  volunteers,
} from '../db/schema.ts';
import type { Json } from '../flows/types.ts';
import { toAsciiDigits } from '../flows/normalize.ts';
import type { ContactRow, ConversationRow, IdentityRow, Repo } from './repo.ts';

export interface ActionProfile {
  committee_review_days: number;
  declaration_version: string;
}

export interface ActionContext {
  db: Db;
  repo: Repo;
  conversation: ConversationRow;
  contact: ContactRow;
  identity: IdentityRow;
  profile: ActionProfile;
  now: Date;
  /**
   * Tell a beneficiary something in their own language on their own channels, in this transaction; `first`
   * targets go before their usual ones (the registered mobile for a status request).
   */
  notify?: (contactId: string, key: string, params: Record<string, Json>, first?: { channel: string; address: string }[]) => void;
}

/** Thrown by an action for an expected failure; the flow takes its `on_error` path. */
export class ActionFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ActionFailure';
  }
}

export type Action = (ctx: ActionContext, args: Record<string, Json>) => Json;

const DAY_MS = 86_400_000;

function str(args: Record<string, Json>, name: string): string {
  const v = args[name];
  if (v === undefined || v === null) throw new ActionFailure(`missing argument ${name}`);
  return String(v);
}

function num(args: Record<string, Json>, name: string): number {
  const n = Number(args[name]);
  if (!Number.isFinite(n)) throw new ActionFailure(`argument ${name} is not a number`);
  return n;
}

const hijriYear = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura-nu-latn', { year: 'numeric', timeZone: 'Asia/Riyadh' });

/** Human-friendly references: TW-1448-00042 (prefix, Hijri year, yearly sequence). */
export function nextReference(db: Db, prefix: string, now: Date): string {
  const year = (hijriYear.format(now).match(/\d+/) ?? ['0'])[0];
  const name = `${prefix}-${year}`;
  const row = db
    .insert(counters)
    .values({ name, value: 1 })
    .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1` } })
    .returning({ value: counters.value })
    .get();
  return `${name}-${String(row.value).padStart(5, '0')}`;
}

/** References typed by people: any case, Arabic-Indic digits, spaces or missing dashes. */
export function normalizeReference(input: string): string {
  const compact = toAsciiDigits(input).toUpperCase().replace(/[\s\u2066-\u2069\u200e\u200f]/g, '');
  const m = compact.match(/^([A-Z]{2})[-_]?(\d{4})[-_]?(\d{1,5})$/);
  if (!m) return compact;
  return `${m[1]}-${m[2]}-${(m[3] ?? '').padStart(5, '0')}`;
}

/**
 * Someone else typed this applicant's ID: the status goes to the applicant — by SMS to the mobile registered in
 * the application first, then their own channels — never to whoever asked.
 */
function recordStatusRequest(ctx: ActionContext, app: typeof applications.$inferSelect): void {
  const sent = ctx.notify !== undefined;
  ctx.db
    .insert(statusRequests)
    .values({ applicationId: app.id, requesterContactId: ctx.contact.id, channel: ctx.conversation.channel, handled: sent, createdAt: ctx.now.toISOString() })
    .run();
  ctx.notify?.(app.contactId, 'notify.status_requested', { reference: app.reference, status: { t: `status.${app.status}` } }, [{ channel: 'sms', address: app.mobile }]);
}

function openApplicationFor(db: Db, nationalId: string) {
  return db
    .select()
    .from(applications)
    .where(and(eq(applications.nationalId, nationalId), notInArray(applications.status, [...FINAL_APPLICATION_STATUSES])))
    .orderBy(desc(applications.createdAt))
    .limit(1)
    .get();
}

const findOpenApplication: Action = (ctx, args): Json => {
  const existing = openApplicationFor(ctx.db, toAsciiDigits(str(args, 'national_id')));
  if (!existing) return { found: false };
  if (existing.contactId !== ctx.contact.id) {
    // Someone else typed this ID: they learn the reference, but the status goes to the registered mobile.
    recordStatusRequest(ctx, existing);
    return { found: true, authorized: false, reference: existing.reference };
  }
  return { found: true, authorized: true, reference: existing.reference, status: { t: `status.${existing.status}` }, submitted_at: { date: existing.createdAt } };
};

const createApplication: Action = (ctx, args) => {
  const nationalId = toAsciiDigits(str(args, 'national_id'));
  if (openApplicationFor(ctx.db, nationalId)) throw new ActionFailure('duplicate_open_application');
  const ts = ctx.now.toISOString();
  const reviewDays = Math.max(14, ctx.profile.committee_review_days);
  const due = new Date(ctx.now.getTime() + reviewDays * DAY_MS).toISOString();
  const id = randomUUID();
  const reference = nextReference(ctx.db, 'TW', ctx.now);
  const mobile = str(args, 'mobile');
  ctx.db
    .insert(applications)
    .values({
      id,
      reference,
      contactId: ctx.contact.id,
      conversationId: ctx.conversation.id,
      applicantName: str(args, 'full_name'),
      nationalId,
      mobile,
      answers: {
        city: str(args, 'city'),
        family_size: num(args, 'family_size'),
        monthly_income: num(args, 'monthly_income'),
        housing_type: str(args, 'housing_type'),
        need_type: str(args, 'need_type'),
        channel: ctx.conversation.channel,
        documents_later: [args.id_document, args.income_document].some((d) => d === null),
      },
      // The flow only reaches this action after the beneficiary pressed "accept" on the declaration.
      declarationVersion: ctx.profile.declaration_version,
      declarationAcceptedAt: ts,
      status: 'new',
      committeeDueAt: due,
      createdAt: ts,
      updatedAt: ts,
    })
    .run();
  ctx.db.insert(applicationStatusHistory).values({ applicationId: id, fromStatus: null, toStatus: 'new', changedBy: 'beneficiary', createdAt: ts }).run();
  // Documents uploaded during the intake (ID copy, income proof) belong to the application; "later" is null.
  const documents = [args.id_document, args.income_document].filter((d): d is string => typeof d === 'string' && d !== '');
  if (documents.length > 0) {
    ctx.db
      .update(attachments)
      .set({ applicationId: id })
      .where(and(inArray(attachments.id, documents), eq(attachments.contactId, ctx.contact.id)))
      .run();
  }
  ctx.repo.updateContact(ctx.contact.id, { nationalId, phone: ctx.contact.phone ?? mobile, displayName: ctx.contact.displayName ?? str(args, 'full_name') }, ctx.now);
  return { reference, review_days: reviewDays, due_date: { date: due } };
};

const findApplication: Action = (ctx, args): Json => {
  const query = str(args, 'query');
  const digits = toAsciiDigits(query).replace(/[\s-]/g, '');
  const byId = /^\d{10}$/.test(digits);
  const app = byId
    ? ctx.db.select().from(applications).where(eq(applications.nationalId, digits)).orderBy(desc(applications.createdAt)).limit(1).get()
    : ctx.db.select().from(applications).where(eq(applications.reference, normalizeReference(query))).get();
  if (!app) return { found: false };
  if (app.contactId !== ctx.contact.id) {
    // Privacy: someone else asking gets no details; the applicant is told on their registered mobile.
    recordStatusRequest(ctx, app);
    return { found: true, authorized: false };
  }
  return {
    found: true,
    authorized: true,
    reference: app.reference,
    status: { t: `status.${app.status}` },
    updated_at: { date: app.updatedAt },
    due_date: { date: app.committeeDueAt },
  };
};

const createVolunteer: Action = (ctx, args) => {
  const reference = nextReference(ctx.db, 'VL', ctx.now);
  ctx.db
    .insert(volunteers)
    .values({
      id: randomUUID(),
      reference,
      contactId: ctx.contact.id,
      name: str(args, 'name'),
      mobile: str(args, 'mobile'),
      city: str(args, 'city'),
      interests: str(args, 'interests'),
      availability: str(args, 'availability'),
      createdAt: ctx.now.toISOString(),
    })
    .run();
  return { reference };
};

const createFeedback: Action = (ctx, args) => {
  const kind = str(args, 'kind');
  if (kind !== 'complaint' && kind !== 'suggestion') throw new ActionFailure(`unknown feedback kind ${kind}`);
  const reference = nextReference(ctx.db, kind === 'complaint' ? 'CM' : 'SG', ctx.now);
  ctx.db
    .insert(feedback)
    .values({ id: randomUUID(), reference, contactId: ctx.contact.id, conversationId: ctx.conversation.id, kind, text: str(args, 'text'), createdAt: ctx.now.toISOString() })
    .run();
  return { reference };
};

const recordRating: Action = (ctx, args) => {
  const score = num(args, 'score');
  if (!Number.isInteger(score) || score < 1 || score > 5) throw new ActionFailure('score must be 1 to 5');
  const comment = args.comment === undefined || args.comment === null || args.comment === '' ? null : String(args.comment);
  ctx.db.insert(satisfactionRatings).values({ conversationId: ctx.conversation.id, contactId: ctx.contact.id, score, comment, createdAt: ctx.now.toISOString() }).run();
  return {};
};

export const ACTIONS: Readonly<Record<string, Action>> = {
  find_open_application: findOpenApplication,
  create_application: createApplication,
  find_application: findApplication,
  create_volunteer: createVolunteer,
  create_feedback: createFeedback,
  record_rating: recordRating,
};
