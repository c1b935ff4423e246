// Pieces of the conversation pane: message bubbles, private notes, the contact card, the canned/knowledge picker.
import type { Ctx } from './ctx.ts';
import { bdi, button, clear, facts, h, pill, select } from './dom.ts';
import { dualDate, dualDateTime, formatSize, stamp } from './format.ts';
import { fill, label } from './i18n.ts';
import { rerouteLines } from './delivery-text.ts';
import { deliveryMark } from './rules.ts';
import { KNOWLEDGE_CATEGORIES, type CannedReply, type ConversationDetail, type Interaction, type KnowledgeArticle, type Message, type Note } from './types.ts';

/** «Sender not verified», with what it means on hover and for screen readers. */
export function unverifiedPill(ctx: Ctx, testId: string): HTMLElement {
  return pill(ctx.s.unverifiedSender, 'late', { title: ctx.s.unverifiedHint, 'aria-description': ctx.s.unverifiedHint, 'data-testid': testId });
}

export function channelPill(ctx: Ctx, channel: string): HTMLElement {
  return pill(label(ctx.s.channel, channel), `ch-${channel.replace(/[^a-z0-9-]/gi, '')}`);
}

export function messageEl(ctx: Ctx, m: Message, contactName: string): HTMLElement {
  const { s, locale } = ctx;
  const kind = m.sender === 'system' ? 'sys' : m.direction;
  const who = m.sender === 'beneficiary' ? contactName || s.sender.beneficiary : m.sender === 'officer' ? m.senderName || s.sender.officer : s.sender[m.sender];
  const bubble = h('div', { class: 'bub', dir: 'auto' }, m.text);
  if (m.tooLarge) {
    const sizes = { size: formatSize(m.tooLarge.size, locale), max: formatSize(m.tooLarge.maxBytes, locale) };
    bubble.append(h('span', { 'data-testid': 'too-large' }, fill(s.tooLarge, sizes)));
  }
  if (m.attachment) {
    const a = m.attachment;
    if (m.text) bubble.append(h('br'));
    bubble.append(
      h('a', { class: 'att', href: a.url, target: '_blank', rel: 'noopener', 'data-testid': 'attachment' }, '📎 ', bdi(a.name), a.size ? ` (${formatSize(a.size, locale)})` : ''),
    );
  }
  const meta = h('div', { class: 'meta' }, bdi(who), channelPill(ctx, m.channel), h('time', { datetime: m.createdAt, title: dualDateTime(m.createdAt, locale) }, stamp(m.createdAt, locale, ctx.now())));
  // Beside the sender's name: the mail server did not vouch that this address sent it.
  if (m.unverifiedSender) meta.insertBefore(unverifiedPill(ctx, 'unverified-sender'), meta.children[1] ?? null);
  if (m.direction === 'out') {
    const mark = deliveryMark(m.status);
    const text = label(s.delivery, m.status);
    if (mark) meta.append(h('span', { class: mark === '!' ? 'dl f' : 'dl', title: text, 'aria-label': text, 'data-testid': 'delivery', 'data-status': m.status }, mark));
    if (m.status === 'failed') {
      // Dead letter: the channel refused it for good; an officer can put it back in the queue.
      const retry = h('button', { type: 'button', class: 'btn sm', 'data-testid': 'retry-send' }, s.retrySend);
      retry.onclick = async () => {
        retry.setAttribute('disabled', '');
        try {
          await ctx.api.retryMessage(m.id);
          retry.remove();
        } catch (e) {
          retry.removeAttribute('disabled');
          ctx.fail(e);
        }
      };
      meta.append(retry);
    }
  }
  const el = h('div', { class: `msg ${kind} ${m.sender}`, 'data-testid': 'message', 'data-sender': m.sender, 'data-id': m.id }, bubble, meta);
  if (m.truncated) el.append(h('p', { class: 'rr', 'data-testid': 'truncated' }, `✂ ${s.truncated}`));
  // A channel that could not deliver and handed the message on; the provider's words in the tooltip.
  for (const line of m.direction === 'out' ? rerouteLines(m.deliveries ?? [], s) : []) {
    el.append(h('p', { class: 'rr', title: line.title, 'data-testid': 'reroute' }, `↪ ${line.text}`));
  }
  return el;
}

