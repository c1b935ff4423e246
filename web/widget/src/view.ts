// DOM helpers and the message list: builds each message once, then patches only what can change.
import { formatDual, formatSize, formatStamp, splitBubble } from './format.ts';
import type { Strings } from './i18n.ts';
import type { Item } from './store.ts';
import type { Attachment, Locale, MessageView } from './types.ts';

type Kid = Node | string | null | undefined | false;

/** Creates an element; children that are strings become text nodes (never parsed as HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: Kid[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const k in attrs) el.setAttribute(k, attrs[k] ?? '');
  for (const c of kids) if (c) el.append(c);
  return el;
}

export const ICONS = {
  chat: 'M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z',
  close: 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z',
  restart: 'M17.65 6.35A8 8 0 1 0 19.73 14h-2.08A6 6 0 1 1 12 6c1.66 0 3.14.69 4.22 1.78L13 11h7V4z',
  attach: 'M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z',
  send: 'M2 21 23 12 2 3v7l15 2-15 2z',
  file: 'M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zm-1 7V3.5L18.5 9z',
};

export function icon(d: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', d);
  svg.append(p);
  return svg;
}

export interface ListCtx {
  locale: Locale;
  s: Strings;
  onChoice: (id: string, label: string) => void;
  onRetry: (clientId: string) => void;
}

interface View {
  el: HTMLElement;
  sig: string;
  status?: HTMLElement;
  bar?: HTMLElement;
  retry?: HTMLButtonElement;
  choices: HTMLButtonElement[];
}

function fileChip(a: Attachment, ctx: ListCtx): HTMLElement {
  return h('div', { class: 'f', 'data-testid': 'attachment' }, icon(ICONS.file), h('bdi', {}, a.name), h('span', {}, formatSize(a.size, ctx.locale, ctx.s)));
}

type Notice = NonNullable<MessageView['notice']>;
const refEl = (r: string) => h('bdi', { dir: 'ltr', class: 'rf', 'data-testid': 'reference' }, r);

/** A notice card's head: what it is about, and the reference on one line. */
function noticeHead(n: Notice, ctx: ListCtx): HTMLElement {
  const { s } = ctx;
  const title = n.kind === 'appointment' ? s.ntAppointment : n.kind === 'decision' ? s.ntDecision : s.ntStatus;
  return h('div', { class: 'nh', 'data-testid': 'notice-head' }, h('strong', {}, title), h('span', {}, `${s.ntRef} `, refEl(n.reference)));
}

/** An appointment's time (Hijri with Gregorian) and place, as their own lines. */
function noticeFacts(n: Notice, ctx: ListCtx): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (n.when) out.push(h('div', { class: 'nf', 'data-testid': 'notice-when' }, `${ctx.s.ntWhen}: `, formatDual(n.when, ctx.locale)));
  if (n.place) out.push(h('div', { class: 'nf', 'data-testid': 'notice-place' }, `${ctx.s.ntPlace}: `, h('bdi', {}, n.place)));
  return out;
}

