// The inbox screen: queue tabs with live counts, search, the conversation list (times refreshed every 30 s) and the pane.
import { channelPill } from './conv-parts.ts';
import { mountConversation, type Pane } from './conversation.ts';
import type { Ctx, LiveSignal, View } from './ctx.ts';
import { shortAddress } from './delivery-text.ts';
import { bdi, clear, h } from './dom.ts';
import { agoFrom, asciiDigits, dualDateTime, formatNumber } from './format.ts';
import { fill } from './i18n.ts';
import { sortForQueue } from './rules.ts';
import { QUEUES, type ConversationSummary, type Counts, type Queue } from './types.ts';

// Kept while the officer moves between screens.
let lastQueue: Queue = 'waiting';
let lastSearch = '';

export function renderInbox(ctx: Ctx, root: HTMLElement, openId?: string): View {
  const { s, locale } = ctx;
  root.className = 'full';
  let queue = lastQueue;
  let seq = 0;
  let rows: ConversationSummary[] = [];
  let pane: Pane | undefined;
  let current = openId;
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  const times: { el: HTMLElement; when: string | number }[] = [];

  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': s.queuesLabel });
  const counts: Partial<Record<Queue, HTMLElement>> = {};
  const tabEls = QUEUES.map((q) => {
    const badge = q === 'closed' ? null : h('span', { class: 'badge z', 'data-testid': `count-${q}`, 'data-count': '0' }, formatNumber(0, locale));
    if (badge) counts[q] = badge;
    const t = h('button', { type: 'button', role: 'tab', class: 'tab', id: `tab-${q}`, 'aria-controls': 'conv-list', 'data-testid': `queue-${q}` }, s.queue[q], badge);
    t.onclick = () => selectQueue(q);
    tabs.append(t);
    return t;
  });
  const search = h('input', { type: 'search', dir: 'auto', placeholder: s.search, 'aria-label': s.search, 'data-testid': 'search', value: lastSearch });
  const list = h('ul', { class: 'list', id: 'conv-list', role: 'tabpanel', 'data-testid': 'conversation-list' });
  const paneEl = h('section', { class: 'pane', 'aria-label': s.historyLabel });
  root.replaceChildren(h('div', { class: 'inbox' }, h('aside', { class: 'side', 'aria-label': s.listLabel }, tabs, h('div', { class: 'srch' }, search), list), paneEl));

  function paintTabs(): void {
    tabEls.forEach((t, i) => {
      const on = QUEUES[i] === queue;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
    });
    list.setAttribute('aria-labelledby', `tab-${queue}`);
  }

  function paintCounts(c: Counts): void {
    for (const q of ['waiting', 'mine', 'open'] as const) {
      const el = counts[q];
      if (!el) continue;
      el.textContent = formatNumber(c[q], locale);
      el.dataset.count = String(c[q]);
      el.classList.toggle('z', q !== 'waiting' || c[q] === 0);
    }
    counts.waiting?.setAttribute('aria-label', fill(s.waitingBadge, { n: formatNumber(c.waiting, locale) }));
    ctx.setCounts(c);
  }

  function paintTimes(): void {
    const now = ctx.now();
    for (const t of times) t.el.textContent = agoFrom(t.when, now, locale);
  }

  function row(c: ConversationSummary): HTMLElement {
    const waitingNow = c.status === 'waiting' && c.waitingSinceMs !== undefined;
    const when = waitingNow ? c.waitingSinceMs : c.lastMessage?.createdAt;
    const time = h('span', { class: waitingNow ? 'wt' : '' });
    if (when !== undefined) {
      times.push({ el: time, when });
      time.title = dualDateTime(new Date(when), locale);
    }
    // The list carries masked mobiles («********4567»): shown short, as the delivery lines show them.
    const name = c.contact.displayName || (c.contact.phone ? shortAddress(c.contact.phone) : s.sender.beneficiary);
    const a = h(
      'a',
      { class: 'row', href: `#/inbox/${encodeURIComponent(c.id)}`, 'data-testid': 'conversation-row', 'data-id': c.id, 'data-status': c.status, 'aria-current': c.id === current ? 'page' : undefined },
      h('div', { class: 'l1' }, bdi(name, { class: 'nm' }), channelPill(ctx, c.channel)),
      c.lastMessage ? h('div', { class: 'pv', dir: 'auto' }, c.lastMessage.text) : null,
      h('div', { class: 'l3' }, time, c.assignedOfficer ? h('span', {}, ...assigned(c.assignedOfficer.displayName)) : null),
    );
    return h('li', {}, a);
  }

  /** «لدى {name}» with the name isolated in <bdi>. */
  function assigned(name: string): (string | HTMLElement)[] {
    const [before = '', after = ''] = s.assignedTo.split('{name}');
    return [before, bdi(name), after];
  }

  function paintList(): void {
    times.length = 0;
    clear(list);
    if (!rows.length) list.append(h('li', { class: 'empty' }, s.noConversations));
    for (const c of rows) list.append(row(c));
    paintTimes();
  }

  async function loadList(): Promise<void> {
    const mine = ++seq;
    try {
      const r = await ctx.api.conversations(queue, asciiDigits(search.value.trim()));
      if (mine !== seq) return;
      rows = sortForQueue(r.conversations, queue);
      paintCounts(r.counts);
      paintList();
    } catch (e) {
      if (mine === seq) ctx.fail(e);
    }
  }

  function reloadSoon(ms = 250): void {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => void loadList(), ms);
  }

  function selectQueue(q: Queue, focus = false): void {
    queue = lastQueue = q;
    paintTabs();
    if (focus) tabEls[QUEUES.indexOf(q)]?.focus();
    void loadList();
  }

  tabs.onkeydown = (e) => {
    const i = QUEUES.indexOf(queue);
    const forward = s.dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = s.dir === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
    const next = e.key === forward ? i + 1 : e.key === back ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? QUEUES.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    selectQueue(QUEUES[(next + QUEUES.length) % QUEUES.length] ?? 'waiting', true);
  };
  search.oninput = () => {
    lastSearch = search.value;
    reloadSoon(300);
  };

  function open(id: string | undefined): void {
    current = id;
    pane?.destroy();
    pane = undefined;
    for (const a of list.querySelectorAll<HTMLElement>('.row')) {
      if (a.dataset.id === id) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    if (id) pane = mountConversation(ctx, paneEl, id, () => reloadSoon(0));
    else paneEl.replaceChildren(h('p', { class: 'empty' }, s.pickConversation));
  }

  function onLive(e: LiveSignal): void {
    if (e.type === 'message') {
      if (pane && e.conversationId === pane.id) pane.addMessage(e.message);
      reloadSoon();
      return;
    }
    const id = e.type === 'conversation' ? e.id : e.type === 'assignment' ? e.conversationId : undefined;
    if (e.type === 'resync' || (pane && id === pane.id)) pane?.reload();
    reloadSoon();
  }

  const unsubscribe = ctx.onLive(onLive);
  const ticker = setInterval(paintTimes, 30_000);
  paintTabs();
  open(openId);
  void loadList();

  return {
    update(r) {
      if (r.name !== 'inbox') return false;
      if (r.id !== current) open(r.id);
      return true;
    },
    destroy() {
      unsubscribe();
      clearInterval(ticker);
      clearTimeout(reloadTimer);
      pane?.destroy();
    },
  };
}