export function noteEl(ctx: Ctx, n: Note): HTMLElement {
  const { s, locale } = ctx;
  return h(
    'div',
    { class: 'note', 'data-testid': 'note', 'data-id': n.id },
    h('div', { class: 'nh' }, `🔒 ${s.privateNote} · `, bdi(n.officer.displayName), ' · ', h('time', { datetime: n.createdAt, title: dualDateTime(n.createdAt, locale) }, stamp(n.createdAt, locale, ctx.now()))),
    h('p', { dir: 'auto' }, n.text),
  );
}

/** A call, visit or letter, where it happened in time, with who recorded it. */
export function interactionEl(ctx: Ctx, it: Interaction): HTMLElement {
  const { s, locale } = ctx;
  return h(
    'div',
    { class: 'note ix', 'data-testid': 'interaction', 'data-kind': it.kind },
    h('div', { class: 'nh' }, `${label(s.interaction, it.kind)} · ${s.interactionBy} `, bdi(it.recordedBy.displayName), ' · ', h('time', { datetime: it.occurredAt, title: dualDateTime(it.occurredAt, locale) }, stamp(it.occurredAt, locale, ctx.now()))),
    h('p', { dir: 'auto' }, it.summary),
  );
}

export interface LogItem {
  key: string;
  /** Changes when the item must be drawn again (a delivery state, an edited text). */
  sig: string;
  make(): HTMLElement;
}

/** Messages and notes in one time line (notes sit where they were written). */
export function timeline(ctx: Ctx, d: ConversationDetail): LogItem[] {
  const items: (LogItem & { at: string; order: number })[] = [
    ...d.messages.map((m, i) => ({ key: `m${m.id}`, sig: `${m.status}|${m.text}|${(m.deliveries ?? []).map((x) => x.channel + x.status).join()}`, at: m.createdAt, order: i, make: () => messageEl(ctx, m, d.contact.displayName) })),
    ...d.notes.map((n, i) => ({ key: `n${n.id}`, sig: n.text, at: n.createdAt, order: 100_000 + i, make: () => noteEl(ctx, n) })),
    ...d.interactions.map((x, i) => ({ key: `x${x.id}`, sig: x.summary, at: x.occurredAt, order: 200_000 + i, make: () => interactionEl(ctx, x) })),
  ];
  return items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
}

/** The contact's applications as links (always in view), then phone, ID and every channel address (folded). */
export function contactCard(ctx: Ctx, d: ConversationDetail): HTMLElement[] {
  const { s, locale } = ctx;
  const c = d.contact;
  const apps = h('p', { class: 'apps', 'data-testid': 'contact-applications' }, `${s.contactApps}: `);
  if (!d.applications.length) apps.append(h('span', { class: 'muted' }, s.noApps));
  d.applications.forEach((a, i) => {
    const link = h('a', { href: `#/applications/${encodeURIComponent(a.id)}`, title: dualDate(a.createdAt, locale), 'data-testid': 'contact-application' }, bdi(a.reference, { dir: 'ltr' }));
    apps.append(i ? ' · ' : '', link, ` (${label(s.appStatus, a.status)})`, a.overdue ? ' ' : '', a.overdue ? pill(s.overdue, 'late') : '');
  });
  const ids = h('ul', {}, ...c.identities.map((i) => h('li', {}, label(s.channel, i.channel), ': ', bdi(i.address, { dir: 'ltr' }), ...(i.unverified ? [' ', unverifiedPill(ctx, 'identity-unverified')] : []))));
  const details = h(
    'details',
    {},
    h('summary', {}, `${s.identities} (${c.identities.length})`),
    facts([
      [s.phone, c.phone ? bdi(c.phone, { dir: 'ltr' }) : null],
      [s.nationalId, c.nationalId ? bdi(c.nationalId, { dir: 'ltr' }) : null],
    ]),
    ids,
  );
  return [apps, details];
}

