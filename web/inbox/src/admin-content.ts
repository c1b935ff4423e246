// Admin editors for canned replies and the knowledge base (one generic list + form).
import type { Ctx } from './ctx.ts';
import { busy, button, confirmInline, field, h, section, select } from './dom.ts';
import { fill, label } from './i18n.ts';
import { KNOWLEDGE_CATEGORIES, type CannedReply, type KnowledgeArticle } from './types.ts';

interface FieldSpec<T> {
  key: keyof T & string;
  label: string;
  kind: 'text' | 'textarea' | 'select';
  dir: 'rtl' | 'ltr' | 'auto';
  options?: { value: string; label: string }[];
}

interface EditorSpec<T extends { id: string }> {
  title: string;
  testid: string;
  fields: FieldSpec<T>[];
  blank(): T;
  list(): Promise<T[]>;
  save(item: T): Promise<unknown>;
  remove(id: string): Promise<unknown>;
  /** The cells shown for an item in the list. */
  cells(item: T): (string | HTMLElement)[];
  name(item: T): string;
}

function editor<T extends { id: string }>(ctx: Ctx, root: HTMLElement, spec: EditorSpec<T>): void {
  const { s } = ctx;
  let editing: T = spec.blank();
  const controls = new Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>();
  const form = h('form', { novalidate: '', 'data-testid': `${spec.testid}-form` });
  for (const f of spec.fields) {
    const attrs = { dir: f.dir, required: '', 'data-testid': `${spec.testid}-${f.key}` };
    const c = f.kind === 'select' ? select(f.options ?? [], attrs) : f.kind === 'textarea' ? h('textarea', { rows: '4', ...attrs }) : h('input', { type: 'text', ...attrs });
    controls.set(f.key, c);
    form.append(field(f.label, c));
  }
  const save = h('button', { type: 'submit', class: 'btn pri', 'data-testid': `${spec.testid}-save` }, s.save);
  const cancel = button(s.cancel, { class: 'btn', hidden: '' }, () => setForm(spec.blank()));
  const heading = h('h2', {});
  form.prepend(heading);
  form.append(h('div', { class: 'bar' }, save, cancel));
  const body = h('tbody');

  function setForm(item: T): void {
    editing = item;
    for (const f of spec.fields) {
      const c = controls.get(f.key);
      if (c) c.value = String(item[f.key] ?? '');
    }
    heading.textContent = item.id ? `${s.edit}: ${spec.name(item)}` : `${s.add} — ${spec.title}`;
    cancel.hidden = !item.id;
  }

  async function load(): Promise<void> {
    try {
      const items = await spec.list();
      body.replaceChildren(
        ...items.map((item) => {
          const edit = button(s.edit, { class: 'btn sm' }, () => {
            setForm(item);
            controls.get(spec.fields[0]?.key ?? '')?.focus();
          });
          const del = button(s.del, { class: 'btn sm dng' });
          del.onclick = () =>
            confirmInline(del, fill(s.confirmDelete, { name: spec.name(item) }), s.del, async () => {
              ctx.notice(null);
              try {
                await spec.remove(item.id);
              } catch (e) {
                ctx.fail(e);
              }
              await load();
            }, s.cancel);
          return h('tr', { 'data-testid': `${spec.testid}-row`, 'data-id': item.id }, ...spec.cells(item).map((c) => h('td', { dir: 'auto' }, c)), h('td', {}, h('div', { class: 'bar' }, edit, del)));
        }),
      );
      if (!items.length) body.append(h('tr', {}, h('td', { class: 'empty', colspan: String(spec.fields.length + 1) }, s.nothing)));
    } catch (e) {
      ctx.fail(e);
    }
  }

  form.onsubmit = async (e) => {
    e.preventDefault();
    const next = { ...editing } as Record<string, unknown>;
    for (const f of spec.fields) next[f.key] = controls.get(f.key)?.value.trim() ?? '';
    const missing = spec.fields.find((f) => !next[f.key]);
    if (missing) {
      ctx.notice(s.required);
      return controls.get(missing.key)?.focus();
    }
    ctx.notice(null);
    try {
      await busy(save, () => spec.save(next as T));
      setForm(spec.blank());
      await load();
    } catch (err) {
      ctx.fail(err);
    }
  };
  setForm(spec.blank());
  const head = h('thead', {}, h('tr', {}, ...spec.fields.map((f) => h('th', { scope: 'col' }, f.label)), h('th', {})));
  root.append(h('div', { class: 'card' }, form), section(spec.title, h('div', { class: 'tw' }, h('table', {}, head, body))));
  void load();
}

const clip = (t: string, n = 120) => (t.length > n ? `${t.slice(0, n)}…` : t);

export function cannedSection(ctx: Ctx, root: HTMLElement): void {
  const { s } = ctx;
  editor<CannedReply>(ctx, root, {
    title: s.cannedTab,
    testid: 'canned',
    fields: [
      { key: 'title', label: s.title, kind: 'text', dir: 'auto' },
      { key: 'textAr', label: s.textAr, kind: 'textarea', dir: 'rtl' },
      { key: 'textEn', label: s.textEn, kind: 'textarea', dir: 'ltr' },
    ],
    blank: () => ({ id: '', title: '', textAr: '', textEn: '' }),
    list: () => ctx.api.admin.canned(),
    save: (c) => ctx.api.admin.saveCanned(c),
    remove: (id) => ctx.api.admin.deleteCanned(id),
    cells: (c) => [c.title, clip(c.textAr), clip(c.textEn)],
    name: (c) => c.title,
  });
}

export function knowledgeSection(ctx: Ctx, root: HTMLElement): void {
  const { s } = ctx;
  editor<KnowledgeArticle>(ctx, root, {
    title: s.knowledgeTab,
    testid: 'knowledge',
    fields: [
      { key: 'category', label: s.categoryLabel, kind: 'select', dir: 'auto', options: KNOWLEDGE_CATEGORIES.map((c) => ({ value: c, label: label(s.category, c) })) },
      { key: 'title', label: s.title, kind: 'text', dir: 'auto' },
      { key: 'body', label: s.body, kind: 'textarea', dir: 'auto' },
    ],
    blank: () => ({ id: '', category: 'other', title: '', body: '' }),
    list: () => ctx.api.admin.knowledge(),
    save: (k) => ctx.api.admin.saveKnowledge(k),
    remove: (id) => ctx.api.admin.deleteKnowledge(id),
    cells: (k) => [label(s.category, k.category), k.title, clip(k.body)],
    name: (k) => k.title,
  });
}
