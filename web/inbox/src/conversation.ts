// The open conversation: header, actions (take, refer, hand back, close), the whole history, composer and notes.
import { attachControl } from './attach.ts';
import { preferredChannelControl } from './contact-pref.ts';
import { channelPill, contactCard, picker, timeline, unverifiedPill } from './conv-parts.ts';
import { interactionForm } from './interaction-form.ts';
import type { Ctx } from './ctx.ts';
import { bdi, busy, button, field, h, pill, select } from './dom.ts';
import { upsertMessage } from './events.ts';
import { label } from './i18n.ts';
import { actionsFor } from './rules.ts';
import type { ConversationDetail, Message, PersonRef } from './types.ts';

export interface Pane {
  id: string;
  reload(): void;
  addMessage(m: Message): void;
  destroy(): void;
}

export function mountConversation(ctx: Ctx, pane: HTMLElement, id: string, changed: () => void): Pane {
  const { s } = ctx;
  let detail: ConversationDetail | undefined;
  let researchers: PersonRef[] | undefined;
  let seq = 0;
  let gone = false;

  const info = h('div', {}, h('p', { class: 'muted' }, s.loading));
  // Outside the part redrawn on every load, so a live update never takes the focus from the select.
  const pref = preferredChannelControl(ctx);
  const head = h('div', { class: 'ph' }, info, pref.el);
  const takeBtn = button(s.take, { class: 'btn pri', 'data-testid': 'take' });
  const referBtn = button(s.refer, { class: 'btn', 'data-testid': 'refer', 'aria-expanded': 'false' });
  const backBtn = button(s.handBack, { class: 'btn', 'data-testid': 'hand-back' });
  const closeBtn = button(s.close, { class: 'btn dng', 'data-testid': 'close', 'aria-expanded': 'false' });
  const acts = h('div', { class: 'acts', role: 'group', 'aria-label': s.actionsLabel }, takeBtn, referBtn, backBtn, closeBtn);
  const inline = h('div', { class: 'inl', hidden: '' });
  const log = h('div', { class: 'tl', role: 'log', 'aria-live': 'polite', 'aria-label': s.historyLabel, tabindex: '0', 'data-testid': 'history' });

  const reply = h('textarea', { rows: '2', dir: 'auto', 'aria-label': s.composer, placeholder: s.composerHint, 'data-testid': 'reply-text' });
  const send = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'reply-send' }, s.send);
  const replyForm = h('form', {}, reply, send);
  const lockMsg = h('p', { class: 'hint', hidden: '', 'data-testid': 'reply-locked' });
  const noteText = h('textarea', { rows: '1', dir: 'auto', 'aria-label': s.privateNote, placeholder: s.notePlaceholder, 'data-testid': 'note-text' });
  const noteSave = h('button', { type: 'submit', class: 'btn', 'data-testid': 'note-save' }, s.noteSave);
  const noteForm = h('form', { class: 'nf' }, noteText, noteSave);
  const pick = picker(ctx, (text) => {
    const a = reply.selectionStart ?? reply.value.length;
    const b = reply.selectionEnd ?? a;
    reply.value = reply.value.slice(0, a) + text + reply.value.slice(b);
    if (!reply.disabled) {
      reply.focus();
      reply.selectionStart = reply.selectionEnd = a + text.length;
    }
  });
  const attach = attachControl(ctx, () => {
    // With a file chosen, the reply box holds its caption.
    reply.placeholder = attach.file() ? s.captionHint : s.composerHint;
  });
  const ixForm = interactionForm(
    ctx,
    () => detail?.contact.id,
    (x) => {
      if (!detail) return void load();
      detail.interactions = [...detail.interactions, x];
      paintLog(true);
    },
  );
  const composer = h('div', { class: 'cmp' }, h('div', { class: 'bar' }, pick.toggle, attach.toggle), pick.panel, lockMsg, attach.chip, replyForm, noteForm, ixForm);
  pane.replaceChildren(head, acts, inline, log, composer);

  const nearBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 80;

  const shown = new Map<string, { el: HTMLElement; sig: string }>();
  /**
   * Appends new items and redraws changed ones in place, so the live region announces only what is new
   * (a full redraw would make a screen reader read the whole history again).
   */
  function paintLog(forceBottom: boolean): void {
    if (!detail) return;
    const stick = forceBottom || nearBottom();
    const items = timeline(ctx, detail);
    const current = [...log.children] as HTMLElement[];
    if (current.length > items.length || current.some((el, i) => el.dataset.key !== items[i]?.key)) {
      log.replaceChildren();
      shown.clear();
    }
    for (const it of items) {
      const old = shown.get(it.key);
      if (old?.sig === it.sig) continue;
      const el = it.make();
      el.dataset.key = it.key;
      if (old) old.el.replaceWith(el);
      else log.append(el);
      shown.set(it.key, { el, sig: it.sig });
    }
    if (stick) log.scrollTop = log.scrollHeight;
  }

  function paint(first: boolean): void {
    if (!detail) return;
    const { conversation: c, contact } = detail;
    const assignee = c.assignedOfficer ? bdi(c.assignedOfficer.displayName) : s.unassigned;
    const open = info.querySelector('details')?.open === true;
    info.replaceChildren(
      h(
        'div',
        { class: 'l1' },
        h('h1', { 'data-testid': 'conversation-name' }, bdi(contact.displayName || contact.phone || s.sender.beneficiary)),
        channelPill(ctx, c.channel),
        c.unverifiedSender ? unverifiedPill(ctx, 'conversation-unverified') : null,
        pill(label(s.convStatus, c.status), c.status === 'waiting' ? 'late' : '', { 'data-testid': 'conversation-status', 'data-status': c.status }),
        h('span', { class: 'muted', 'data-testid': 'conversation-assignee' }, `${s.assignee}: `, assignee),
      ),
      ...contactCard(ctx, detail),
    );
    // The contact panel stays open across live updates once the officer opened it.
    if (open) info.querySelector('details')?.setAttribute('open', '');
    pref.update(contact);
    const a = actionsFor(c, ctx.me.id);
    takeBtn.hidden = !a.take;
    referBtn.hidden = !a.refer;
    backBtn.hidden = !a.handBack;
    closeBtn.hidden = !a.close;
    acts.hidden = !(a.take || a.refer || a.handBack || a.close);
    const locked = a.reply !== 'ok';
    reply.disabled = send.disabled = locked;
    attach.setLocked(locked);
    lockMsg.hidden = !locked;
    lockMsg.textContent = a.reply === 'closed' ? s.composerClosed : s.composerLocked;
    if (!inline.hidden && ((inline.dataset.kind === 'refer' && !a.refer) || (inline.dataset.kind === 'close' && !a.close))) hideInline();
    paintLog(first);
  }

  async function load(first = false): Promise<void> {
    const mine = ++seq;
    try {
      const d = await ctx.api.conversation(id);
      if (gone || mine !== seq) return;
      detail = d;
      paint(first);
    } catch (e) {
      if (!gone) ctx.fail(e);
    }
  }

  /** Runs an action, then reloads this pane and the list (also after a 409: someone else changed it). */
  async function act(btn: HTMLButtonElement, work: () => Promise<unknown>): Promise<boolean> {
    ctx.notice(null);
    try {
      await busy(btn, work);
      return true;
    } catch (e) {
      ctx.fail(e);
      return false;
    } finally {
      void load();
      changed();
    }
  }

  function hideInline(): void {
    inline.hidden = true;
    inline.replaceChildren();
    referBtn.setAttribute('aria-expanded', 'false');
    closeBtn.setAttribute('aria-expanded', 'false');
  }

  function showInline(kind: 'refer' | 'close', from: HTMLButtonElement, ...kids: HTMLElement[]): void {
    hideInline();
    inline.dataset.kind = kind;
    inline.replaceChildren(...kids);
    inline.hidden = false;
    from.setAttribute('aria-expanded', 'true');
    inline.onkeydown = (e) => {
      if (e.key !== 'Escape') return;
      hideInline();
      from.focus();
    };
  }

  takeBtn.onclick = () => void act(takeBtn, () => ctx.api.take(id));
  backBtn.onclick = () => void act(backBtn, () => ctx.api.handBack(id));
  closeBtn.onclick = () => {
    if (!inline.hidden && inline.dataset.kind === 'close') return hideInline();
    const yes = button(s.closeConfirm, { class: 'btn dng', 'data-testid': 'close-confirm' });
    const no = button(s.cancel, { class: 'btn', 'data-testid': 'close-cancel' }, () => {
      hideInline();
      closeBtn.focus();
    });
    yes.onclick = async () => {
      if (await act(yes, () => ctx.api.close(id))) hideInline();
    };
    showInline('close', closeBtn, h('p', {}, s.closeAsk), h('div', { class: 'bar' }, yes, no));
    yes.focus();
  };
  referBtn.onclick = async () => {
    if (!inline.hidden && inline.dataset.kind === 'refer') return hideInline();
    if (!researchers) {
      try {
        researchers = await busy(referBtn, () => ctx.api.researchers());
      } catch (e) {
        return ctx.fail(e);
      }
    }
    const who = select([{ value: '', label: s.choose }, ...researchers.map((r) => ({ value: r.id, label: r.displayName }))], { required: '', 'data-testid': 'refer-researcher' });
    const note = h('textarea', { rows: '2', dir: 'auto', 'data-testid': 'refer-note' });
    const submit = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'refer-submit' }, s.referSubmit);
    const form = h(
      'form',
      {},
      researchers.length ? field(s.researcher, who) : h('p', {}, s.noResearchers),
      field(s.referNote, note),
      h('div', { class: 'bar' }, submit, button(s.cancel, { class: 'btn' }, () => {
        hideInline();
        referBtn.focus();
      })),
    );
    form.onsubmit = async (e) => {
      e.preventDefault();
      if (!who.value) {
        ctx.notice(s.required);
        return who.focus();
      }
      if (await act(submit, () => ctx.api.refer(id, who.value, note.value.trim() || undefined))) hideInline();
    };
    showInline('refer', referBtn, form);
    who.focus();
  };

  /** The chosen file with the typed text as its caption, showing the upload's progress on the send button. */
  async function sendFile(file: File, caption: string) {
    attach.progress(0, send);
    try {
      return await busy(send, () => ctx.api.sendFile(id, file, file.name, caption, (p) => attach.progress(p, send)));
    } finally {
      attach.progress(null, send);
    }
  }

  async function sendReply(): Promise<void> {
    const text = reply.value.trim();
    const file = attach.file();
    if ((!text && !file) || reply.disabled || send.disabled) return;
    ctx.notice(null);
    try {
      const m = file ? await sendFile(file, text) : await busy(send, () => ctx.api.reply(id, text));
      reply.value = '';
      attach.clear();
      if (m && detail) {
        detail.messages = upsertMessage(detail.messages, m);
        paintLog(true);
      } else void load();
      changed();
    } catch (e) {
      const why = file ? attach.failure(e) : undefined;
      if (why) ctx.notice(why);
      else ctx.fail(e);
    }
    reply.focus();
  }
  replyForm.onsubmit = (e) => {
    e.preventDefault();
    void sendReply();
  };
  reply.onkeydown = (e) => {
    // keyCode 229: an IME is composing; Enter picks a candidate there.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      void sendReply();
    }
  };
  noteForm.onsubmit = async (e) => {
    e.preventDefault();
    const text = noteText.value.trim();
    if (!text) return;
    ctx.notice(null);
    try {
      const n = await busy(noteSave, () => ctx.api.note(id, text));
      noteText.value = '';
      if (n && detail) {
        detail.notes = [...detail.notes, n];
        paintLog(true);
      } else void load();
    } catch (err) {
      ctx.fail(err);
    }
  };

  void load(true);
  return {
    id,
    reload: () => void load(),
    addMessage(m) {
      if (!detail) return void load();
      detail.messages = upsertMessage(detail.messages, m);
      paintLog(false);
    },
    destroy() {
      gone = true;
    },
  };
}
