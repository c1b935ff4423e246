import { describe, expect, it } from 'vitest';
import { initialState, step } from '../../src/flows/engine.ts';
import type { EngineInput, FlowState } from '../../src/flows/types.ts';
import { ALL_FLOWS, TEXTS } from './fixtures.ts';
import { Convo, makeCtx, parseFlows } from './helpers.ts';

const ctx = makeCtx(parseFlows(...ALL_FLOWS), TEXTS);

/** Answers the application up to its summary screen. */
function toSummary(c: Convo): void {
  c.start();
  c.send('1');
  c.send('سارة أحمد');
  c.send('١٠٥٨٥٢٩٩٤٠');
  c.send('0551234567');
  c.send('11/3/1400');
  c.send('٤');
  c.send('لا');
}

describe('starting and the main menu', () => {
  it('start shows the main menu with only the choices whose condition holds', () => {
    const c = new Convo(ctx);
    expect(c.start()).toEqual(['main.menu']);
    expect(c.question).toMatchObject({ flow: 'main', step: 'menu', params: { charity: { ar: 'جمعية البر', en: 'Al-Birr Society' } } });
    expect(c.question.choices?.map((x) => x.id)).toEqual(['apply', 'status', 'survey', 'talk']);
    expect(c.state).toMatchObject({ flow: 'main', step: 'menu', waiting: 'input', locale: 'ar' });
  });

  it('a hidden choice appears once its condition holds, and numbering follows what is shown', () => {
    const c = Convo.seeded(ctx, { vip: true });
    c.start();
    expect(c.question.choices?.map((x) => x.id)).toEqual(['apply', 'status', 'hidden', 'survey', 'talk']);
    expect(c.send('3')).toEqual(['main.bye']);
    const plain = new Convo(ctx);
    plain.start();
    expect(plain.send('3')).toEqual(['survey.job']);
  });

  it.each([
    ['1', 'apply.ask_name'],
    ['١', 'apply.ask_name'],
    ['۲', 'identify.ask_id'],
    ['2.', 'identify.ask_id'],
    ['2)', 'identify.ask_id'],
    ['(2)', 'identify.ask_id'],
    ['تقديم طلب مساعدة', 'apply.ask_name'],
    ['تقديم طلب مساعده', 'apply.ask_name'],
    ['📝 تقديم طلبُ مساعدة!', 'apply.ask_name'],
    ['Apply for support', 'apply.ask_name'],
    ['check my application', 'identify.ask_id'],
    ['ابغى مساعدة', 'apply.ask_name'],
    ['help request', 'apply.ask_name'],
    ['status', 'identify.ask_id'],
  ])('menu answer %j leads to %s', (answer, question) => {
    const c = new Convo(ctx);
    c.start();
    expect(c.send(answer)).toEqual([question]);
  });

  it('a button press carries the choice id', () => {
    const c = new Convo(ctx);
    c.start();
    expect(c.send({ type: 'choice', id: 'status' })).toEqual(['identify.ask_id']);
  });

  it('an unknown answer explains the options and shows the same menu again', () => {
    const c = new Convo(ctx);
    c.start();
    const menu = c.question;
    expect(c.send('بكرة')).toEqual(['validation.choice_invalid', 'main.menu']);
    expect(c.last.outputs[0]).toMatchObject({ params: { max: 4 }, flow: 'main', step: 'menu' });
    expect(c.question).toEqual(menu);
    expect(c.state?.attempts).toBe(1);
    expect(c.send({ type: 'choice', id: 'no_such_choice' })).toEqual(['validation.choice_invalid', 'main.menu']);
  });

  it('a menu answered wrongly too often hands over to an officer (menu default)', () => {
    const c = new Convo(ctx);
    c.start();
    c.send('x');
    c.send('٩');
    expect(c.send('y')).toEqual(['engine.too_many_attempts', 'engine.handoff', 'HANDOFF']);
    expect(c.state?.waiting).toBe('idle');
  });

  it('a handoff step says its text and hands over', () => {
    const c = new Convo(ctx);
    c.start();
    expect(c.send('5')).toEqual(['validation.choice_invalid', 'main.menu']);
    expect(c.send('4')).toEqual(['main.human', 'HANDOFF']);
    expect(c.last.outputs[1]).toEqual({ type: 'handoff', flow: 'main', step: 'human' });
    expect(c.state?.waiting).toBe('idle');
  });
});

