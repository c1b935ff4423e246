// The forms on an application: status change (allowed next statuses only), visits, and the committee decision.
import { ApiError, allowedFromError, missingFromError, type VisitInput } from './api.ts';
import type { DetailCtx } from './application.ts';
import { bdi, busy, field, h, section, select } from './dom.ts';
import { dualDateTime, riyadhInputToIso } from './format.ts';
import { label } from './i18n.ts';
import { nextStatuses } from './rules.ts';
import type { Visit } from './types.ts';
import { internalNote, messageFields } from './words-forms.ts';

export function statusControl(dc: DetailCtx): HTMLElement {
  const { ctx, detail, id } = dc;
  const { s } = ctx;
  const next = nextStatuses(detail);
  if (!next.length) return section(s.changeStatus, h('p', { class: 'muted', 'data-testid': 'status-none' }, s.noNext));
  const pickStatus = select([{ value: '', label: s.choose }, ...next.map((v) => ({ value: v, label: label(s.appStatus, v) }))], { required: '', 'data-testid': 'status-select' });
  const note = internalNote(dc, s.internalNote, 'status-note');
  const words = messageFields(dc, () => (pickStatus.value ? { status: pickStatus.value } : null), 'status');
  pickStatus.addEventListener('change', words.fields.refresh);
  const submit = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'status-submit' }, s.apply);
  // «ناقص»: which checklist documents to ask for (those still pending are ticked to begin with).
  const documents = detail.checklist.filter((i) => i.kind === 'document' && i.state !== 'verified' && i.state !== 'waived');
  const boxes = documents.map((i) => {
    const box = h('input', { type: 'checkbox', value: i.id, 'data-testid': `missing-${i.id}` });
    box.checked = i.state === 'pending';
    return h('label', { class: 'chk' }, box, ' ', i.labels[ctx.locale] ?? i.label);
  });
  const missingBox = h(
    'fieldset',
    { 'data-testid': 'missing-items', hidden: '' },
    h('legend', {}, s.missingTitle),
    ...(boxes.length ? boxes : [h('p', { class: 'muted' }, s.missingNone)]),
  );
  pickStatus.onchange = () => {
    missingBox.hidden = pickStatus.value !== 'incomplete';
  };
  const form = h('form', { novalidate: '' }, h('div', { class: 'bar' }, field(s.nextStatus, pickStatus), submit), missingBox, note.el, words.el);
  form.onsubmit = async (e) => {
    e.preventDefault();
    if (!pickStatus.value) {
      ctx.notice(s.required);
      return pickStatus.focus();
    }
    ctx.notice(null);
    try {
      const asked = pickStatus.value === 'incomplete' ? [...missingBox.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value) : undefined;
      await busy(submit, () => ctx.api.setStatus(id, pickStatus.value, { note: note.note.value.trim() || undefined, messageToBeneficiary: words.fields.value(), missingItems: asked }));
      await dc.reload('status-select');
    } catch (err) {
      ctx.fail(err);
      // Refused for the committee: the checklist shows which items are missing.
      const missing = missingFromError(err);
      if (missing) {
        detail.missing = missing;
        dc.redraw('checklist-missing');
        return;
      }
      // A 409 lists what is allowed from the current status: offer exactly that.
      const allowed = allowedFromError(err);
      if (allowed) {
        detail.allowedNext = allowed;
        dc.redraw('status-select');
      }
    }
  };
  return section(s.changeStatus, form);
}

function visitRow(dc: DetailCtx, v: Visit): HTMLElement {
  const { ctx, id } = dc;
  const { s, locale } = ctx;
  const status = select(['scheduled', 'done', 'cancelled'].map((x) => ({ value: x, label: label(s.visitStatus, x) })), { 'data-testid': 'visit-status' }, v.status);
  const notes = h('textarea', { rows: '2', dir: 'auto', 'data-testid': 'visit-notes' });
  notes.value = v.notes ?? '';
  const save = h('button', { type: 'submit', class: 'btn', 'data-testid': 'visit-save' }, s.save);
  const form = h('form', { novalidate: '' }, h('div', { class: 'bar' }, field(s.state, status), save), field(s.notes, notes));
  form.onsubmit = async (e) => {
    e.preventDefault();
    ctx.notice(null);
    refusal.hidden = true;
    try {
      await busy(save, () => ctx.api.updateVisit(id, v.id, { status: status.value, notes: notes.value.trim() }));
      await dc.reload();
    } catch (err) {
      // Refused on this visit (marked done before its time): say so here, beside the control.
      if (err instanceof ApiError && err.status < 500 && err.message) {
        refusal.textContent = err.message;
        refusal.hidden = false;
        return status.focus();
      }
      ctx.fail(err);
    }
  };
  const refusal = h('p', { class: 'fail', role: 'alert', 'data-testid': 'visit-error', hidden: '' });
  form.append(refusal);
  return h(
    'li',
    { class: 'card', 'data-testid': 'visit', 'data-id': v.id },
    h('h3', {}, label(s.kind, v.kind), ' — ', dualDateTime(v.scheduledAt, locale)),
    h('p', {}, `${s.place}: `, h('span', { dir: 'auto' }, v.place), v.researcher ? ' · ' : '', v.researcher ? bdi(v.researcher.displayName) : null),
    v.confirmReason ? h('p', { 'data-testid': 'visit-confirm-reason' }, `${s.visitConfirmedReason} `, h('span', { dir: 'auto' }, v.confirmReason)) : null,
    form,
  );
}

