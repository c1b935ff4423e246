// The widget's DOM: a shadow root on one host element, the launcher, the panel and the composer.
import { formatNumber } from './format.ts';
import { fill, STRINGS, type Strings } from './i18n.ts';
import { ACCEPT, luminance } from './options.ts';
import type { Item } from './store.ts';
import { CSS } from './styles.ts';
import type { Locale, WidgetOptions } from './types.ts';
import { createList, h, icon, ICONS, type ListCtx } from './view.ts';

export interface UiHandlers {
  onOpenChange: (open: boolean) => void;
  onSend: (text: string) => void;
  onChoice: (id: string, label: string) => void;
  onFile: (file: File) => void;
  onRetry: (clientId: string) => void;
  onToggleLocale: () => void;
  onNewConversation: () => void;
}

export interface UiState {
  items: Item[];
  typing: boolean;
  unread: number;
  expects?: string;
  /** The conversation takes a file now: the attach button shows only then. */
  uploads?: boolean;
}

const NUMERIC = /^(saudi_national_id|saudi_mobile|number)$/;

// Inline !important beats any page stylesheet, even `* { ... !important }`.
const HOST_CSS =
  'all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important;top:0!important;left:0!important;width:0!important;height:0!important;overflow:visible!important;visibility:visible!important;opacity:1!important;transform:none!important;filter:none!important;contain:none!important';