describe('asking and validating', () => {
  it('a wrong answer gets the reason, then the same question again', () => {
    const c = new Convo(ctx);
    c.start();
    c.send('1');
    c.send('سارة');
    expect(c.send('1000000000')).toEqual(['validation.national_id_checksum', 'apply.ask_id']);
    expect(c.question).toMatchObject({ key: 'apply.ask_id', expects: 'saudi_national_id', flow: 'apply', step: 'ask_id' });
    expect(c.send('١٠٥٨٥٢٩٩٤٠')).toEqual(['apply.ask_mobile']);
    expect(c.state?.attempts).toBe(0);
  });

  it('running out of retries on an on_fail: officer question hands over', () => {
    const c = new Convo(ctx);
    c.start();
    c.send('1');
    c.send('سارة');
    c.send('3000000004');
    expect(c.send('3000000004')).toEqual(['engine.too_many_attempts', 'engine.handoff', 'HANDOFF']);
    expect(c.last.outputs.at(-1)).toEqual({ type: 'handoff', flow: 'apply', step: 'ask_id' });
  });

  it('running out of retries on an on_fail: menu question returns to the main menu', () => {
    const c = new Convo(ctx);
    c.start();
    c.send('1');
    c.send('م');
    c.send('م');
    expect(c.send('م')).toEqual(['engine.too_many_attempts', 'main.menu']);
    expect(c.state).toMatchObject({ flow: 'main', step: 'menu', waiting: 'input', attempts: 0 });
  });

  it('stores validated values, offers a known phone number, and branches on yes/no', () => {
    const c = Convo.seeded(ctx, { contact: { phone: '+966501112222' } });
    c.start();
    c.send('1');
    c.send('  سارة أحمد ');
    c.send('١٠٥٨٥٢٩٩٤٠');
    expect(c.question.choices).toEqual([{ id: 'use_offered', label: 'engine.use_offered', params: { value: '+966501112222' } }]);
    expect(c.question.expects).toBe('saudi_mobile');
    expect(c.send({ type: 'choice', id: 'use_offered' })).toEqual(['apply.ask_birth']);
    c.send('١١/٣/١٤٠٠هـ');
    c.send('٤');
    expect(c.question.choices).toEqual([
      { id: 'yes', label: 'engine.yes' },
      { id: 'no', label: 'engine.no' },
    ]);
    expect(c.send('ايوه')).toEqual(['apply.ask_spouse']);
    expect(c.vars).toMatchObject({
      name: 'سارة أحمد',
      national_id: '1058529940',
      mobile: '+966501112222',
      birth: '1980-01-29',
      family_size: 4,
      married: true,
    });
  });

  it('the offered value can be picked by typing its number or the button text', () => {
    for (const answer of ['1', '١', 'استخدم +966501112222']) {
      const c = Convo.seeded(ctx, { contact: { phone: '+966501112222' } });
      c.start();
      c.send('1');
      c.send('سارة');
      c.send('1058529940');
      expect(c.send(answer)).toEqual(['apply.ask_birth']);
      expect(c.vars.mobile).toBe('+966501112222');
    }
  });

  it('no offer button when the value is unknown, and a bare "1" is then just a wrong number', () => {
    const c = new Convo(ctx);
    c.start();
    c.send('1');
    c.send('سارة');
    c.send('1058529940');
    expect(c.question.choices).toBeUndefined();
    expect(c.send('1')).toEqual(['validation.mobile_invalid', 'apply.ask_mobile']);
  });

  it('a date in the future is refused for a past-only question', () => {
    const c = new Convo(ctx);
    c.start();
    c.send('1');
    c.send('سارة');
    c.send('1058529940');
    c.send('0551234567');
    expect(c.send('1/1/2030')).toEqual(['validation.date_not_past', 'apply.ask_birth']);
    expect(c.send('1/1/1460')).toEqual(['validation.date_not_past', 'apply.ask_birth']);
  });

  it('a choice question stores the id and follows a choice-specific next', () => {
    const c = new Convo(ctx);
    c.start();
    expect(c.send('استبيان')).toEqual(['survey.job']);
    expect(c.vars).toMatchObject({ source: 'bot', meta: { channel: 'whatsapp' } });
    expect(c.question.expects).toBe('choice');
    c.send('لا اعمل');
    expect(c.send('2')).toEqual(['survey.why']);
    expect(c.vars).toMatchObject({ job: 'unemployed', rating: 'bad' });
    // goto back to main clears history: "back" has nowhere to go there.
    expect(c.send('تأخير')).toEqual(['main.menu']);
    expect(c.state).toMatchObject({ flow: 'main', history: [] });
  });

  it('synonyms pick a choice in either language', () => {
    for (const word of ['زينة', 'nice']) {
      const c = new Convo(ctx);
      c.start();
      c.send('3');
      c.send('1');
      expect(c.send(word)).toEqual(['main.menu']);
      expect(c.vars.rating).toBe('good');
    }
  });
});

