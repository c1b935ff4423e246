// Admins' page of messages the bot could not place, grouped by text: one click adds one as an example of an intent,
// and the running bot understands it from the next message on. Steps that collect personal data show counts only.
import type { MissesAnswer } from '../../../src/api/admin-tools.ts';
import type { Ctx } from './ctx.ts';
import { bdi, busy, h, section, select } from './dom.ts';
import { dualDateTime, formatNumber, stamp } from './format.ts';
import { fill } from './i18n.ts';
import type { Locale } from './types.ts';

export interface MissGroup {
  text: string;
  count: number;
  step: string;
  locale: Locale;
  lastSeen: string;
}

export interface Misses {
  groups: MissGroup[];
  personal: { step: string; count: number; lastSeen: string }[];
  intents: { id: string; label: Record<Locale, string> }[];
}

/** GET /api/admin/nlu/misses, typed by the contract (src/api/admin-tools.ts). */
export function adaptMisses(v: unknown): Misses {
  const o = v as MissesAnswer;
  return {
    groups: o.groups.map(({ text, count, step, locale, lastSeen }) => ({ text, count, step, locale, lastSeen })),
    personal: o.personal.map(({ step, count, lastSeen }) => ({ step, count, lastSeen })),
    intents: o.intents.map(({ id, label }) => ({ id, label: { ar: label.ar, en: label.en } })),
  };
}

export function missesSection(ctx: Ctx, root: HTMLElement): void {
  const { s, locale } = ctx;
  const n = (v: number) => formatNumber(v, locale);
  const body = h('tbody');
  const empty = h('p', { class: 'empty', hidden: '', 'data-testid': 'misses-empty' }, s.missNone);
  const done = h('p', { role: 'status', 'data-testid': 'miss-added' });
  const personal = h('div');
  const when = (iso: string) => h('time', { datetime: iso, title: dualDateTime(iso, locale) }, stamp(iso, locale, ctx.now()));

  function row(g: MissGroup, m: Misses): HTMLElement {
    const options = [{ value: '', label: s.missChooseIntent }, ...m.intents.map((i) => ({ value: i.id, label: i.label[locale] || i.id }))];
    const intent = select(options, { 'aria-label': `${s.missIntent} — ${g.text}`, 'data-testid': 'miss-intent' });
    const add = h('button', { type: 'button', class: 'btn sm pri', 'data-testid': 'miss-add', disabled: '' }, s.missAdd);
    intent.onchange = () => (add.disabled = intent.value === '');
    const tr = h(
      'tr',
      { 'data-testid': 'miss-row' },
      h('td', {}, bdi(g.text, { dir: 'auto', lang: g.locale, 'data-testid': 'miss-text' })),
      h('td', { 'data-testid': 'miss-count' }, n(g.count)),
      h('td', {}, h('code', { dir: 'ltr' }, g.step)),
      h('td', {}, g.lastSeen ? when(g.lastSeen) : ''),
      h('td', {}, h('div', { class: 'bar' }, intent, add)),
    );
    add.onclick = () =>
      void busy(add, async () => {
        ctx.notice(null);
        try {
          await ctx.api.admin.addExample(intent.value, g.text);
          const chosen = m.intents.find((i) => i.id === intent.value);
          done.textContent = fill(s.missAdded, { text: g.text, intent: chosen?.label[locale] ?? intent.value });
          tr.remove();
          empty.hidden = body.children.length > 0;
        } catch (e) {
          ctx.fail(e);
        }
      });
    return tr;
  }

  async function load(): Promise<void> {
    try {
      const m = await ctx.api.admin.misses();
      body.replaceChildren(...m.groups.map((g) => row(g, m)));
      empty.hidden = m.groups.length > 0;
      personal.replaceChildren(
        m.personal.length
          ? section(
              s.missPersonalTitle,
              h('p', { class: 'hint' }, s.missPersonalNote),
              h('table', { 'data-testid': 'miss-personal' }, h('tbody', {}, ...m.personal.map((p) => h('tr', {}, h('th', { scope: 'row' }, h('code', { dir: 'ltr' }, p.step)), h('td', {}, n(p.count)), h('td', {}, p.lastSeen ? when(p.lastSeen) : ''))))),
            )
          : '',
      );
    } catch (e) {
      ctx.fail(e);
    }
  }

  const head = h('thead', {}, h('tr', {}, ...[s.missText, s.missCount, s.missStep, s.missLast, s.missIntent].map((t) => h('th', { scope: 'col' }, t))));
  root.append(h('p', { class: 'hint' }, s.missesIntro), done, section(s.missesTab, h('div', { class: 'tw' }, h('table', { 'data-testid': 'miss-list' }, head, body)), empty), personal);
  void load();
}
