// The shipped flows driven through the real engine, the way a beneficiary would type.
import { beforeAll, describe, expect, it } from 'vitest';
import { initialState, step } from '../../src/flows/engine.ts';
import { loadFlows } from '../../src/flows/loader.ts';
import type { EngineContext, EngineInput, EngineOutput, EngineResult, FlowState, Json } from '../../src/flows/types.ts';
import { createI18n } from '../../src/i18n/index.ts';
import type { Texts } from '../../src/i18n/index.ts';
import { loadProfile, profileJson } from '../../src/profile/load.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

let ctx: EngineContext;
let texts: Texts;

beforeAll(async () => {
  texts = await createI18n(`${ROOT}locales`);
  ctx = {
    flows: loadFlows(`${ROOT}flows`).flows,
    mainFlow: 'main',
    profile: profileJson(await loadProfile(`${ROOT}profiles/example.yaml`)),
    lookup: texts.lookup,
    now: new Date('2026-04-01T09:00:00Z'),
  };
});

const keys = (r: EngineResult): string[] => r.outputs.map((o: EngineOutput) => (o.type === 'text' ? o.key : o.type));
const lastText = (r: EngineResult): Extract<EngineOutput, { type: 'text' }> => {
  const texts = r.outputs.filter((o): o is Extract<EngineOutput, { type: 'text' }> => o.type === 'text');
  const last = texts.at(-1);
  if (!last) throw new Error(`no text in ${JSON.stringify(r.outputs)}`);
  return last;
};

/** A conversation as the service seeds it, with a small driver that records every result. */
function conversation(vars: Record<string, Json> = { channel: 'telegram', channel_phone: '+966551234567' }) {
  let state: FlowState = { ...initialState(ctx), vars };
  return {
    send(input: EngineInput | string): EngineResult {
      let r = step(ctx, state, typeof input === 'string' ? { type: 'text', text: input } : input);
      // This beneficiary already accepted the privacy notice (tests/transcripts/privacy-consent.yaml covers asking).
      while (r.action?.name === 'check_consent') {
        const next = step(ctx, r.state, { type: 'action_result', ok: true, value: { accepted: true, checked_at: ctx.now.toISOString() } });
        r = { ...next, outputs: [...r.outputs, ...next.outputs] };
      }
      state = r.state;
      return r;
    },
    get state(): FlowState {
      return state;
    },
  };
}