describe('actions, summaries, call and return', () => {
  it('submits, stores the result and ends back at the main menu', () => {
    const c = new Convo(ctx);
    toSummary(c);
    expect(c.question).toMatchObject({ key: 'apply.summary', params: { name: 'سارة أحمد', id: '1058529940' } });
    expect(c.send('تأكيد وإرسال')).toEqual([]);
    expect(c.last.action).toEqual({
      name: 'submit_application',
      args: { name: 'سارة أحمد', national_id: '1058529940', charity: { ar: 'جمعية البر', en: 'Al-Birr Society' }, missing: null },
    });
    expect(c.state?.waiting).toBe('action');
    expect(c.send({ type: 'action_result', ok: true, value: { reference: 'T-1001' } })).toEqual(['apply.done', 'main.menu']);
    expect(c.last.outputs[0]).toMatchObject({ params: { ref: 'T-1001' }, flow: 'apply', step: 'done' });
    expect(c.vars.result).toEqual({ reference: 'T-1001' });
  });

  it('a failed action goes to on_error', () => {
    const c = new Convo(ctx);
    toSummary(c);
    c.send('1');
    expect(c.send({ type: 'action_result', ok: false, error: 'db locked' })).toEqual(['apply.failed', 'apply.summary']);
  });

  it('a failed action without on_error apologises and returns to the main menu', () => {
    const c = new Convo(ctx);
    c.start();
    c.send('2');
    c.send('1058529940');
    expect(c.send({ type: 'action_result', ok: false, error: 'timeout' })).toEqual(['engine.action_failed', 'main.menu']);
  });

  it('a called flow returns to the caller at its end, and the caller continues', () => {
    const c = new Convo(ctx);
    c.start();
    expect(c.send('2')).toEqual(['identify.ask_id']);
    expect(c.state?.stack).toEqual([{ flow: 'status', step: 'lookup' }]);
    expect(c.send('2000000006')).toEqual(['identify.thanks']);
    expect(c.last.action).toEqual({ name: 'find_application', args: { national_id: '2000000006' } });
    expect(c.state).toMatchObject({ flow: 'status', step: 'lookup', stack: [], waiting: 'action' });
    const done = c.send({ type: 'action_result', ok: true, value: { status: { ar: 'قيد الدراسة', en: 'Under review' } } });
    expect(done).toEqual(['status.show']);
    expect(c.last.outputs[0]).toMatchObject({ params: { status: { ar: 'قيد الدراسة', en: 'Under review' } } });
    expect(c.state?.waiting).toBe('idle');
  });

  it('text while an action runs gets a "please wait"; a late result after cancelling is ignored', () => {
    const c = new Convo(ctx);
    toSummary(c);
    c.send('1');
    expect(c.send('؟')).toEqual(['engine.busy']);
    expect(c.send('الغاء')).toEqual(['engine.cancelled', 'main.menu']);
    const before = c.state;
    expect(c.send({ type: 'action_result', ok: true, value: { reference: 'late' } })).toEqual([]);
    expect(c.state).toEqual(before);
  });
});

