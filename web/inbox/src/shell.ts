// The frame around every screen: header (sections, sound, language, who, sign-out), live notice, error banner, main.
import { bdi, button, h } from './dom.ts';
import { formatNumber } from './format.ts';
import { fill, type Strings } from './i18n.ts';
import { soundOn, setSound } from './live.ts';
import { canSee, toHash, type RouteName } from './router.ts';
import { roleLabel } from './audit.ts';
import type { Locale, Officer } from './types.ts';

export interface Shell {
  main: HTMLElement;
  notice(text: string | null): void;
  setWaiting(n: number): void;
  setLive(connected: boolean): void;
  setRoute(name: RouteName | null): void;
}

export interface ShellOptions {
  s: Strings;
  locale: Locale;
  officer?: Officer;
  onLocale(): void;
  onSignOut(): void;
}

export function buildShell(app: HTMLElement, o: ShellOptions): Shell {
  const { s } = o;
  const main = h('main', { id: 'main', tabindex: '-1' });
  const skip = h('a', { class: 'skip', href: '#main' }, s.skip);
  skip.onclick = (e) => {
    e.preventDefault();
    main.focus();
  };
  const right = h('div', { class: 'bar' });
  const langBtn = button(s.lang, { class: 'tb', lang: o.locale === 'ar' ? 'en' : 'ar', 'aria-label': s.langLabel, 'data-testid': 'lang-toggle' }, o.onLocale);
  const links = new Map<RouteName, HTMLAnchorElement>();
  const badge = h('span', { class: 'badge', 'data-testid': 'nav-count-waiting', hidden: '' });
  const nav = h('nav', { class: 'nav', 'aria-label': s.navLabel });
  const officer = o.officer;
  if (officer) {
    const items: [RouteName, string][] = [
      ['inbox', s.navInbox],
      ['deliveries', s.navDeliveries],
      ['applications', s.navApplications],
      ['intake', s.navNewApplication],
      ['reports', s.navReports],
      ['channels', s.navChannels],
      ['privacy', s.navPrivacy],
      ['admin', s.navAdmin],
    ];
    for (const [name, text] of items) {
      if (!canSee(officer.role, name)) continue;
      const route = name === 'admin' ? { name, section: 'officers' as const } : { name };
      const a = h('a', { href: toHash(route), 'data-testid': `nav-${name}` }, text);
      if (name === 'inbox') a.append(badge);
      links.set(name, a);
      nav.append(a);
    }
    const sound = button('', { class: 'tb', 'data-testid': 'sound-toggle' });
    const paintSound = () => {
      const on = soundOn();
      sound.textContent = on ? '🔔' : '🔕';
      sound.setAttribute('aria-pressed', String(on));
      sound.setAttribute('aria-label', on ? s.soundOn : s.soundOff);
      sound.title = on ? s.soundOn : s.soundOff;
    };
    sound.onclick = () => {
      setSound(!soundOn());
      paintSound();
    };
    paintSound();
    if (canSee(officer.role, 'inbox')) right.append(sound);
    right.append(langBtn, h('span', { class: 'who' }, bdi(officer.displayName), ` · ${roleLabel(s, officer.role, officer.gender)}`), button(s.signOut, { class: 'tb', 'data-testid': 'signout' }, o.onSignOut));
  } else right.append(langBtn);

  const liveBar = h('div', { class: 'live', role: 'status', hidden: '' }, s.liveDown);
  const errText = h('span', { dir: 'auto' });
  const errBox = h('div', { class: 'err', role: 'alert', 'data-testid': 'error', hidden: '' }, errText, button('×', { 'aria-label': s.dismiss }, () => shell.notice(null)));
  // The brand isolated and followed by a space: Arabic letters join across elements, «تواصل» with «صندوق» read «تواصـا».
  const header = h('header', { class: 'top' }, h('div', { class: 'brand', 'data-testid': 'brand' }, bdi(s.appName), ' ', h('small', {}, s.appSub)), nav, right);
  app.replaceChildren(skip, header, liveBar, errBox, main);

  const shell: Shell = {
    main,
    notice(text) {
      errBox.hidden = text === null;
      errText.textContent = text ?? '';
    },
    setWaiting(n) {
      badge.hidden = n <= 0;
      badge.textContent = formatNumber(n, o.locale);
      badge.setAttribute('aria-label', fill(s.waitingBadge, { n: formatNumber(n, o.locale) }));
      document.title = `${n > 0 ? `(${formatNumber(n, o.locale)}) ` : ''}${s.appName} — ${s.appSub}`;
    },
    setLive(connected) {
      liveBar.hidden = connected;
      // For tests and assistive tooling: whether live updates (alerts, new messages) are arriving.
      app.dataset.live = String(connected);
    },
    setRoute(name) {
      for (const [k, a] of links) {
        if (k === name) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
    },
  };
  return shell;
}