function build(it: Item, ctx: ListCtx): View {
  const m = it.msg;
  const { s } = ctx;
  const kind = m.direction === 'in' ? 'in' : m.notice ? 'nt' : m.sender === 'system' ? 'sys' : 'out';
  const el = h('div', { class: `m ${kind}`, 'data-testid': 'message', ...(m.notice ? { 'data-notice': m.notice.kind } : {}), 'data-direction': m.direction, 'data-sender': m.sender });
  if (m.notice) el.append(noticeHead(m.notice, ctx), ...noticeFacts(m.notice, ctx));
  if (m.sender === 'officer') el.append(h('div', { class: 'nm' }, h('bdi', {}, m.senderName || s.officer)));
  else if (kind !== 'sys') el.append(h('span', { class: 'sr' }, kind === 'in' ? s.you : s.bot));
  if (m.text || m.attachment) {
    const b = h('div', { class: 'b', dir: 'auto' });
    for (const seg of splitBubble(m.text)) {
      // A reference inside Arabic would otherwise read «1448-7K3M9QX-TW» and could wrap at a dash.
      b.append(seg.href ? h('a', { href: seg.href, target: '_blank', rel: 'noopener noreferrer' }, seg.text) : seg.reference ? h('bdi', { dir: 'ltr', class: 'rf', 'data-testid': 'reference' }, seg.text) : seg.text);
    }
    if (m.attachment) b.append(fileChip(m.attachment, ctx));
    el.append(b);
  }
  const stamp = formatStamp(m.createdAt, ctx.locale);
  const meta = h('div', { class: 'mt' }, h('time', { datetime: m.createdAt, title: stamp.full }, stamp.short));
  el.append(meta);
  const v: View = { el, sig: '', choices: [] };
  if (it.delivery) {
    // Status changes are text changes, which the log (aria-relevant="additions") does not announce.
    v.status = h('span', { class: 's', 'data-testid': 'delivery' });
    meta.append(v.status);
  }
  if (m.choices?.length) {
    const group = h('div', { class: 'ch', role: 'group' });
    for (const c of m.choices) {
      const btn = h('button', { type: 'button', class: 'cb', dir: 'auto', 'data-testid': 'choice', 'data-choice-id': c.id }, c.label);
      btn.onclick = () => ctx.onChoice(c.id, c.label);
      v.choices.push(btn);
      group.append(btn);
    }
    el.append(group);
  }
  return v;
}

function patch(v: View, it: Item, active: boolean, ctx: ListCtx): void {
  const { el } = v;
  if (it.msg.id > 0) el.setAttribute('data-id', String(it.msg.id));
  if (it.delivery) el.setAttribute('data-state', it.delivery);
  el.classList.toggle('fl', it.delivery === 'failed');
  if (v.status && it.delivery) v.status.textContent = ctx.s[it.delivery];
  for (const b of v.choices) b.disabled = !active;

  if (it.progress !== undefined) {
    if (!v.bar) {
      v.bar = h('div', { class: 'pg', role: 'progressbar', 'aria-label': ctx.s.uploading, 'aria-valuemin': '0', 'aria-valuemax': '100' }, h('i'));
      el.insertBefore(v.bar, el.querySelector('.mt'));
    }
    const pct = String(Math.round(it.progress * 100));
    v.bar.setAttribute('aria-valuenow', pct);
    (v.bar.firstChild as HTMLElement).style.width = `${pct}%`;
  } else if (v.bar) {
    v.bar.remove();
    v.bar = undefined;
  }

  const failed = it.delivery === 'failed' && it.clientId;
  if (failed && !v.retry) {
    const cid = it.clientId ?? '';
    v.retry = h('button', { type: 'button', class: 'rt', 'data-testid': 'retry' }, ctx.s.retry);
    v.retry.onclick = () => ctx.onRetry(cid);
    el.append(v.retry);
  } else if (!failed && v.retry) {
    v.retry.remove();
    v.retry = undefined;
  }
}

/** Keeps `log` in step with the items, moving and creating as few nodes as possible. */
export function createList(log: HTMLElement) {
  let views = new Map<string, View>();
  return {
    reset(): void {
      views = new Map();
      log.textContent = '';
    },
    render(items: Item[], ctx: ListCtx): void {
      const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
      const next = new Map<string, View>();
      let cursor: ChildNode | null = log.firstChild;
      let added = false;
      items.forEach((it, i) => {
        let v = views.get(it.key);
        if (!v) {
          v = build(it, ctx);
          added = added || it.msg.direction === 'in';
        }
        const active = i === items.length - 1 && it.msg.direction === 'out';
        const sig = `${it.msg.id}|${it.delivery ?? ''}|${it.progress ?? ''}|${active}`;
        if (sig !== v.sig) {
          patch(v, it, active, ctx);
          v.sig = sig;
        }
        next.set(it.key, v);
        if (cursor === v.el) cursor = cursor.nextSibling;
        else log.insertBefore(v.el, cursor);
      });
      for (const [key, v] of views) if (!next.has(key)) v.el.remove();
      views = next;
      if (nearBottom || added) log.scrollTop = log.scrollHeight;
    },
  };
}