describe('idle conversations', () => {
  it('after a quiet end, a menu answer goes straight to that choice without repeating the menu', () => {
    const c = Convo.seeded(ctx, { vip: true });
    c.start();
    c.send('3');
    expect(c.state?.waiting).toBe('idle');
    expect(c.send('تقديم طلب مساعدة')).toEqual(['apply.ask_name']);
  });

  it('after a quiet end, anything else shows the main menu; a greeting is returned first', () => {
    const c = Convo.seeded(ctx, { vip: true });
    c.start();
    c.send('3');
    expect(c.send('السلام عليكم')).toEqual(['engine.greeting_reply', 'main.menu']);
    c.send('3');
    expect(c.send('كيف الحال')).toEqual(['main.menu']);
  });

  it('a brand-new conversation whose first message names a choice starts there', () => {
    expect(new Convo(ctx).send('٢')).toEqual(['identify.ask_id']);
    expect(new Convo(ctx).send('مرحبا')).toEqual(['engine.greeting_reply', 'main.menu']);
    expect(new Convo(ctx).send('ممكن سؤال')).toEqual(['main.menu']);
    expect(new Convo(ctx).send({ type: 'choice', id: 'apply' })).toEqual(['apply.ask_name']);
  });

  it('a state pointing at a step that no longer exists restarts at the main menu', () => {
    const stale: FlowState = { ...initialState(ctx), flow: 'apply', step: 'ask_removed', waiting: 'input' };
    expect(step(ctx, stale, { type: 'text', text: 'hello' }).outputs.map((o) => o.type === 'text' && o.key)).toEqual(['engine.greeting_reply', 'main.menu']);
  });
});

describe('robustness and purity', () => {
  it('a flow that loops without waiting stops with an apology and a handoff instead of hanging', () => {
    const loopCtx = makeCtx(
      parseFlows(`
id: main
start: a
steps:
  a: { kind: set, values: { n: 1 }, next: b }
  b: { kind: branch, cases: [ { when: { var: n }, next: a } ], else: a }
`),
      {},
    );
    const result = step(loopCtx, null, { type: 'start' });
    expect(result.outputs.map((o) => (o.type === 'text' ? o.key : o.type))).toEqual(['engine.internal_error', 'handoff']);
  });

  it('the same state and input always give the same result, and the input state is not changed', () => {
    const c = Convo.seeded(ctx, { contact: { phone: '+966501112222' } });
    toSummary(c);
    const state = c.state as FlowState;
    const frozen = structuredClone(state);
    deepFreeze(state);
    const inputs: EngineInput[] = [
      { type: 'text', text: '2' },
      { type: 'text', text: 'English' },
      { type: 'text', text: 'رجوع' },
      { type: 'text', text: '1' },
      { type: 'choice', id: 'edit_mobile' },
    ];
    for (const input of inputs) {
      const a = step(ctx, state, input);
      const b = step(ctx, state, input);
      expect(a).toEqual(b);
      expect(a.state).not.toBe(state);
    }
    expect(state).toEqual(frozen);
  });

  it('a null state is a new conversation in Arabic', () => {
    const result = step(ctx, null, { type: 'start' });
    expect(result.state.locale).toBe('ar');
    expect(result.state.waiting).toBe('input');
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
