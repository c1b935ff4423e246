// The privacy flow's actions: consent to the notice (per contact and notice version) and the requests a beneficiary
// makes about their own data, tied to the identity that asked. The conversation service stays their one writer.
import { randomInt, randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { CODE_SPACE, formatReference, hasPlainCheck } from '../core/references.ts';
import type { Db } from '../db/client.ts';
import { PRIVACY_REQUEST_KINDS, consents, privacyRequests, type PrivacyRequestKind } from '../db/schema.ts';
import type { Json } from '../flows/types.ts';
import { ActionFailure, hijriYear, str, type Action, type ActionContext } from './action-context.ts';

/** PDPL: the controller answers a data subject's request within 30 days. */
export const PRIVACY_REQUEST_DAYS = 30;
const DAY_MS = 86_400_000;
/** A profile without `privacy_notice_version` (older test profiles) still records a version. */
const DEFAULT_NOTICE_VERSION = '1';

export function noticeVersion(ctx: Pick<ActionContext, 'profile'>): string {
  return ctx.profile.privacy_notice_version ?? DEFAULT_NOTICE_VERSION;
}

/** Whether this contact's latest answer to the current notice version is an acceptance. */
export function hasConsent(db: Db, contactId: string, version: string): boolean {
  const row = db
    .select({ decision: consents.decision })
    .from(consents)
    .where(and(eq(consents.contactId, contactId), eq(consents.noticeVersion, version)))
    .orderBy(desc(consents.at))
    .limit(1)
    .get();
  return row?.decision === 'accept';
}

/** `checked_at` marks where the personal answers start: an abandoned intake's messages are deleted from there on. */
const checkConsent: Action = (ctx) => ({ accepted: hasConsent(ctx.db, ctx.contact.id, noticeVersion(ctx)), checked_at: ctx.now.toISOString() });

const recordConsent: Action = (ctx, args) => {
  const decision = str(args, 'decision');
  if (decision !== 'accept' && decision !== 'decline') throw new ActionFailure(`unknown consent decision ${decision}`);
  ctx.db.insert(consents).values({ contactId: ctx.contact.id, noticeVersion: noticeVersion(ctx), decision, channel: ctx.conversation.channel, at: ctx.now.toISOString() }).run();
  return { accepted: decision === 'accept', checked_at: ctx.now.toISOString() };
};

function newPrivacyReference(db: Db, now: Date): string {
  const year = hijriYear(now);
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = randomInt(0, CODE_SPACE);
    if (!hasPlainCheck(value)) continue;
    const reference = formatReference('PR', year, value);
    if (!db.select({ id: privacyRequests.id }).from(privacyRequests).where(eq(privacyRequests.reference, reference)).get()) return reference;
  }
  throw new Error('no free privacy request reference after 100 draws');
}

function isKind(kind: string): kind is PrivacyRequestKind {
  return (PRIVACY_REQUEST_KINDS as readonly string[]).includes(kind);
}

function told(reference: string, kind: PrivacyRequestKind, dueAt: string): Json {
  return { reference, kind, what: { t: `privacy.what.${kind}` }, next_steps: { t: `privacy.next.${kind}` }, due_date: { date: dueAt } };
}

/** Opens a request of this kind for the asking identity; asking again while one is open answers with that one. */
const openPrivacyRequest: Action = (ctx, args) => {
  const kind = str(args, 'kind');
  if (!isKind(kind)) throw new ActionFailure(`unknown privacy request kind ${kind}`);
  const open = ctx.db
    .select({ reference: privacyRequests.reference, dueAt: privacyRequests.dueAt })
    .from(privacyRequests)
    .where(and(eq(privacyRequests.identityId, ctx.identity.id), eq(privacyRequests.kind, kind), eq(privacyRequests.status, 'open')))
    .get();
  if (open) return told(open.reference, kind, open.dueAt);
  const dueAt = new Date(ctx.now.getTime() + PRIVACY_REQUEST_DAYS * DAY_MS).toISOString();
  const reference = newPrivacyReference(ctx.db, ctx.now);
  ctx.db
    .insert(privacyRequests)
    .values({ id: randomUUID(), reference, contactId: ctx.contact.id, identityId: ctx.identity.id, kind, status: 'open', createdAt: ctx.now.toISOString(), dueAt })
    .run();
  return told(reference, kind, dueAt);
};

export const PRIVACY_ACTIONS: Readonly<Record<string, Action>> = {
  check_consent: checkConsent,
  record_consent: recordConsent,
  open_privacy_request: openPrivacyRequest,
};
