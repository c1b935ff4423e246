// Admins' Channels page: every running channel with its state; for WhatsApp Web the pairing QR while the charity's
// phone must be linked, then «متصل» and since when. Read again every few seconds while the page is shown.
import { ApiError } from './api.ts';
import type { Ctx, View } from './ctx.ts';
import { h, nextId } from './dom.ts';
import { agoFrom, dualDateTime, stamp } from './format.ts';
import { fill, label } from './i18n.ts';
import type { ChannelInfo } from './types.ts';

/** WhatsApp Web renews its code about every 20 s: a few seconds keeps the one on screen scannable. */
export const CHANNELS_REFRESH_MS = 3000;

interface Card {
  el: HTMLElement;
  badge: HTMLElement;
  body: HTMLElement;
  sig: string;
}

export function renderChannels(ctx: Ctx, root: HTMLElement): View {
  const { s, locale } = ctx;
  let gone = false;
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failed = false;
  const list = h('div', { 'data-testid': 'channel-list' });
  const empty = h('p', { class: 'empty', hidden: '', 'data-testid': 'channels-empty' }, s.noChannels);
  root.replaceChildren(h('h1', {}, s.channelsTitle), h('p', { class: 'hint' }, s.channelsIntro), list, empty);
  const cards = new Map<string, Card>();

  function card(id: string): Card {
    const known = cards.get(id);
    if (known) return known;
    const titleId = nextId('ch');
    // The badge stays the same element, so a change of state is announced (role=status) rather than redrawn.
    const badge = h('span', { class: 'pill', role: 'status', 'data-testid': 'channel-state' });
    const body = h('div', { class: 'chb' });
    const el = h(
      'section',
      { class: 'card chn', 'aria-labelledby': titleId, 'data-testid': 'channel-card', 'data-id': id },
      h('div', { class: 'bar hd' }, h('h2', { id: titleId }, label(s.channelName, id)), badge),
      body,
    );
    const c = { el, badge, body, sig: '' };
    cards.set(id, c);
    return c;
  }

  function when(iso: string, text: string): HTMLElement {
    return h('time', { datetime: iso, title: dualDateTime(iso, locale) }, text);
  }

  /** What goes under the name for one state; a plain text signature says when it must be redrawn. */
  function content(c: ChannelInfo): { sig: string; kids: HTMLElement[] } {
    const st = c.status;
    if (!st) return { sig: 'on', kids: [h('p', { class: 'hint' }, s.linkOnNote)] };
    const since = st.since ?? '';
    switch (st.state) {
      case 'qr': {
        const svg = st.qrSvg ?? '';
        const img = h('img', { class: 'qr', alt: s.qrAlt, 'data-testid': 'channel-qr', src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
        return {
          sig: `qr|${svg}`,
          kids: [
            h('p', { class: 'qrh', 'data-testid': 'channel-qr-help' }, s.qrHelp),
            svg ? img : h('p', { class: 'muted' }, s.startingNote),
            h('p', { class: 'hint' }, s.qrRenews),
          ],
        };
      }
      case 'ready': {
        const text = since ? stamp(since, locale, ctx.now()) : '';
        const [before = '', after = ''] = s.readySince.split('{when}');
        return { sig: `ready|${since}|${text}`, kids: [h('p', { 'data-testid': 'channel-since' }, before, text ? when(since, text) : '', after)] };
      }
      case 'disconnected': {
        const ago = since ? agoFrom(since, ctx.now(), locale) : '';
        return { sig: `down|${ago}`, kids: [h('p', {}, fill(s.downSince, { when: ago }))] };
      }
      case 'starting':
        return { sig: 'starting', kids: [h('p', { class: 'muted' }, s.startingNote)] };
      default:
        return { sig: `x|${st.state}`, kids: [] };
    }
  }

  function paint(channels: ChannelInfo[]): void {
    const seen = new Set<string>();
    channels.forEach((ch, i) => {
      seen.add(ch.id);
      const c = card(ch.id);
      const state = ch.status?.state ?? 'on';
      if (c.badge.dataset.state !== state) {
        c.badge.dataset.state = state;
        c.badge.className = `pill ${state === 'ready' || state === 'on' ? 'ok' : state === 'disconnected' ? 'late' : 'wait'}`;
        c.badge.textContent = label(s.linkState, state);
      }
      const next = content(ch);
      // Redrawn only on a change: an unchanged QR must not flicker while the phone's camera is on it.
      if (next.sig !== c.sig) {
        c.sig = next.sig;
        c.body.replaceChildren(...next.kids);
      }
      if (list.children[i] !== c.el) list.insertBefore(c.el, list.children[i] ?? null);
    });
    for (const [id, c] of cards) {
      if (seen.has(id)) continue;
      c.el.remove();
      cards.delete(id);
    }
    empty.hidden = channels.length > 0;
  }

  async function load(): Promise<void> {
    const mine = ++seq;
    try {
      const channels = await ctx.api.admin.channels();
      if (gone || mine !== seq) return;
      paint(channels);
      if (failed) ctx.notice(null);
      failed = false;
    } catch (e) {
      if (gone || mine !== seq) return;
      failed = true;
      ctx.fail(e);
      // No longer an admin (or signed out): asking again would only repeat the refusal.
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return;
    }
    if (!gone && mine === seq) schedule();
  }

  function schedule(): void {
    clearTimeout(timer);
    // A hidden tab asks nothing; it catches up as soon as it is shown again.
    timer = setTimeout(() => (document.hidden ? schedule() : void load()), CHANNELS_REFRESH_MS);
  }

  const onVisible = () => {
    if (!document.hidden) void load();
  };
  document.addEventListener('visibilitychange', onVisible);
  void load();
  return {
    destroy() {
      gone = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}
