// The applications list: filters (status, overdue, search), overdue rows flagged «متأخر» in red, possible duplicates marked.
import type { Ctx, View } from './ctx.ts';
import { bdi, field, h, pill, select } from './dom.ts';
import { asciiDigits, dualDate } from './format.ts';
import { label } from './i18n.ts';
import { APPLICATION_STATUSES } from './rules.ts';
import type { ApplicationSummary } from './types.ts';

// The filters survive a visit to an application and back.
const filters = { status: '', overdue: false, q: '', branch: '', source: '', mine: false };

/** The list opens on «حالاتي» next time (the live alert's button). */
export function showMyCases(): void {
  filters.mine = true;
}
const SOURCES = ['channel', 'phone', 'walk_in', 'letter', 'representative'];

export function renderApplications(ctx: Ctx, root: HTMLElement): View {
  const { s, locale } = ctx;
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const status = select([{ value: '', label: s.allStatuses }, ...APPLICATION_STATUSES.map((v) => ({ value: v, label: label(s.appStatus, v) }))], { 'data-testid': 'app-filter-status' }, filters.status);
  const overdue = h('input', { type: 'checkbox', id: 'f-overdue', 'data-testid': 'app-filter-overdue' });
  overdue.checked = filters.overdue;
  const q = h('input', { type: 'search', dir: 'auto', 'data-testid': 'app-search', value: filters.q });
  // Officers and admins see every branch and can narrow to one; a representative's list is their branch already.
  const source = select([{ value: '', label: s.allSources }, ...SOURCES.map((v) => ({ value: v, label: label(s.sources, v) }))], { 'data-testid': 'app-filter-source' }, filters.source);
  const branch = select([{ value: '', label: s.allBranches }], { 'data-testid': 'app-filter-branch' });
  const branchField = field(s.branch, branch);
  branchField.hidden = true;
  if (ctx.me.role !== 'representative') {
    void ctx.api.branches().then((list) => {
      if (!list.length) return;
      branch.append(...list.map((b) => h('option', { value: b.id }, b.name[locale])));
      branch.value = filters.branch;
      branchField.hidden = false;
    }, () => undefined);
  }
  const form = h(
    'form',
    { class: 'bar card', role: 'search', 'aria-label': s.filters },
    field(s.status, status),
    field(s.intakeSource, source),
    branchField,
    field(s.searchApps, q),
    h('div', { class: 'fld' }, h('label', { for: 'f-overdue' }, overdue, ' ', s.overdueOnly)),
  );
  const body = h('tbody');
  const table = h(
    'table',
    { 'data-testid': 'application-list' },
    h('caption', { class: 'sr' }, s.navApplications),
    h('thead', {}, h('tr', {}, ...[s.reference, s.applicant, s.nationalId, s.status, s.created, s.due, s.researcher].map((t) => h('th', { scope: 'col' }, t)))),
    body,
  );
  // «حالاتي»: the cases assigned to me (researchers and admins study them); everyone else sees the whole list only.
  const tab = (mine: boolean, text: string) => h('button', { type: 'button', class: 'tb', 'aria-pressed': String(filters.mine === mine), 'data-testid': mine ? 'app-tab-mine' : 'app-tab-all' }, text);
  const tabs = ctx.me.role === 'researcher' || ctx.me.role === 'admin' ? [tab(false, s.allApplications), tab(true, s.myCases)] : [];
  for (const t of tabs) {
    t.onclick = () => {
      filters.mine = t.dataset.testid === 'app-tab-mine';
      for (const o of tabs) o.setAttribute('aria-pressed', String(o === t));
      void load();
    };
  }
  if (!tabs.length) filters.mine = false;
  root.replaceChildren(h('h1', {}, s.navApplications), tabs.length ? h('div', { class: 'bar', role: 'group', 'aria-label': s.myCases }, ...tabs) : '', form, h('div', { class: 'tw card' }, table));

  function row(a: ApplicationSummary): HTMLElement {
    const href = `#/applications/${encodeURIComponent(a.id)}`;
    const tr = h(
      'tr',
      { class: 'click', 'data-testid': 'application-row', 'data-id': a.id, 'data-overdue': String(a.overdue) },
      h('td', {}, h('a', { href }, bdi(a.reference, { dir: 'ltr' })), a.possibleDuplicate ? ' ' : '', a.possibleDuplicate ? pill(s.possibleDuplicate, 'wait', { 'data-testid': 'possible-duplicate', title: s.possibleDuplicateHelp }) : null),
      h('td', {}, bdi(a.applicantName)),
      h('td', {}, bdi(a.nationalId, { dir: 'ltr' })),
      h('td', {}, label(s.appStatus, a.status), a.source && a.source !== 'channel' ? ' ' : '', a.source && a.source !== 'channel' ? pill(label(s.sources, a.source), '', { 'data-testid': 'application-source' }) : null),
      h('td', {}, dualDate(a.createdAt, locale)),
      h('td', {}, a.committeeDueAt ? dualDate(a.committeeDueAt, locale) : s.none, a.overdue ? ' ' : '', a.overdue ? pill(s.overdue, 'late', { 'data-testid': 'overdue' }) : null),
      h('td', {}, a.researcher ? bdi(a.researcher.displayName) : s.none),
    );
    // The whole row opens the application; the reference link is the keyboard way in.
    tr.onclick = (e) => {
      if (!(e.target instanceof HTMLAnchorElement)) ctx.go({ name: 'applications', id: a.id });
    };
    return tr;
  }

  async function load(): Promise<void> {
    const mine = ++seq;
    filters.status = status.value;
    filters.overdue = overdue.checked;
    filters.q = q.value;
    filters.source = source.value;
    filters.branch = branch.value;
    try {
      const apps = await ctx.api.applications({ status: status.value || undefined, overdue: overdue.checked, q: asciiDigits(q.value.trim()) || undefined, source: source.value || undefined, branch: branch.value || undefined, ...(filters.mine ? { assigned: 'me' as const } : {}) });
      if (mine !== seq) return;
      body.replaceChildren(...apps.map(row));
      if (!apps.length) body.append(h('tr', {}, h('td', { colspan: '7', class: 'empty' }, filters.mine ? s.myCasesEmpty : s.noMatches)));
    } catch (e) {
      if (mine === seq) ctx.fail(e);
    }
  }

  form.onsubmit = (e) => {
    e.preventDefault();
    void load();
  };
  status.onchange = overdue.onchange = source.onchange = branch.onchange = () => void load();
  q.oninput = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void load(), 300);
  };
  void load();
  return { destroy: () => clearTimeout(timer) };
}
