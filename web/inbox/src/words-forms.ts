// Words for the file and words for the beneficiary on the status and decision forms: the internal note (never sent),
// the message to the beneficiary, and a live preview of exactly what they will receive (from the server).
import type { DetailCtx } from './application.ts';
import { field, h } from './dom.ts';
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
