import { describe, expect, it } from 'vitest';
import { ALL_FLOWS, TEXTS } from './fixtures.ts';
import { Convo, makeCtx, parseFlows } from './helpers.ts';

const ctx = makeCtx(parseFlows(...ALL_FLOWS), TEXTS);

/** A conversation waiting at the national ID question of the application (a call-free, mid-flow spot). */
function atIdQuestion(): Convo {
  const c = new Convo(ctx);
  c.start();
  c.send('1');
  c.send('سارة أحمد');
  return c;
}

function atSummary(): Convo {
  const c = atIdQuestion();
  c.send('1058529940');
  c.send('0551234567');
  c.send('14/9/1990');
  c.send('3');
  c.send('no');
  return c;
}

describe('menu and cancel', () => {
  it.each(['القائمة', 'القائمه الرئيسيه', 'قائمة', 'بداية', '0', '٠', 'menu', 'Main Menu', '/start', 'القائمة 🏠'])(
    '%j mid-flow goes back to the main menu',
    (word) => {
      const c = new Convo(ctx);
      c.start();
      c.send('2'); // inside a called flow: the return frame must be dropped too
      expect(c.send(word)).toEqual(['main.menu']);
      expect(c.state).toMatchObject({ flow: 'main', step: 'menu', stack: [], history: [], waiting: 'input' });
    },
  );

  it('"0" answering a number question is a number, not the menu', () => {
    const c = atIdQuestion();
    c.send('1058529940');
    c.send('0551234567');
    c.send('14/9/1990');
    expect(c.question.expects).toBe('number');
    expect(c.send('0')).toEqual(['validation.number_range', 'apply.ask_family']);
    expect(c.send('القائمة')).toEqual(['main.menu']);
  });

  it.each(['إلغاء', 'الغاء', 'cancel', 'STOP'])('%j cancels with a message, then shows the menu', (word) => {
    const c = atIdQuestion();
    expect(c.send(word)).toEqual(['engine.cancelled', 'main.menu']);
    expect(c.last.outputs[0]).toMatchObject({ flow: 'apply', step: 'ask_id' });
  });
});

describe('back', () => {
  it('re-asks the previous question, and answering it continues forward again', () => {
    const c = atIdQuestion();
    expect(c.send('رجوع')).toEqual(['apply.ask_name']);
    expect(c.send('نورة')).toEqual(['apply.ask_id']);
    expect(c.vars.name).toBe('نورة');
  });

  it('walks back several steps', () => {
    const c = atSummary();
    expect(c.send('السابق')).toEqual(['apply.ask_married']);
    expect(c.send('back')).toEqual(['apply.ask_family']);
    expect(c.send('رجوع')).toEqual(['apply.ask_birth']);
  });

  it('at the first question of a flow says there is nowhere to go back to, and asks again', () => {
    const c = new Convo(ctx);
    c.start();
    c.send('1');
    expect(c.send('رجوع')).toEqual(['engine.back_unavailable', 'apply.ask_name']);
  });

  it('history does not cross into another flow', () => {
    const c = new Convo(ctx);
    c.start();
    c.send('2');
    expect(c.send('رجوع')).toEqual(['engine.back_unavailable', 'identify.ask_id']);
  });
});

describe('asking for a person', () => {
  it.each(['موظف', 'ابي اكلم موظف', 'أبغى موظف', 'خدمة العملاء', 'agent', 'Human', 'talk to a person'])(
    '%j hands over mid-flow',
    (word) => {
      const c = atIdQuestion();
      expect(c.send(word)).toEqual(['engine.handoff', 'HANDOFF']);
      expect(c.last.outputs[1]).toEqual({ type: 'handoff', flow: 'apply', step: 'ask_id' });
      expect(c.state?.waiting).toBe('idle');
    },
  );

  it.each(['لو سمحت ابي اكلم موظف ضروري', 'ممكن أتكلم مع الموظف؟', 'please, I need a human', 'can I talk to someone please'])(
    'a longer message containing an officer phrase (%j) hands over',
    (message) => {
      const c = atSummary();
      c.send('رجوع'); // the yes/no question
      expect(c.send(message)).toEqual(['engine.handoff', 'HANDOFF']);
    },
  );

  it('a word that merely contains an officer phrase inside it is not a request', () => {
    const c = atSummary();
    c.send('رجوع');
    expect(c.send('نعم انا موظف')).toEqual(['validation.yes_no_invalid', 'apply.ask_married']);
    expect(c.send('humanitarian')).toEqual(['validation.yes_no_invalid', 'apply.ask_married']);
  });

  it('while free text is asked only a whole-message phrase counts', () => {
    const c = new Convo(ctx);
    c.start();
    c.send('1');
    expect(c.send('عبدالله ابي موظف')).toEqual(['apply.ask_id']);
    expect(c.vars.name).toBe('عبدالله ابي موظف');
    c.send('رجوع');
    expect(c.send('موظف')).toEqual(['engine.handoff', 'HANDOFF']);
  });

  it('an offered option named in full wins over a command word ("موظف" as a job)', () => {
    const c = new Convo(ctx);
    c.start();
    c.send('استبيان');
    expect(c.send('موظف')).toEqual(['survey.rate']);
    expect(c.vars.job).toBe('employee');
  });

  it('works from the idle state too', () => {
    const c = Convo.seeded(ctx, { vip: true });
    c.start();
    c.send('3');
    expect(c.send('أبغى موظف')).toEqual(['engine.handoff', 'HANDOFF']);
  });
});