export function visitsSection(dc: DetailCtx): HTMLElement {
  const { ctx, detail, id } = dc;
  const { s, locale } = ctx;
  const kind = select(['interview', 'field_visit'].map((k) => ({ value: k, label: label(s.kind, k) })), { 'data-testid': 'visit-kind' });
  const when = h('input', { type: 'datetime-local', required: '', dir: 'ltr', 'data-testid': 'visit-when' });
  const preview = h('small', { class: 'hint', 'aria-live': 'polite' });
  when.oninput = () => {
    const iso = riyadhInputToIso(when.value);
    preview.textContent = iso ? dualDateTime(iso, locale) : '';
  };
  const place = h('input', { type: 'text', required: '', dir: 'auto', 'data-testid': 'visit-place' });
  const researcher = select([{ value: '', label: s.none }], { 'data-testid': 'visit-researcher' });
  void ctx.api.researchers().then(
    (list) => researcher.append(...list.map((r) => h('option', { value: r.id }, r.displayName))),
    () => undefined,
  );
  const submit = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'visit-submit' }, s.schedule);
  const whenField = field(s.scheduledAt, when);
  whenField.append(preview);
  // Outside working hours or on the weekend the server asks for a confirmation and its reason.
  const why = h('p', { role: 'alert', 'data-testid': 'visit-confirm-message' });
  const reason = h('textarea', { rows: '2', dir: 'auto', required: '', 'data-testid': 'visit-confirm-reason-input' });
  const confirm = h('button', { type: 'button', class: 'btn pri', 'data-testid': 'visit-confirm' }, s.visitConfirm);
  const confirmBox = h('div', { class: 'card late', 'data-testid': 'visit-confirm-box', hidden: '' }, why, field(s.visitConfirmReason, reason), confirm);
  const form = h('form', { class: 'card', novalidate: '' }, h('h3', {}, s.schedule), h('div', { class: 'bar' }, field(s.visitKind, kind), whenField, field(s.place, place), field(s.researcher, researcher), submit), confirmBox);
  const send = async (btn: HTMLButtonElement, confirmed: boolean) => {
    const scheduledAt = riyadhInputToIso(when.value);
    if (!scheduledAt || !place.value.trim()) {
      ctx.notice(s.required);
      return (scheduledAt ? place : when).focus();
    }
    if (confirmed && !reason.value.trim()) {
      ctx.notice(s.required);
      return reason.focus();
    }
    ctx.notice(null);
    const k = kind.value === 'field_visit' ? 'field_visit' : 'interview';
    const input: VisitInput = { kind: k, scheduledAt, place: place.value.trim(), researcherId: researcher.value || undefined, ...(confirmed ? { confirm: true, confirmReason: reason.value.trim() } : {}) };
    try {
      await busy(btn, () => ctx.api.scheduleVisit(id, input));
      await dc.reload('visit-kind');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'ERR_CONFIRMATION_REQUIRED') {
        why.textContent = err.message;
        confirmBox.hidden = false;
        return reason.focus();
      }
      ctx.fail(err);
    }
  };
  // Changing the time or kind asks the server again (the confirmation was for that time).
  for (const c of [when, kind])
    c.addEventListener('change', () => {
      confirmBox.hidden = true;
    });
  confirm.onclick = () => void send(confirm, true);
  form.onsubmit = (e) => {
    e.preventDefault();
    void send(submit, !confirmBox.hidden);
  };
  const list = detail.visits.length ? h('ul', { class: 'plain' }, ...detail.visits.map((v) => visitRow(dc, v))) : h('p', { class: 'muted' }, s.noVisits);
  return section(s.visits, list, form);
}

export function decisionSection(dc: DetailCtx): HTMLElement | null {
  const { ctx, detail, id } = dc;
  const { s, locale } = ctx;
  const past = detail.decisions.map((d) =>
    h('li', { 'data-testid': 'decision' }, h('strong', {}, label(s.decision, d.decision)), ' — ', d.by ? bdi(d.by) : '', ' — ', dualDateTime(d.at, locale), h('p', { dir: 'auto' }, d.reasons)),
  );
  // The committee decides only while the application is with it; afterwards the decision is history.
  const canDecide = (ctx.me.role === 'committee' || ctx.me.role === 'admin') && detail.application.status === 'committee';
  if (!canDecide && !past.length) return null;
  const sec = section(s.decisions, past.length ? h('ul', {}, ...past) : h('p', { class: 'muted' }, s.noDecisions));
  if (!canDecide) return sec;
  const radio = (value: string, testid: string) => {
    const r = h('input', { type: 'radio', name: 'decision', value, required: '', 'data-testid': testid });
    return { r, el: h('label', {}, r, ' ', label(s.decision, value)) };
  };
  const yes = radio('approved', 'decision-approve');
  const no = radio('rejected', 'decision-reject');
  const internal = internalNote(dc, s.internalReasons, 'decision-reasons', true);
  const reasons = internal.note;
  const picked = () => (yes.r.checked ? 'approved' : no.r.checked ? 'rejected' : null);
  const words = messageFields(dc, () => { const d = picked(); return d ? { decision: d } : null; }, 'decision');
  for (const r of [yes.r, no.r]) r.addEventListener('change', words.fields.refresh);
  const submit = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'decision-submit' }, s.decide);
  const form = h('form', { novalidate: '' }, h('fieldset', {}, h('legend', {}, s.decisionChoice), h('div', { class: 'bar' }, yes.el, no.el)), internal.el, words.el, submit);
  form.onsubmit = async (e) => {
    e.preventDefault();
    const decision = picked();
    if (!decision || !reasons.value.trim()) {
      ctx.notice(s.required);
      return (decision ? reasons : yes.r).focus();
    }
    ctx.notice(null);
    try {
      await busy(submit, () => ctx.api.decide(id, decision, reasons.value.trim(), words.fields.value()));
      await dc.reload();
    } catch (err) {
      ctx.fail(err);
    }
  };
  sec.append(form);
  return sec;
}