describe('apply', () => {
  it('runs from the main menu to the confirmation, with a correction from the summary', () => {
    const c = conversation();
    expect(keys(c.send({ type: 'start' }))).toEqual(['main.welcome', 'main.menu']);
    expect(keys(c.send('ابي اقدم'))).toEqual(['apply.intro', 'apply.ask_name']);
    expect(keys(c.send('محمد عبدالله العتيبي'))).toEqual(['apply.ask_national_id']);
    const lookup = c.send('١٠٠٠٠٠٠٠٠٨');
    expect(lookup.action).toEqual({ name: 'find_open_application', args: { national_id: '1000000008' } });
    const mobile = c.send({ type: 'action_result', ok: true, value: { found: false } });
    expect(keys(mobile)).toEqual(['apply.ask_mobile']);
    expect(lastText(mobile).choices?.map((ch) => ch.id)).toEqual(['use_offered']);
    expect(keys(c.send({ type: 'choice', id: 'use_offered' }))).toEqual(['apply.ask_city']);
    c.send('الرياض');
    c.send('6');
    expect(keys(c.send('3500'))).toEqual(['apply.ask_housing']);
    expect(keys(c.send('إيجار'))).toEqual(['apply.ask_need']);
    const summary = c.send('سلة غذائية');
    // Over Telegram documents are not taken in the chat: the beneficiary is told where to hand them in.
    expect(keys(summary)).toEqual(['apply.documents_elsewhere', 'apply.summary']);
    expect(texts.t('ar', 'apply.summary', lastText(summary).params)).toContain('السكن: إيجار\nنوع الاحتياج: سلة غذائية');

    expect(keys(c.send({ type: 'choice', id: 'edit_city' }))).toEqual(['apply.ask_city']);
    const back = c.send('جدة');
    expect(keys(back)).toEqual(['apply.summary']);
    expect(lastText(back).params.city).toBe('جدة');

    expect(keys(c.send({ type: 'choice', id: 'confirm' }))).toEqual(['apply.declaration']);
    const create = c.send({ type: 'choice', id: 'accept' });
    expect(create.action?.name).toBe('create_application');
    expect(create.action?.args).toMatchObject({ full_name: 'محمد عبدالله العتيبي', national_id: '1000000008', city: 'جدة', family_size: 6, monthly_income: 3500, housing_type: 'rented', need_type: 'food' });
    expect(String(create.action?.args.mobile)).toMatch(/551234567$/);

    const done = c.send({ type: 'action_result', ok: true, value: { reference: 'TW-1447-00002', review_days: 14, due_date: { date: '2026-04-15T09:00:00Z' } } });
    expect(keys(done)).toEqual(['apply.confirmation', 'main.menu']); // welcomed once per conversation
    const confirmation = texts.t('ar', 'apply.confirmation', (done.outputs[0] as Extract<EngineOutput, { type: 'text' }>).params);
    expect(confirmation).toContain('TW-1447-00002');
    expect(confirmation).toContain('لا تقل عن ١٤ يومًا');
    expect(confirmation).toContain('هـ الموافق');
  });

  it('goes on as a new request unless the lookup says the open request is the asker’s own', () => {
    const c = conversation();
    c.send({ type: 'start' });
    c.send({ type: 'choice', id: 'apply' });
    c.send('نورة سعد');
    c.send('1000000008');
    const r = c.send({ type: 'action_result', ok: true, value: { found: true, reference: 'TW-1447-00001', status: { t: 'status.under_study' } } });
    expect(keys(r)).toEqual(['apply.ask_mobile']);
    const own = conversation();
    own.send({ type: 'start' });
    own.send({ type: 'choice', id: 'apply' });
    own.send('نورة سعد');
    own.send('1000000008');
    const mine = own.send({ type: 'action_result', ok: true, value: { found: true, authorized: true, reference: 'TW-1447-00001', status: { t: 'status.under_study' } } });
    expect(keys(mine)).toEqual(['apply.existing', 'main.menu']);
  });

  it('asks again after a declined declaration and can cancel', () => {
    const c = conversation();
    c.send({ type: 'start' });
    c.send({ type: 'choice', id: 'apply' });
    for (const answer of ['نورة سعد', '1000000008']) c.send(answer);
    c.send({ type: 'action_result', ok: true, value: { found: false } });
    for (const answer of ['0551234567', 'الدمام', '3', '0', 'ملك', 'علاج']) c.send(answer);
    c.send({ type: 'choice', id: 'confirm' });
    expect(keys(c.send({ type: 'choice', id: 'decline' }))).toEqual(['apply.declaration_required']);
    expect(keys(c.send({ type: 'choice', id: 'review_declaration' }))).toEqual(['apply.declaration']);
    c.send({ type: 'choice', id: 'decline' });
    expect(keys(c.send({ type: 'choice', id: 'cancel' }))).toEqual(['apply.cancelled', 'main.menu']);
  });

  it('re-checks and names the existing request when creation fails, else offers a retry', () => {
    const c = conversation();
    c.send({ type: 'start' });
    c.send({ type: 'choice', id: 'apply' });
    for (const answer of ['نورة سعد', '1000000008']) c.send(answer);
    c.send({ type: 'action_result', ok: true, value: { found: false } });
    for (const answer of ['0551234567', 'الدمام', '3', '0', 'ملك', 'علاج']) c.send(answer);
    c.send({ type: 'choice', id: 'confirm' });
    c.send({ type: 'choice', id: 'accept' });
    const recheck = c.send({ type: 'action_result', ok: false, error: 'duplicate_open_application' });
    expect(recheck.action).toEqual({ name: 'find_open_application', args: { national_id: '1000000008' } });
    const failed = c.send({ type: 'action_result', ok: true, value: { found: false } });
    expect(keys(failed)).toEqual(['common.save_failed']);
    expect(c.send({ type: 'choice', id: 'retry' }).action?.name).toBe('create_application');
  });
});

