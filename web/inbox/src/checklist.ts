// An application's eligibility checklist: each item's state, who set it, and the actions an officer may take
// (documents received/verified/waived, the interview and visit done/waived; waiving asks for the reason).
import type { ChecklistItem } from '../../../src/api/applications.ts';
import type { DetailCtx } from './application.ts';
import { bdi, busy, button, field, h, pill, section } from './dom.ts';
import { dualDateTime } from './format.ts';
import { fill, label } from './i18n.ts';

const COMPLETE = new Set(['verified', 'done', 'waived']);
const TONE: Record<string, string> = { pending: 'wait', received: '', verified: 'ok', done: 'ok', waived: 'ok' };

function itemRow(dc: DetailCtx, item: ChecklistItem, missing: boolean): HTMLElement {
  const { ctx, id } = dc;
  const { s, locale } = ctx;
  const name = item.labels[locale] ?? item.label;
  const act = async (btn: HTMLButtonElement, state: string, note?: string) => {
    ctx.notice(null);
    try {
      await busy(btn, () => ctx.api.setChecklist(id, item.id, state, note));
      await dc.reload(`checklist-${item.id}`);
    } catch (err) {
      ctx.fail(err);
    }
  };
  const actions = h('div', { class: 'bar' });
  const add = (text: string, state: string) => {
    const b = button(text, { class: 'btn', 'data-testid': `checklist-${state}` });
    b.onclick = () => act(b, state);
    actions.append(b);
  };
  if (item.kind === 'document') {
    if (item.state === 'pending') add(s.checklistReceive, 'received');
    if (item.state === 'pending' || item.state === 'received') add(`✓ ${s.checklistVerify}`, 'verified');
  } else if (item.state !== 'done') {
    add(`✓ ${s.checklistDone}`, 'done');
  }
  if (!COMPLETE.has(item.state)) {
    const waive = button(s.checklistWaive, { class: 'btn', 'data-testid': 'checklist-waive' });
    waive.onclick = () => {
      const reason = h('textarea', { rows: '2', dir: 'auto', required: '', 'data-testid': 'checklist-waive-reason' });
      const confirm = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'checklist-waive-confirm' }, s.checklistWaiveConfirm);
      const form = h('form', { novalidate: '' }, field(s.checklistWaiveReason, reason), confirm);
      form.onsubmit = (e) => {
        e.preventDefault();
        if (!reason.value.trim()) {
          ctx.notice(s.required);
          return reason.focus();
        }
        void act(confirm, 'waived', reason.value.trim());
      };
      waive.replaceWith(form);
      reason.focus();
    };
    actions.append(waive);
  }
  return h(
    'li',
    { class: missing ? 'card late' : 'card', 'data-testid': `checklist-${item.id}`, 'data-state': item.state, 'data-missing': missing ? 'true' : 'false', tabindex: '-1' },
    h('div', { class: 'bar' }, h('strong', {}, name), pill(label(s.checklistState, item.state), TONE[item.state] ?? '', { 'data-testid': 'checklist-state' }), item.required ? null : h('span', { class: 'muted' }, s.checklistOptional)),
    item.note ? h('p', { dir: 'auto', 'data-testid': 'checklist-note' }, item.note) : null,
    item.by && item.at ? h('p', { class: 'muted' }, fill(s.checklistBy, { name: item.by === 'beneficiary' ? s.sender.beneficiary : item.by, when: dualDateTime(item.at, locale) })) : null,
    actions.childElementCount ? actions : null,
  );
}

export function checklistSection(dc: DetailCtx): HTMLElement {
  const { ctx, detail } = dc;
  const { s, locale } = ctx;
  const missing = new Set(detail.missing ?? []);
  const named = detail.checklist.filter((i) => missing.has(i.id));
  return section(
    s.checklist,
    h('p', { class: 'muted' }, s.checklistHint),
    named.length
      ? h('div', { role: 'alert', tabindex: '-1', 'data-testid': 'checklist-missing' }, h('p', {}, s.checklistMissing), h('ul', {}, ...named.map((i) => h('li', {}, bdi(i.labels[locale] ?? i.label)))))
      : null,
    h('ul', { class: 'plain', 'data-testid': 'checklist' }, ...detail.checklist.map((i) => itemRow(dc, i, missing.has(i.id)))),
  );
}
