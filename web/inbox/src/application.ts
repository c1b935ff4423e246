// One application: summary, status control, answers, declaration, documents, status history, visits, decision.
import { decisionSection, statusControl, visitsSection } from './app-forms.ts';
import { assigneeControl } from './words-forms.ts';
import { answerFacts } from './answers.ts';
import type { Ctx, View } from './ctx.ts';
import { bdi, busy, button, facts, h, pill, section, select } from './dom.ts';
import { dualDate, dualDateTime, formatSize } from './format.ts';
import { fill, label } from './i18n.ts';
import { checklistSection } from './checklist.ts';
import { lettersSection } from './letters.ts';
import type { ApplicationDetail, Attachment } from './types.ts';

export interface DetailCtx {
  ctx: Ctx;
  id: string;
  detail: ApplicationDetail;
  /** Reloads and redraws; `focusTestId` gets the focus back afterwards (the control just used). */
  reload(focusTestId?: string): Promise<void>;
  /** Redraws from `detail` as it is (after a local change such as a 409's allowed list). */
  redraw(focusTestId?: string): void;
}

export function renderApplication(ctx: Ctx, root: HTMLElement, id: string): View {
  const { s, locale } = ctx;
  let gone = false;
  root.replaceChildren(h('p', { class: 'muted' }, s.loading));

  function draw(d: ApplicationDetail, focusTestId?: string): void {
    const a = d.application;
    const dc: DetailCtx = { ctx, id, detail: d, reload: (f) => load(f), redraw: (f) => draw(d, f) };
    const docs = section(
      s.documents,
      d.documents.length
        ? h('ul', {}, ...d.documents.map((doc) => h('li', { 'data-testid': 'document-row' }, h('a', { href: doc.url, target: '_blank', rel: 'noopener', 'data-testid': 'document' }, '📎 ', bdi(doc.name)), doc.size ? ` (${formatSize(doc.size, locale)})` : '', ' ', docTag(dc, doc))))
        : h('p', { class: 'muted' }, s.noDocuments),
    );
    if (a.documentsCheckedAt) {
      docs.append(h('p', { 'data-testid': 'documents-checked' }, pill('✓', 'ok'), ' ', fill(s.checkedBy, { name: a.documentsCheckedBy ?? s.none }), ' — ', dualDateTime(a.documentsCheckedAt, locale)));
    } else {
      const check = button(`✓ ${s.markChecked}`, { class: 'btn', 'data-testid': 'documents-check' });
      check.onclick = async () => {
        ctx.notice(null);
        try {
          await busy(check, () => ctx.api.documentsChecked(id));
          await load('documents-checked');
        } catch (e) {
          ctx.fail(e);
        }
      };
      docs.append(check);
    }
    const history = h(
      'table',
      { 'data-testid': 'status-history' },
      h('thead', {}, h('tr', {}, ...[s.status, s.by, s.when, s.note].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...d.history.map((x) =>
          h(
            'tr',
            { 'data-testid': 'history-row' },
            h('td', {}, x.from ? `${label(s.appStatus, x.from)} ${s.dir === 'rtl' ? '←' : '→'} ` : '', label(s.appStatus, x.to)),
            h('td', {}, x.by === '@beneficiary' ? s.sender.beneficiary : x.by && x.by !== '@system' ? bdi(x.by) : s.system),
            h('td', {}, dualDateTime(x.at, locale)),
            h('td', { dir: 'auto' }, x.note ?? ''),
          ),
        ),
      ),
    );
    const decl = d.declaration;
    const parts: (HTMLElement | null)[] = [
      h('p', {}, h('a', { href: '#/applications' }, s.backToApps)),
      h(
        'div',
        { class: 'bar' },
        h('h1', { 'data-testid': 'application-reference' }, bdi(a.reference, { dir: 'ltr' }), ' — ', bdi(a.applicantName)),
        pill(label(s.appStatus, a.status), '', { 'data-testid': 'application-status', 'data-status': a.status }),
        a.overdue ? pill(s.overdue, 'late', { 'data-testid': 'overdue' }) : null,
        a.possibleDuplicate ? pill(s.possibleDuplicate, 'wait', { 'data-testid': 'possible-duplicate' }) : null,
      ),
      sameIdCard(ctx, d),
      h(
        'div',
        { class: 'card' },
        facts([
          [s.applicant, bdi(a.applicantName)],
          [s.nationalId, bdi(a.nationalId, { dir: 'ltr' })],
          [s.phone, a.mobile ? bdi(a.mobile, { dir: 'ltr' }) : null],
          [s.created, dualDate(a.createdAt, locale)],
          [s.due, a.committeeDueAt ? dualDate(a.committeeDueAt, locale) : null],
          [s.researcher, a.researcher ? bdi(a.researcher.displayName) : null],
          [s.intakeSource, a.source && a.source !== 'channel' ? h('span', { 'data-testid': 'application-source' }, label(s.sources, a.source)) : null],
        ]),
      ),
      statusControl(dc),
      assigneeControl(dc),
      checklistSection(dc),
      section(s.answers, d.answers.length ? facts(answerFacts(s, locale, d.answers)) : h('p', { class: 'muted' }, s.none)),
      decl
        ? section(
            s.declaration,
            h('p', {}, `✓ ${s.declarationAccepted}`, decl.acceptedAt ? ` — ${dualDateTime(decl.acceptedAt, locale)}` : ''),
            decl.method && decl.method !== 'chat_button' ? h('p', { 'data-testid': 'declaration-method' }, `${s.declarationMethod}: ${label(s.methods, decl.method)}`, decl.takenBy ? ' — ' : '', decl.takenBy ? bdi(decl.takenBy) : null) : null,
            decl.text ? h('blockquote', { dir: 'auto' }, decl.text) : null,
            decl.version ? h('p', { class: 'muted' }, `${s.version}: `, bdi(decl.version)) : null,
          )
        : null,
      docs,
      section(s.history, h('div', { class: 'tw' }, history)),
      visitsSection(dc),
      decisionSection(dc),
      lettersSection(dc),
    ];
    root.replaceChildren(...parts.filter((x): x is HTMLElement => x !== null));
    if (focusTestId) root.querySelector<HTMLElement>(`[data-testid="${focusTestId}"]`)?.focus();
  }

  async function load(focusTestId?: string): Promise<void> {
    try {
      const d = await ctx.api.application(id);
      if (!gone) draw(d, focusTestId);
    } catch (e) {
      if (gone) return;
      ctx.fail(e);
      if (!root.querySelector('h1')) root.replaceChildren(h('p', {}, h('a', { href: '#/applications' }, s.backToApps)));
    }
  }

  void load();
  return {
    destroy: () => {
      gone = true;
    },
  };
}

/** A possible duplicate's warning, and every other application under the same national ID, as links. */
function sameIdCard(ctx: Ctx, d: ApplicationDetail): HTMLElement | null {
  const { s } = ctx;
  if (!d.application.possibleDuplicate && d.sameNationalId.length === 0) return null;
  const items = d.sameNationalId.map((o) =>
    h('li', {}, h('a', { href: `#/applications/${encodeURIComponent(o.id)}` }, bdi(o.reference, { dir: 'ltr' })), ' — ', label(s.appStatus, o.status), ' · ', o.sameBeneficiary ? s.sameBeneficiary : s.otherBeneficiary),
  );
  return h(
    'section',
    { class: 'card', 'data-testid': 'same-national-id', 'aria-label': s.sameNationalId },
    d.application.possibleDuplicate ? h('p', { role: 'note' }, s.possibleDuplicateHelp) : null,
    items.length ? h('p', {}, h('strong', {}, s.sameNationalId)) : null,
    items.length ? h('ul', {}, ...items) : null,
  );
}

/** Which checklist document an upload is: its item when tagged, otherwise a select of the checklist's documents. */
function docTag(dc: DetailCtx, doc: Attachment): HTMLElement | null {
  const { ctx, detail, id } = dc;
  const { s, locale } = ctx;
  const items = detail.checklist.filter((i) => i.kind === 'document');
  const name = (itemId: string) => {
    const i = items.find((x) => x.id === itemId);
    return i ? (i.labels[locale] ?? i.label) : null;
  };
  const tagged = doc.checklistItemId ? name(doc.checklistItemId) : null;
  if (tagged) return h('span', { class: 'muted', 'data-testid': 'document-tag' }, fill(s.docTagged, { item: tagged }));
  if (!items.length) return null;
  const pick = select([{ value: '', label: s.docTagChoose }, ...items.map((i) => ({ value: i.id, label: i.labels[locale] ?? i.label }))], { 'aria-label': `${s.docTag} ${doc.name}`, 'data-testid': 'document-tag-select' });
  pick.onchange = async () => {
    if (!pick.value) return;
    ctx.notice(null);
    pick.disabled = true;
    try {
      await ctx.api.tagDocument(id, doc.id, pick.value);
      await dc.reload(`checklist-${pick.value}`);
    } catch (e) {
      pick.disabled = false;
      ctx.fail(e);
    }
  };
  return pick;
}