describe('status', () => {
  it('shows details only when authorized', () => {
    const c = conversation();
    c.send({ type: 'start' });
    c.send('وين وصل طلبي');
    expect(c.send('TW-1447-00001').action).toEqual({ name: 'find_application', args: { query: 'TW-1447-00001' } });
    const privateAnswer = c.send({ type: 'action_result', ok: true, value: { authorized: false } });
    expect(keys(privateAnswer)).toEqual(['status.private']);
    expect(lastText(privateAnswer).choices?.map((ch) => ch.id)).toEqual(['retry', 'apply', 'back_to_menu']);

    c.send({ type: 'choice', id: 'back_to_menu' });
    c.send({ type: 'choice', id: 'status' });
    c.send('1000000008');
    const value = { found: true, authorized: true, reference: 'TW-1447-00001', status: { t: 'status.committee' }, updated_at: { date: '2026-04-01T09:00:00Z' }, due_date: { date: '2026-04-15T09:00:00Z' } };
    const shown = c.send({ type: 'action_result', ok: true, value });
    expect(keys(shown)).toEqual(['status.show', 'main.menu']);
    expect(texts.t('ar', 'status.show', lastText({ ...shown, outputs: shown.outputs.slice(0, 1) }).params)).toContain('لدى لجنة البحث');

    c.send({ type: 'choice', id: 'status' });
    c.send('1000000008');
    expect(keys(c.send({ type: 'action_result', ok: true, value: { ...value, status: { t: 'status.approved' } } }))).toEqual(['status.show_decided', 'main.menu']);

    c.send({ type: 'choice', id: 'status' });
    c.send('TW-1447-99999');
    expect(keys(c.send({ type: 'action_result', ok: true, value: { found: false } }))).toEqual(['status.private']);

    c.send({ type: 'choice', id: 'back_to_menu' });
    c.send({ type: 'choice', id: 'status' });
    c.send('1000000008');
    expect(keys(c.send({ type: 'action_result', ok: true, value: { limited: true } }))).toEqual(['status.too_many', 'main.menu']);
  });
});

describe('volunteer and feedback', () => {
  it('registers a volunteer', () => {
    const c = conversation({ channel: 'webchat' });
    c.send({ type: 'start' });
    expect(keys(c.send('أبي أتطوع'))).toEqual(['volunteer.intro', 'volunteer.ask_name']);
    for (const answer of ['سارة أحمد', '0551234567', 'الرياض', 'تنظيم الفعاليات']) c.send(answer);
    const r = c.send('نهاية الأسبوع');
    expect(r.action).toMatchObject({ name: 'create_volunteer', args: { name: 'سارة أحمد', city: 'الرياض', interests: 'events', availability: 'weekends' } });
    expect(keys(c.send({ type: 'action_result', ok: true, value: { reference: 'VL-1447-00001' } }))).toEqual(['volunteer.thanks', 'main.menu']);
  });

  it('thanks for a complaint with the promise of an answer', () => {
    const c = conversation();
    c.send({ type: 'start' });
    c.send({ type: 'choice', id: 'feedback' });
    c.send('شكوى');
    const r = c.send('تأخر الرد على طلبي أكثر من شهر');
    expect(r.action).toEqual({ name: 'create_feedback', args: { kind: 'complaint', text: 'تأخر الرد على طلبي أكثر من شهر' } });
    expect(keys(c.send({ type: 'action_result', ok: true, value: { reference: 'CM-1447-00001' } }))).toEqual(['feedback.thanks_complaint', 'main.menu']);
  });
});

describe('survey', () => {
  it('records a rating without a comment and waits quietly', () => {
    const c = conversation({ channel: 'telegram' });
    expect(keys(c.send({ type: 'start', flow: 'survey' }))).toEqual(['survey.ask_rating']);
    expect(keys(c.send('5'))).toEqual(['survey.ask_wants_comment']);
    const r = c.send('لا');
    expect(r.action).toEqual({ name: 'record_rating', args: { score: '5', comment: null, service_type: null, application_id: null } });
    expect(keys(c.send({ type: 'action_result', ok: true, value: {} }))).toEqual(['survey.thanks']);
    expect(c.state.waiting).toBe('idle');
  });

  it('takes a comment, and answers a low rating with an apology', () => {
    const c = conversation({ channel: 'telegram' });
    c.send({ type: 'start', flow: 'survey' });
    c.send({ type: 'choice', id: '2' });
    c.send('نعم');
    const r = c.send('الانتظار كان طويلًا');
    expect(r.action).toEqual({ name: 'record_rating', args: { score: '2', comment: 'الانتظار كان طويلًا', service_type: null, application_id: null } });
    expect(keys(c.send({ type: 'action_result', ok: false, error: 'db' }))).toEqual(['survey.thanks_low']);
  });
});

describe('officer', () => {
  it('hands over from the main menu', () => {
    const c = conversation();
    c.send({ type: 'start' });
    expect(keys(c.send({ type: 'choice', id: 'officer' }))).toEqual(['handoff']);
  });
});
