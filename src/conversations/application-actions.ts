// The intake's and the status flow's actions: only the applicant's own proven identity learns an application exists.
import { randomInt, randomUUID } from 'node:crypto';
import { and, desc, eq, gt, inArray, ne, notInArray } from 'drizzle-orm';
import { CODE_SPACE, formatReference, hasPlainCheck, parseReference } from '../core/references.ts';
import type { Db } from '../db/client.ts';
import { FINAL_APPLICATION_STATUSES, applicationStatusHistory, applications, attachments, statusRequests } from '../db/schema.ts';
import { toAsciiDigits } from '../flows/normalize.ts';
import type { Json } from '../flows/types.ts';
import { ActionFailure, hijriYear, num, str, type Action, type ActionContext } from './action-context.ts';
import { claimForApplication } from './incomplete-upload.ts';
import { takeLookup } from './lookup-limits.ts';

const DAY_MS = 86_400_000;
/** However often strangers ask, the applicant hears about it at most once a day. */
const NOTICE_EVERY_MS = DAY_MS;

type ApplicationRow = typeof applications.$inferSelect;

/** A fresh TW-<Hijri year>-<six random symbols><check>, drawn again on the rare collision. */
export function newApplicationReference(db: Db, now: Date): string {
  const year = hijriYear(now);
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = randomInt(0, CODE_SPACE);
    // About one value in seven would need a check symbol like * or ~; draw again rather than print one.
    if (!hasPlainCheck(value)) continue;
    const reference = formatReference('TW', year, value);
    if (!db.select({ id: applications.id }).from(applications).where(eq(applications.reference, reference)).get()) return reference;
  }
  throw new Error('no free application reference after 100 draws');
}

/**
 * Someone else asked about this application: the status goes to the applicant — by SMS to the mobile registered in
 * the application first, then their own channels — never to whoever asked, and at most once in 24 hours.
 */
function recordStatusRequest(ctx: ActionContext, app: ApplicationRow): void {
  const since = new Date(ctx.now.getTime() - NOTICE_EVERY_MS).toISOString();
  const noticed = ctx.db
    .select({ id: statusRequests.id })
    .from(statusRequests)
    .where(and(eq(statusRequests.applicationId, app.id), eq(statusRequests.handled, true), gt(statusRequests.createdAt, since)))
    .limit(1)
    .get();
  const notice = ctx.notify !== undefined && noticed === undefined;
  ctx.db
    .insert(statusRequests)
    .values({ applicationId: app.id, requesterContactId: ctx.contact.id, channel: ctx.conversation.channel, handled: notice, createdAt: ctx.now.toISOString() })
    .run();
  if (notice) ctx.notify?.(app.contactId, 'notify.status_requested', { reference: app.reference, status: { t: `status.${app.status}` } }, [{ channel: 'sms', address: app.mobile }]);
}

const open = notInArray(applications.status, [...FINAL_APPLICATION_STATUSES]);

/** The newest open application for this ID: the asker's own (`mine`), or anyone else's. */
function openApplication(db: Db, nationalId: string, contactId: string, mine: boolean): ApplicationRow | undefined {
  const whose = mine ? eq(applications.contactId, contactId) : ne(applications.contactId, contactId);
  return db.select().from(applications).where(and(eq(applications.nationalId, nationalId), open, whose)).orderBy(desc(applications.createdAt)).limit(1).get();
}

/** The intake's check: only the asker's own open application is found; another's looks exactly like none. */
const findOpenApplication: Action = (ctx, args): Json => {
  const own = openApplication(ctx.db, toAsciiDigits(str(args, 'national_id')), ctx.contact.id, true);
  if (!own) return { found: false };
  return { found: true, authorized: true, reference: own.reference, status: { t: `status.${own.status}` }, submitted_at: { date: own.createdAt } };
};

const createApplication: Action = (ctx, args) => {
  const nationalId = toAsciiDigits(str(args, 'national_id'));
  if (openApplication(ctx.db, nationalId, ctx.contact.id, true)) throw new ActionFailure('duplicate_open_application');
  // Someone else's open application for this ID: stored all the same, flagged for the researcher; the asker is told nothing.
  const other = openApplication(ctx.db, nationalId, ctx.contact.id, false);
  const ts = ctx.now.toISOString();
  const reviewDays = Math.max(14, ctx.profile.committee_review_days);
  const due = new Date(ctx.now.getTime() + reviewDays * DAY_MS).toISOString();
  const id = randomUUID();
  const reference = newApplicationReference(ctx.db, ctx.now);
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
      possibleDuplicateOf: other?.id ?? null,
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
  // Each upload the intake asked for by name is tagged with its checklist item, which is then received.
  for (const [file, item] of [[args.id_document, args.id_document_item], [args.income_document, args.income_document_item]] as const) {
    if (typeof file !== 'string' || file === '' || typeof item !== 'string') continue;
    const mine = ctx.db.select({ id: attachments.id }).from(attachments).where(and(eq(attachments.id, file), eq(attachments.contactId, ctx.contact.id))).get();
    if (mine) claimForApplication(ctx.db, { attachmentId: file, applicationId: id, document: { id: item, ar: item, en: item }, now: ts });
  }
  ctx.repo.updateContact(ctx.contact.id, { nationalId, phone: ctx.contact.phone ?? mobile, displayName: ctx.contact.displayName ?? str(args, 'full_name') }, ctx.now);
  return { reference, review_days: reviewDays, due_date: { date: due } };
};

function applicationFor(ctx: ActionContext, query: string): ApplicationRow | undefined {
  const digits = toAsciiDigits(query).replace(/[\s-]/g, '');
  if (/^\d{10}$/.test(digits)) {
    // The asker's own application first, so a stranger's application under the same ID never hides it.
    const byId = (mine: boolean) =>
      ctx.db
        .select()
        .from(applications)
        .where(and(eq(applications.nationalId, digits), mine ? eq(applications.contactId, ctx.contact.id) : ne(applications.contactId, ctx.contact.id)))
        .orderBy(desc(applications.createdAt))
        .limit(1)
        .get();
    return byId(true) ?? byId(false);
  }
  const reference = parseReference(query);
  return reference ? ctx.db.select().from(applications).where(eq(applications.reference, reference)).get() : undefined;
}

/**
 * The status flow's lookup, limited per identity and per client network. The applicant sees their application;
 * anyone else gets the same answer whether or not it exists, and the applicant is told on their registered mobile.
 */
const findApplication: Action = (ctx, args): Json => {
  if (!takeLookup(ctx)) return { limited: true };
  const app = applicationFor(ctx, str(args, 'query'));
  if (app?.contactId !== ctx.contact.id) {
    if (app) recordStatusRequest(ctx, app);
    // Whether we can keep the promise to text the registered mobile is a fact of this deployment, never of the
    // application: the answer must read the same whether or not one exists.
    return { authorized: false, mobile_reachable: ctx.textsMobiles === true };
  }
  return {
    authorized: true,
    reference: app.reference,
    status: { t: `status.${app.status}` },
    updated_at: { date: app.updatedAt },
    due_date: { date: app.committeeDueAt },
  };
};

export const APPLICATION_ACTIONS = {
  find_open_application: findOpenApplication,
  create_application: createApplication,
  find_application: findApplication,
} satisfies Record<string, Action>;
