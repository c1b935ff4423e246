// Words for the file and words for the beneficiary on the status and decision forms: the internal note (never sent),
// the message to the beneficiary, and a live preview of exactly what they will receive (from the server).
import type { DetailCtx } from './application.ts';
import { busy, field, h } from './dom.ts';
import { fill, label } from './i18n.ts';

export type PreviewBody = { status: string } | { decision: string };

export interface MessageFields {
  message: HTMLTextAreaElement;
  preview: HTMLElement;
  /** Re-reads the preview (after the status or decision picked changes). */
  refresh(): void;
  value(): string | undefined;
}

/** The «رسالة إلى المستفيد» field with the preview under it; `target` is null while nothing is picked yet. */
export function messageFields(dc: DetailCtx, target: () => PreviewBody | null, testid: string): { el: HTMLElement; fields: MessageFields } {
  const { ctx, id } = dc;
  const { s } = ctx;
  const message = h('textarea', { rows: '3', dir: 'auto', 'data-testid': `${testid}-message` });
  const text = h('pre', { class: 'notice-preview', dir: 'auto', 'data-testid': `${testid}-preview` });
  const via = h('small', { class: 'hint', 'data-testid': `${testid}-preview-via` });
  const preview = h('div', { class: 'card', 'aria-live': 'polite', hidden: '' }, h('strong', {}, s.previewTitle), text, via);
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const value = () => message.value.trim() || undefined;
  const load = async () => {
    const body = target();
    const mine = ++seq;
    if (!body) {
      preview.hidden = true;
      return;
    }
    try {
      const got = await ctx.api.noticePreview(id, { ...body, ...(value() ? { messageToBeneficiary: value() } : {}) });
      if (mine !== seq) return;
      text.textContent = got.text;
      via.textContent = got.channel ? fill(s.previewVia, { channel: label(s.channelName, got.channel), language: label(s.languageName, got.language) }) : s.previewNoChannel;
      preview.hidden = false;
    } catch {
      if (mine === seq) preview.hidden = true;
    }
  };
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void load(), 250);
  };
  message.oninput = refresh;
  const el = h('div', {}, field(s.messageToBeneficiary, message, s.messageHint), preview);
  return { el, fields: { message, preview, refresh, value } };
}

/** The internal note: labelled plainly as never sent. */
export function internalNote(dc: DetailCtx, labelText: string, testid: string, required = false): { el: HTMLElement; note: HTMLTextAreaElement } {
  const note = h('textarea', { rows: '2', dir: 'auto', 'data-testid': testid, ...(required ? { required: '' } : {}) });
  return { el: field(labelText, note, dc.ctx.s.internalNoteHint), note };
}

/** The assigned researcher, set by an officer or admin (PUT …/assignee); null for other roles. */
export function assigneeControl(dc: DetailCtx): HTMLElement | null {
  const { ctx, detail, id } = dc;
  const { s } = ctx;
  if (ctx.me.role !== 'officer' && ctx.me.role !== 'admin') return null;
  const current = detail.application.researcher?.id ?? '';
  const pick = h('select', { 'data-testid': 'assignee-select' }, h('option', { value: '' }, s.choose));
  void ctx.api.researchers().then(
    (list) => {
      pick.append(...list.map((r) => h('option', { value: r.id }, r.displayName)));
      pick.value = current;
    },
    () => undefined,
  );
  const submit = h('button', { type: 'submit', class: 'btn', 'data-testid': 'assignee-submit' }, s.assign);
  const form = h('form', { class: 'bar', novalidate: '' }, field(s.assigneeLabel, pick), submit);
  form.onsubmit = async (e) => {
    e.preventDefault();
    if (!pick.value) {
      ctx.notice(s.required);
      return pick.focus();
    }
    ctx.notice(null);
    try {
      await busy(submit, () => ctx.api.assign(id, pick.value));
      await dc.reload('assignee-select');
    } catch (err) {
      ctx.fail(err);
    }
  };
  return form;
}