describe('switching language', () => {
  it('"English" mid-question switches and asks the same question again in English', () => {
    const c = atIdQuestion();
    c.send('123'); // one wrong attempt: the switch must not reset or count it
    const question = c.question;
    expect(c.send('English')).toEqual(['LOCALE:en', 'apply.ask_id']);
    expect(c.last.outputs[0]).toEqual({ type: 'locale', locale: 'en' });
    expect(c.question).toEqual(question);
    expect(c.state).toMatchObject({ locale: 'en', step: 'ask_id', attempts: 1 });
    expect(c.send('عربي')).toEqual(['LOCALE:ar', 'apply.ask_id']);
    expect(c.state?.locale).toBe('ar');
  });

  it.each(['انقلش', 'انجليزي', 'en'])('%j switches to English at a menu, keeping its choices', (word) => {
    const c = atSummary();
    const menu = c.question;
    expect(c.send(word)).toEqual(['LOCALE:en', 'apply.summary']);
    expect(c.question.choices).toEqual(menu.choices);
  });

  it('after switching, English answers work and Arabic ones still do', () => {
    const c = new Convo(ctx);
    c.start();
    c.send('English');
    expect(c.send('Apply for support')).toEqual(['apply.ask_name']);
    c.send('Sara');
    c.send('1058529940');
    c.send('0551234567');
    c.send('1990-09-14');
    c.send('3');
    expect(c.send('نعم')).toEqual(['apply.ask_spouse']);
  });

  it('from the idle state, switches and shows the menu', () => {
    const c = Convo.seeded(ctx, { vip: true });
    c.start();
    c.send('3');
    expect(c.send('Arabic')).toEqual(['LOCALE:ar', 'main.menu']);
  });
});

describe('editing from a summary', () => {
  it.each([
    ['button', { type: 'choice' as const, id: 'edit_name' }],
    ['number', '٢'],
    ['label with the shown value', 'تعديل الاسم (سارة أحمد)'],
    ['fixed words of the label', 'تعديل الاسم'],
    ['English label', 'edit name'],
  ])('picking the edit (%s) re-asks that answer, then returns to the summary', (_how, answer) => {
    const c = atSummary();
    expect(c.send(answer)).toEqual(['apply.ask_name']);
    expect(c.state?.returnTo).toEqual({ flow: 'apply', step: 'summary' });
    expect(c.send('نورة محمد')).toEqual(['apply.summary']);
    expect(c.question.params).toMatchObject({ name: 'نورة محمد', id: '1058529940' });
    expect(c.state?.returnTo).toBeUndefined();
    expect(c.send('1')).toEqual([]);
    expect(c.last.action?.args).toMatchObject({ name: 'نورة محمد' });
  });

  it('an edit with a wrong answer first still returns to the summary once valid', () => {
    const c = atSummary();
    c.send('تعديل الجوال');
    expect(c.send('0112345678')).toEqual(['validation.mobile_landline', 'apply.ask_mobile']);
    expect(c.send('٠٥٠٩٨٧٦٥٤٣')).toEqual(['apply.summary']);
    expect(c.vars.mobile).toBe('+966509876543');
  });

  it('going back from the edited question returns to the summary', () => {
    const c = atSummary();
    c.send('تعديل الجوال');
    expect(c.send('رجوع')).toEqual(['apply.summary']);
  });
});