export function createUi(opts: WidgetOptions, on: UiHandlers) {
  let locale: Locale = opts.locale;
  let s: Strings = STRINGS[locale];
  let open = false;
  let last: UiState = { items: [], typing: false, unread: 0 };

  const host = document.createElement('tawasul-widget');
  host.style.cssText = HOST_CSS;
  const shadow = host.attachShadow({ mode: 'open' });
  const root = h('div', { class: opts.position === 'start' ? 'r st' : 'r' });
  root.style.setProperty('--p', opts.primaryColor);
  root.style.setProperty('--op', opts.onPrimary);
  // Primary colour as text on white only when it reaches AA (4.5:1); otherwise a dark grey.
  root.style.setProperty('--pt', luminance(opts.primaryColor) <= 0.18 ? opts.primaryColor : '#1f2937');
  // A constructed sheet is not blocked by a page's CSP style-src; <style> is the fallback.
  const sheetable = 'adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype;
  if (sheetable) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    shadow.adoptedStyleSheets = [sheet];
  } else shadow.append(h('style', {}, CSS));

  const badge = h('span', { class: 'bd', 'data-testid': 'unread-badge', 'aria-hidden': 'true', hidden: '' });
  const launcher = h('button', { type: 'button', class: 'l', 'data-testid': 'launcher', 'aria-controls': 'tw-panel', 'aria-expanded': 'false' }, icon(ICONS.chat), badge);
  const title = h('h2', { class: 't', dir: 'auto', id: 'tw-title' });
  const langBtn = h('button', { type: 'button', class: 'hb', 'data-testid': 'language-toggle' });
  const newBtn = h('button', { type: 'button', class: 'hb', 'data-testid': 'new-conversation' }, icon(ICONS.restart));
  const closeBtn = h('button', { type: 'button', class: 'hb', 'data-testid': 'close' }, icon(ICONS.close));
  const confirmText = h('p', { id: 'tw-cf' });
  const yesBtn = h('button', { type: 'button', class: 'btn pri', 'data-testid': 'confirm-new-yes' });
  const noBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'confirm-new-no' });
  const confirm = h('div', { class: 'cf', role: 'alertdialog', 'aria-labelledby': 'tw-cf', 'data-testid': 'confirm-new', hidden: '' }, confirmText, h('div', { class: 'cfa' }, yesBtn, noBtn));
  const errText = h('span', { 'data-testid': 'error-text' });
  const errClose = h('button', { type: 'button', class: 'x', 'data-testid': 'error-dismiss' }, '×');
  const error = h('div', { class: 'er', role: 'alert', 'data-testid': 'error-banner', hidden: '' }, errText, errClose);
  const notice = h('p', { class: 'nt', role: 'status', 'data-testid': 'notice', hidden: '' });
  const log = h('div', { class: 'lg', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0', 'data-testid': 'message-list' });
  const typingText = h('span', { class: 'sr' });
  const typing = h('div', { class: 'ty', role: 'status', 'data-testid': 'typing', hidden: '' }, h('i'), h('i'), h('i'), typingText);
  const promptText = h('span');
  const uploadPrompt = h('button', { type: 'button', class: 'up', 'data-testid': 'upload-prompt' }, icon(ICONS.attach), promptText);
  const actions = h('div', { class: 'ac', hidden: '' }, uploadPrompt);
  const fileInput = h('input', { type: 'file', accept: ACCEPT, hidden: '', tabindex: '-1', 'data-testid': 'file-input' });
  const attachBtn = h('button', { type: 'button', class: 'ib', 'data-testid': 'upload-button' }, icon(ICONS.attach));
  const composer = h('textarea', { rows: '1', dir: 'auto', enterkeyhint: 'send', 'data-testid': 'composer' });
  const sendBtn = h('button', { type: 'submit', class: 'ib snd', 'data-testid': 'send-button' }, icon(ICONS.send));
  const form = h('form', { class: 'c' }, attachBtn, composer, sendBtn, fileInput);
  const panel = h(
    'div',
    { class: 'p', id: 'tw-panel', role: 'dialog', 'aria-labelledby': 'tw-title', 'data-testid': 'panel', hidden: '' },
    h('div', { class: 'h' }, title, langBtn, newBtn, closeBtn),
    confirm,
    error,
    notice,
    log,
    typing,
    actions,
    form,
  );
  root.append(launcher, panel);
  shadow.append(root);

  const list = createList(log);
  const ctx = (): ListCtx => ({ locale, s, onChoice: on.onChoice, onRetry: on.onRetry });

  function grow(): void {
    composer.style.height = '';
    composer.style.height = `${Math.min(composer.scrollHeight + 2, 128)}px`;
  }

  function submit(): void {
    const text = composer.value;
    if (!text.trim()) return;
    composer.value = '';
    grow();
    on.onSend(text);
  }

  function showConfirm(show: boolean): void {
    confirm.hidden = !show;
    (show ? noBtn : newBtn).focus();
  }

  function labelLauncher(): void {
    const unread = open ? 0 : last.unread;
    launcher.setAttribute('aria-label', open ? s.close : unread ? `${s.open} (${fill(s.unread, { n: formatNumber(unread, locale) })})` : s.open);
    badge.hidden = unread === 0;
    badge.textContent = formatNumber(unread, locale);
  }

  launcher.onclick = () => on.onOpenChange(!open);
  closeBtn.onclick = () => on.onOpenChange(false);
  langBtn.onclick = () => on.onToggleLocale();
  newBtn.onclick = () => showConfirm(true);
  noBtn.onclick = () => showConfirm(false);
  yesBtn.onclick = () => {
    confirm.hidden = true;
    on.onNewConversation();
    composer.focus();
  };
  errClose.onclick = () => {
    error.hidden = true;
    composer.focus();
  };
  attachBtn.onclick = uploadPrompt.onclick = () => fileInput.click();
  fileInput.onchange = () => {
    const f = fileInput.files?.[0];
    fileInput.value = '';
    if (f) on.onFile(f);
  };
  composer.oninput = grow;
  composer.onpaste = (e) => {
    const f = e.clipboardData?.files[0];
    if (f) {
      e.preventDefault();
      on.onFile(f);
    }
  };
  composer.onkeydown = (e) => {
    // keyCode 229: an IME is composing (Enter picks a candidate, it does not send).
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  };
  form.onsubmit = (e) => {
    e.preventDefault();
    submit();
    composer.focus();
  };
  panel.onkeydown = (e) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    if (!confirm.hidden) showConfirm(false);
    else on.onOpenChange(false);
  };

  const ui = {
    host,
    isOpen: () => open,
    setLocale(l: Locale): void {
      locale = l;
      s = STRINGS[l];
      root.setAttribute('dir', l === 'ar' ? 'rtl' : 'ltr');
      root.setAttribute('lang', l);
      title.textContent = opts.title ?? s.title;
      langBtn.textContent = s.lang;
      langBtn.setAttribute('aria-label', s.langLabel);
      langBtn.setAttribute('lang', l === 'ar' ? 'en' : 'ar');
      newBtn.setAttribute('aria-label', s.newChat);
      newBtn.title = s.newChat;
      closeBtn.setAttribute('aria-label', s.close);
      confirmText.textContent = s.confirmNew;
      yesBtn.textContent = s.confirmYes;
      noBtn.textContent = s.cancel;
      errClose.setAttribute('aria-label', s.dismiss);
      log.setAttribute('aria-label', s.messages);
      typingText.textContent = s.typing;
      promptText.textContent = s.attachDoc;
      attachBtn.setAttribute('aria-label', s.attach);
      composer.placeholder = s.placeholder;
      composer.setAttribute('aria-label', s.composer);
      sendBtn.setAttribute('aria-label', s.send);
      // Rebuilt in the new language without re-announcing the whole log.
      log.setAttribute('aria-live', 'off');
      list.reset();
      ui.render(last);
      setTimeout(() => log.setAttribute('aria-live', 'polite'), 0);
    },
    /** `focus` is false when the page (not the visitor) opens or closes: never steal the page's focus. */
    setOpen(next: boolean, focus: boolean): void {
      open = next;
      panel.hidden = !next;
      root.classList.toggle('o', next);
      launcher.setAttribute('aria-expanded', String(next));
      launcher.replaceChild(icon(next ? ICONS.close : ICONS.chat), launcher.firstChild as Node);
      labelLauncher();
      if (next) log.scrollTop = log.scrollHeight;
      else confirm.hidden = true;
      if (focus) (next ? composer : launcher).focus();
    },
    render(state: UiState): void {
      last = state;
      list.render(state.items, ctx());
      typing.hidden = !state.typing;
      const numeric = NUMERIC.test(state.expects ?? '');
      composer.setAttribute('dir', numeric ? 'ltr' : 'auto');
      if (numeric) composer.setAttribute('inputmode', 'numeric');
      else composer.removeAttribute('inputmode');
      const doc = state.expects === 'document' && state.uploads !== false;
      actions.hidden = !doc;
      attachBtn.hidden = !state.uploads;
      attachBtn.classList.toggle('hi', doc);
      labelLauncher();
    },
    showError(text: string | null): void {
      error.hidden = text === null;
      errText.textContent = text ?? '';
    },
    /** A quiet line above the messages (the previous chat ended); null hides it. */
    showNotice(text: string | null): void {
      notice.hidden = text === null;
      notice.textContent = text ?? '';
    },
    /** Puts a refused message back so the visitor does not have to type it again. */
    restoreDraft(text: string): void {
      if (composer.value.trim()) return;
      composer.value = text;
      grow();
    },
    resetList(): void {
      list.reset();
    },
  };
  return ui;
}

export type Ui = ReturnType<typeof createUi>;
