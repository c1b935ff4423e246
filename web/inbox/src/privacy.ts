// The privacy requests page (admins and the data protection officer): open requests by deadline, each closed with
// what was done, which the beneficiary is told.
import { bdi, busy, h, section } from './dom.ts';
import { list, obj, str } from './adapt.ts';
import type { Ctx, View } from './ctx.ts';
import { dualDate } from './format.ts';
import { fill, label } from './i18n.ts';

export interface PrivacyRequestView {
  id: string;
  reference: string;
  kind: string;
  who: string;
  dueAt: string;
  overdue: boolean;
}

export function adaptPrivacyRequests(v: unknown): PrivacyRequestView[] {
  return list(obj(v).requests).map((x) => {
    const r = obj(x);
    const c = obj(r.contact);
    return { id: str(r.id), reference: str(r.reference), kind: str(r.kind), who: str(c.displayName) || str(c.address), dueAt: str(r.dueAt), overdue: r.overdue === true };
  });
}

export function renderPrivacy(ctx: Ctx, root: HTMLElement): View {
  const { s, locale } = ctx;
  const body = h('tbody');
  const empty = h('p', { class: 'empty', hidden: '', 'data-testid': 'privacy-empty' }, s.privacyNone);
  const done = h('p', { role: 'status', 'data-testid': 'privacy-closed' });

  function row(r: PrivacyRequestView): HTMLElement {
    const outcome = h('textarea', { 'aria-label': `${s.privacyOutcome} — ${r.reference}`, 'data-testid': 'privacy-outcome', rows: '2' });
    const close = h('button', { type: 'button', class: 'btn sm pri', 'data-testid': 'privacy-close' }, s.privacyClose);
    const tr = h(
      'tr',
      { 'data-testid': 'privacy-row' },
      h('td', {}, bdi(r.reference, { dir: 'ltr' })),
      h('td', {}, label(s.privacyKinds, r.kind)),
      h('td', {}, bdi(r.who, { dir: 'auto' })),
      h('td', { 'data-testid': 'privacy-due' }, h('time', { datetime: r.dueAt }, dualDate(r.dueAt, locale)), r.overdue ? h('strong', { class: 'badge', 'data-testid': 'privacy-overdue' }, ` ${s.privacyOverdue}`) : ''),
      h('td', {}, h('div', { class: 'bar' }, outcome, close)),
    );
    close.onclick = () =>
      void busy(close, async () => {
        ctx.notice(null);
        try {
          await ctx.api.privacyClose(r.id, outcome.value.trim());
          done.textContent = fill(s.privacyClosed, { reference: r.reference });
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
      const rows = await ctx.api.privacyRequests();
      body.replaceChildren(...rows.map(row));
      empty.hidden = rows.length > 0;
    } catch (e) {
      ctx.fail(e);
    }
  }

  const head = h('thead', {}, h('tr', {}, ...[s.privacyReference, s.privacyKind, s.privacyWho, s.privacyDue, s.privacyOutcome].map((t) => h('th', { scope: 'col' }, t))));
  root.append(h('p', { class: 'hint' }, s.privacyIntro), done, section(s.navPrivacy, h('div', { class: 'tw' }, h('table', { 'data-testid': 'privacy-list' }, head, body)), empty));
  void load();
  return {};
}