/** The canned replies / knowledge base picker; `insert` puts the chosen text into the composer. */
export function picker(ctx: Ctx, insert: (text: string) => void): { toggle: HTMLButtonElement; panel: HTMLElement } {
  const { s } = ctx;
  const panel = h('div', { class: 'pick', id: 'tw-picker', hidden: '', 'data-testid': 'picker' });
  const toggle = button(`📚 ${s.picker}`, { class: 'btn sm', 'aria-expanded': 'false', 'aria-controls': 'tw-picker', 'data-testid': 'picker-toggle' });
  const filter = h('input', { type: 'search', 'aria-label': s.filter, placeholder: s.filter, dir: 'auto' });
  const cat = select([{ value: '', label: s.allCategories }, ...KNOWLEDGE_CATEGORIES.map((c) => ({ value: c, label: label(s.category, c) }))], { 'aria-label': s.categoryLabel });
  const cannedList = h('ul', { 'aria-label': s.canned });
  const kbList = h('ul', { 'aria-label': s.knowledge });
  let canned: CannedReply[] | undefined;
  let articles: KnowledgeArticle[] = [];
  panel.append(h('div', { class: 'bar' }, filter, cat), h('h3', {}, s.canned), cannedList, h('h3', {}, s.knowledge), kbList);

  const matches = (...texts: string[]) => {
    const q = filter.value.trim().toLowerCase();
    return !q || texts.some((t) => t.toLowerCase().includes(q));
  };
  const pick = (text: string) => {
    insert(text);
    panel.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
  };
  function paint(): void {
    clear(cannedList);
    clear(kbList);
    for (const c of canned ?? []) {
      if (!matches(c.title, c.textAr, c.textEn)) continue;
      cannedList.append(
        h(
          'li',
          { 'data-testid': 'canned-item' },
          h('strong', { dir: 'auto' }, c.title),
          h('p', { dir: 'auto' }, ctx.locale === 'en' ? c.textEn : c.textAr),
          h('div', { class: 'bar' }, button(s.insertAr, { class: 'btn sm', 'data-testid': 'canned-insert-ar' }, () => pick(c.textAr)), button(s.insertEn, { class: 'btn sm', 'data-testid': 'canned-insert-en' }, () => pick(c.textEn))),
        ),
      );
    }
    for (const a of articles) {
      if (!matches(a.title, a.body)) continue;
      kbList.append(
        h('li', { 'data-testid': 'knowledge-item' }, h('strong', { dir: 'auto' }, a.title), ' ', pill(label(s.category, a.category), ''), h('p', { dir: 'auto' }, a.body), button(s.insert, { class: 'btn sm' }, () => pick(a.body))),
      );
    }
    if (!cannedList.firstChild) cannedList.append(h('li', { class: 'muted' }, s.nothing));
    if (!kbList.firstChild) kbList.append(h('li', { class: 'muted' }, s.nothing));
  }
  async function loadKnowledge(): Promise<void> {
    articles = await ctx.api.knowledge(cat.value).catch((e: unknown) => (ctx.fail(e), []));
    paint();
  }
  toggle.onclick = async () => {
    const open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (!open) return;
    filter.focus();
    if (canned) return;
    canned = [];
    const [c] = await Promise.all([ctx.api.cannedReplies().catch((e: unknown) => (ctx.fail(e), [])), loadKnowledge()]);
    canned = c;
    paint();
  };
  filter.oninput = paint;
  cat.onchange = () => void loadKnowledge();
  panel.onkeydown = (e) => {
    if (e.key !== 'Escape') return;
    panel.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
    toggle.focus();
  };
  return { toggle, panel };
}
