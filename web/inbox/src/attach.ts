// The composer's file: 📎 chooses one, its name and size show with a remove button, and a bar shows the upload.
import { ApiError, UPLOAD_CEILING_BYTES } from './api.ts';
import type { Ctx } from './ctx.ts';
import { bdi, button, h } from './dom.ts';
import { formatNumber, formatSize } from './format.ts';
import { fill } from './i18n.ts';

// What the server accepts (it reads the type from the bytes; this only narrows the file picker).
const ACCEPT = 'application/pdf,image/jpeg,image/png,image/webp,image/heic,image/heif,.pdf,.jpg,.jpeg,.png,.webp,.heic,.heif';

export interface Attach {
  /** The 📎 button and its hidden file input. */
  toggle: HTMLElement;
  /** The chosen file's name, size, remove button and progress. */
  chip: HTMLElement;
  file(): File | undefined;
  clear(): void;
  setLocked(locked: boolean): void;
  /** Upload progress 0…1 while sending (the send button shows the percentage); null when done. */
  progress(fraction: number | null, send: HTMLButtonElement): void;
  /** A sentence for a failed upload: the file's type or size in plain words, else the usual error text. */
  failure(e: unknown): string | undefined;
}

export function attachControl(ctx: Ctx, onChange: () => void): Attach {
  const { s, locale } = ctx;
  let chosen: File | undefined;
  let sendLabel = s.send;
  const input = h('input', { type: 'file', accept: ACCEPT, hidden: '', tabindex: '-1', 'aria-hidden': 'true', 'data-testid': 'attach-input' });
  const open = button(`📎 ${s.attach}`, { class: 'btn sm', title: s.attachHint, 'data-testid': 'attach' }, () => input.click());
  const name = h('span', { class: 'fn', 'data-testid': 'attach-name' });
  const bar = h('progress', { max: '1', value: '0', hidden: '', 'aria-label': s.sending, 'data-testid': 'attach-progress' });
  const remove = button('×', { class: 'btn sm', 'aria-label': s.removeFile, title: s.removeFile, 'data-testid': 'attach-remove' });
  const chip = h('div', { class: 'chip', role: 'group', 'aria-label': s.fileChosen, hidden: '', 'data-testid': 'attach-chip' }, '📎 ', name, bar, remove);

  function set(file: File | undefined): void {
    chosen = file;
    input.value = '';
    chip.hidden = !file;
    name.replaceChildren(...(file ? [bdi(file.name), ` (${formatSize(file.size, locale)})`] : []));
    onChange();
  }

  input.onchange = () => {
    const file = input.files?.[0];
    if (!file) return;
    if (file.size === 0) return ctx.notice(s.errFileEmpty);
    if (file.size > UPLOAD_CEILING_BYTES) return ctx.notice(s.errFileSize);
    ctx.notice(null);
    set(file);
  };
  remove.onclick = () => {
    set(undefined);
    open.focus();
  };

  return {
    toggle: h('span', {}, open, input),
    chip,
    file: () => chosen,
    clear: () => set(undefined),
    setLocked(locked) {
      open.disabled = locked;
      remove.disabled = locked;
    },
    progress(fraction, send) {
      const on = fraction !== null;
      if (on && !chip.dataset.state) sendLabel = send.textContent ?? s.send;
      chip.dataset.state = on ? 'sending' : '';
      bar.hidden = !on;
      open.disabled = remove.disabled = on;
      if (on) bar.value = fraction;
      const pct = on ? `${formatNumber(Math.round(fraction * 100), locale)}${locale === 'ar' ? '٪' : '%'}` : '';
      send.textContent = on ? fill(s.sendingPct, { p: pct }) : sendLabel;
    },
    failure(e) {
      if (!(e instanceof ApiError)) return undefined;
      if (e.code === 'ERR_UNSUPPORTED_MEDIA_TYPE') return s.errFileType;
      // A caption over the limit is a 413 too; its message says so.
      if (e.code === 'ERR_PAYLOAD_TOO_LARGE' && !/caption/i.test(e.message)) return s.errFileSize;
      if (e.code === 'ERR_NETWORK') return s.errUpload;
      return undefined;
    },
  };
}
