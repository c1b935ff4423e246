// Document questions: an upload answers them, "later" skips an optional one, text and stray files are handled politely.
import { describe, expect, it } from 'vitest';
import { Convo, makeCtx, parseFlows, textOutputs } from './helpers.ts';

const ctx = makeCtx(
  parseFlows(
    `
id: main
start: menu
steps:
  menu:
    kind: menu
    text: t.menu
    choices:
      - { id: docs, label: t.docs, flow: docs }
`,
    `
id: docs
start: id_copy
steps:
  id_copy: { kind: ask, text: t.id_copy, validator: { type: document, optional: true }, var: id_copy, next: proof }
  proof: { kind: ask, text: t.proof, validator: { type: document }, var: proof, retries: 2, next: name }
  name: { kind: ask, text: t.name, validator: { type: text, min: 2, max: 50 }, var: name, next: done }
  done: { kind: end, text: t.done }
`,
  ),
  {
    't.menu': { ar: 'القائمة', en: 'Menu' },
    't.docs': { ar: 'المستندات', en: 'Documents' },
    't.id_copy': { ar: 'أرفق الهوية', en: 'Attach your ID' },
    't.proof': { ar: 'أرفق إثبات الدخل', en: 'Attach income proof' },
    't.name': { ar: 'الاسم؟', en: 'Name?' },
    't.done': { ar: 'تم', en: 'Done' },
  },
);

function atDocs(): Convo {
  const c = new Convo(ctx);
  c.send({ type: 'start' });
  c.send({ type: 'choice', id: 'docs' });
  return c;
}

describe('document questions', () => {
  it('ask with expects=document and offer "later" only when optional', () => {
    const c = new Convo(ctx);
    c.send({ type: 'start' });
    c.send({ type: 'choice', id: 'docs' });
    const [ask] = textOutputs(c.last);
    expect(ask?.expects).toBe('document');
    expect(ask?.choices?.map((ch) => ch.id)).toEqual(['later']);
    c.send({ type: 'file', id: 'att-1', mime: 'image/jpeg' });
    expect(textOutputs(c.last)[0]?.choices).toBeUndefined();
  });

  it('an upload answers the question with the attachment id', () => {
    const c = atDocs();
    expect(c.send({ type: 'file', id: 'att-1', mime: 'image/jpeg', name: 'هوية.jpg' })).toEqual(['t.proof']);
    expect(c.vars.id_copy).toBe('att-1');
  });

  it('"later" (typed in Arabic or pressed) skips an optional document with null', () => {
    const c = atDocs();
    expect(c.send('بعدين')).toEqual(['t.proof']);
    expect(c.vars.id_copy).toBeNull();
  });

  it('typed text at a document question gets the reason and the question again, then the retry exit', () => {
    const c = atDocs();
    c.send({ type: 'file', id: 'att-1', mime: 'image/png' });
    expect(c.send('ما عندي')).toEqual(['validation.document_expected', 't.proof']);
    expect(c.send('لاحقا')).toEqual(['engine.too_many_attempts', 't.menu']); // not optional: no "later"
  });

  it('a file sent where no document is asked is acknowledged and the question repeats', () => {
    const c = atDocs();
    c.send({ type: 'file', id: 'a', mime: 'image/png' });
    c.send({ type: 'file', id: 'b', mime: 'application/pdf' });
    expect(c.send({ type: 'file', id: 'c', mime: 'image/png' })).toEqual(['validation.file_unexpected', 't.name']);
    expect(c.vars.name).toBeUndefined();
    expect(c.send('سارة')).toEqual(['t.done', 't.menu']);
  });
});
