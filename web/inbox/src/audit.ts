// The admin's audit log, read as sentences («فتحت ريم الحربي الطلب TW-… — …»), filterable by officer, beneficiary
// and action; and the role label in the officer's grammatical gender.
import type { Ctx } from './ctx.ts';
import { bdi, button, field, h, select } from './dom.ts';
import { dualDateTime } from './format.ts';
import { fill, label, type Forms, type Strings } from './i18n.ts';
import type { AuditEntry, AuditFilter, Gender, Locale } from './types.ts';

/** «موظف علاقات» / «موظفة علاقات»: the label of a role as said of this officer. */
export function roleLabel(s: Strings, role: string, gender: Gender): string {
  return label(gender === 'f' ? s.rolesF : s.roles, role);
}

type Part = string | HTMLElement;

/** A template's {{placeholders}} filled with nodes (names and references isolated in <bdi>). */
function compose(template: string, vars: Record<string, Part[]>): Part[] {
  const out: Part[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{\{(\w+)\}\}/g)) {
    out.push(template.slice(last, m.index));
    out.push(...(vars[m[1] ?? ''] ?? []));
    last = (m.index ?? 0) + m[0].length;
  }
  out.push(template.slice(last));
  return out.filter((p) => p !== '');
}

function objectOf(s: Strings, e: AuditEntry): Part[] {
  const t = e.target;
  const name = t?.beneficiary ? [bdi(t.beneficiary, { 'data-testid': 'audit-beneficiary' })] : [];
  const ref = t?.reference ? [bdi(t.reference, { dir: 'ltr' })] : [];
  if (!t) return [s.auditObj.other ?? ''];
  if (t.reference) return compose(name.length ? (s.auditObj.applicationOf ?? '') : (s.auditObj.application ?? ''), { ref, name });
  if (t.type === 'conversation') return name.length ? compose(s.auditObj.conversation ?? '', { name }) : [s.auditObj.conversationAnon ?? ''];
  if (t.type === 'contact' && name.length) return compose(s.auditObj.contact ?? '', { name });
  if (t.type === 'officer') return t.officer ? compose(s.auditObj.officer ?? '', { officer: [bdi(t.officer)] }) : [s.auditUnknownAccount];
  return [label(s.auditObj, t.type) === t.type ? (s.auditObj.other ?? '') : label(s.auditObj, t.type)];
}

/** An action's sentence forms: its key in the strings is the action's name with "/" for "." (i18next splits keys on "."). */
function formsOf(s: Strings, action: string): Forms {
  return s.auditActions[action.replace(/\./g, '/')] ?? s.auditOtherAction;
}

/** The sentence of one entry, in the actor's gender. */
export function auditSentence(s: Strings, e: AuditEntry, locale: Locale = 'ar'): Part[] {
  const forms = formsOf(s, e.action);
  const who: Part[] = [e.who ? bdi(e.who) : e.whoId ? s.auditSomeone : s.auditSystem];
  const parts = compose(forms[e.whoGender === 'f' ? 'f' : 'm'], { who, obj: objectOf(s, e) });
  if (e.from && e.to && e.action === 'application.status_change') parts.push(' ', fill(s.auditFromTo, { from: label(s.appStatus, e.from), to: label(s.appStatus, e.to) }));
  if (e.decision && e.action === 'application.decision') parts.push(': ', label(s.decision, e.decision));
  // A checklist item set or a document tagged: the item's name and its new state, not ids.
  const item = e.item ? [bdi(e.item[locale], { 'data-testid': 'audit-item' })] : null;
  if (item && e.action === 'application.checklist' && e.state) parts.push(...compose(s.auditItemState, { item, state: [label(s.checklistState, e.state)] }));
  if (item && e.action === 'application.document_tag') parts.push(...compose(s.auditItemTagged, { item }));
  return parts;
}

/** An action's name for the filter: its sentence without the actor and the object. */
function actionName(s: Strings, action: string): string {
  return fill(formsOf(s, action).m, { who: '', obj: '…' }).replace(/\s+/g, ' ').trim();
}

export function auditSection(ctx: Ctx, root: HTMLElement): void {
  const { s, locale } = ctx;
  const filter: AuditFilter = {};
  const list = h('ol', { class: 'audit', 'data-testid': 'audit-list' });
  const person = select([{ value: '', label: s.auditAll }], { 'data-testid': 'audit-filter-person' });
  const action = select([{ value: '', label: s.auditAll }, ...Object.keys(s.auditActions).map((k) => k.replace(/\//g, '.')).map((a) => ({ value: a, label: actionName(s, a) }))], { 'data-testid': 'audit-filter-action' });
  const chip = h('span', { class: 'bar', 'data-testid': 'audit-filter-beneficiary' });
  const clearAll = button(s.auditClear, { class: 'btn sm', 'data-testid': 'audit-clear' }, () => {
    delete filter.officerId;
    delete filter.action;
    delete filter.contactId;
    person.value = '';
    action.value = '';
    void load();
  });
  person.onchange = () => {
    filter.officerId = person.value || undefined;
    void load();
  };
  action.onchange = () => {
    filter.action = action.value || undefined;
    void load();
  };

  function row(e: AuditEntry): HTMLElement {
    const sentence = h('span', { class: 'sentence', 'data-testid': 'audit-sentence' }, ...auditSentence(s, e, locale));
    const byBeneficiary = e.target?.contactId
      ? button(s.auditFilterBeneficiary, { class: 'btn sm', 'data-testid': 'audit-by-beneficiary' }, () => {
          filter.contactId = e.target?.contactId;
          chip.replaceChildren(`${s.auditBeneficiary}: `, bdi(e.target?.beneficiary ?? ''));
          void load();
        })
      : null;
    return h(
      'li',
      { 'data-testid': 'audit-row', 'data-id': e.id, 'data-action': e.action },
      sentence,
      ' — ',
      h('time', { datetime: e.at }, dualDateTime(e.at, locale)),
      e.ip ? h('span', { class: 'hint' }, ' · ', fill(s.auditFrom, { ip: '' }), bdi(e.ip, { dir: 'ltr' })) : null,
      byBeneficiary ? ' ' : null,
      byBeneficiary,
    );
  }

  async function load(): Promise<void> {
    if (!filter.contactId) chip.replaceChildren();
    try {
      const entries = await ctx.api.admin.audit(filter);
      list.replaceChildren(...entries.map(row));
      if (!entries.length) list.append(h('li', { class: 'empty' }, s.nothing));
    } catch (e) {
      ctx.fail(e);
    }
  }

  const bar = h('div', { class: 'bar', role: 'search', 'aria-label': s.auditFilters }, field(s.auditPerson, person), field(s.auditAction, action), chip, clearAll);
  root.append(h('div', { class: 'card' }, bar), h('div', { class: 'card' }, list));
  ctx.api.admin.officers().then(
    (officers) => person.append(...officers.map((o) => h('option', { value: o.id }, o.displayName))),
    (e: unknown) => ctx.fail(e),
  );
  void load();
}
