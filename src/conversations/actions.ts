// The action table: TypeScript functions a flow may call by name (synchronous, inside the message's transaction).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { counters, feedback, satisfactionRatings, volunteers } from '../db/schema.ts';
import type { EngineInput, Json } from '../flows/types.ts';
import { ActionFailure, hijriYear, num, str, type Action, type ActionContext } from './action-context.ts';
import { APPLICATION_ACTIONS } from './application-actions.ts';
import { PRIVACY_ACTIONS } from './privacy-actions.ts';

export { ActionFailure, DEFAULT_LOOKUP_LIMITS, type ActionContext, type ActionProfile, type LookupLimits } from './action-context.ts';

/** Sequential references for volunteers and feedback (VL-1448-00042): shown only to whoever sent them, never looked up. */
export function nextReference(db: Db, prefix: string, now: Date): string {
  const name = `${prefix}-${hijriYear(now)}`;
  const row = db
    .insert(counters)
    .values({ name, value: 1 })
    .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1` } })
    .returning({ value: counters.value })
    .get();
  return `${name}-${String(row.value).padStart(5, '0')}`;
}

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
  const opt = (key: string) => (typeof args[key] === 'string' && args[key] !== '' ? (args[key] as string) : null);
  const rated = { applicationId: opt('application_id'), serviceType: opt('service_type') };
  ctx.db.insert(satisfactionRatings).values({ conversationId: ctx.conversation.id, contactId: ctx.contact.id, score, comment, ...rated, createdAt: ctx.now.toISOString() }).run();
  return {};
};

export const ACTIONS: Readonly<Record<string, Action>> = {
  ...APPLICATION_ACTIONS,
  ...PRIVACY_ACTIONS,
  create_volunteer: createVolunteer,
  create_feedback: createFeedback,
  record_rating: recordRating,
};

/** Runs the action a flow asked for; an unknown name or an expected failure becomes the failed result `on_error` takes. */
export function runAction(name: string, ctx: ActionContext, args: Record<string, Json>, onUnknown: () => void): EngineInput {
  const fn = ACTIONS[name];
  if (!fn) {
    onUnknown();
    return { type: 'action_result', ok: false, error: 'unknown_action' };
  }
  try {
    return { type: 'action_result', ok: true, value: fn(ctx, args) };
  } catch (err) {
    if (!(err instanceof ActionFailure)) throw err;
    return { type: 'action_result', ok: false, error: err.reason };
  }
}
