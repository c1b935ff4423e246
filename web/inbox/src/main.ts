// Entry point of /inbox/app.js: session, language, live stream, and the hash router that mounts each screen.
import { ApiError, createApi } from './api.ts';
import { renderApplications, showMyCases } from './applications.ts';
import { renderApplication } from './application.ts';
import { renderAdmin } from './admin.ts';
import { renderChangePassword, renderSignIn } from './auth.ts';
import { renderTotpSetup } from './totp-setup.ts';
import { renderChannels } from './channels.ts';
import { renderDeliveries } from './deliveries.ts';
import { errorText, type Ctx, type LiveSignal, type View } from './ctx.ts';
import { createRawUploader, createRequester, createUploader, type HttpHooks } from './http.ts';
import { loadStrings, strings } from './i18n.ts';
import { renderInbox } from './inbox.ts';
import { renderIntake } from './intake.ts';
import { beep, primeSoundOnGesture, startLive, type LiveHub } from './live.ts';
import { createAssignmentAlert } from './assignment-alert.ts';
import { renderAskName } from './ask-name.ts';
import { renderReports } from './reports.ts';
import { renderPrivacy } from './privacy.ts';
import { canSee, resolve, toHash, type Route } from './router.ts';
import { buildShell, type Shell } from './shell.ts';
import { injectStyles } from './styles.ts';
import type { Locale, Session } from './types.ts';

const LOCALE_KEY = 'tawasul.inbox.locale';

function storedLocale(): Locale {
  try {
    return localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'ar';
  } catch {
    return 'ar';
  }
}

let locale = storedLocale();
let session: Session | null = null;
let live: LiveHub | undefined;
let shell: Shell;
let view: View | undefined;
let viewRoute: Route | undefined;
let waiting = 0;
let countsTimer: ReturnType<typeof setTimeout> | undefined;
const app = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));

const hooks: HttpHooks = {
  csrf: () => session?.csrfToken ?? '',
  onSignedOut() {
    if (!session) return;
    endSession();
    render();
    shell.notice(strings(locale).errSession);
  },
  onPasswordRequired() {
    if (!session || session.officer.mustChangePassword) return;
    session.officer.mustChangePassword = true;
    render();
  },
  onTotpSetupRequired() {
    if (!session || session.officer.totpSetupRequired) return;
    session.officer.totpSetupRequired = true;
    render();
  },
};
const api = createApi(createRequester(hooks), Date.now, createUploader(hooks), createRawUploader(hooks));

function setWaiting(n: number): void {
  waiting = n;
  shell.setWaiting(n);
}

function refreshCountsSoon(): void {
  clearTimeout(countsTimer);
  countsTimer = setTimeout(() => {
    if (!session) return;
    api.conversations('waiting').then((r) => setWaiting(r.counts.waiting), () => undefined);
  }, 300);
}

let alert: ReturnType<typeof createAssignmentAlert> | undefined;
function showAssignment(e: Extract<LiveSignal, { type: 'assignment' }>): void {
  alert ??= createAssignmentAlert(strings(locale), (a) => {
    if (a.application) {
      showMyCases();
      location.hash = toHash({ name: 'applications' });
    } else if (a.conversationId) location.hash = toHash({ name: 'inbox', id: a.conversationId });
  });
  if (!alert.el.isConnected) shell.main.before(alert.el);
  alert.show(e);
}

function onLive(e: LiveSignal): void {
  if (e.type === 'assignment') showAssignment(e);
  if (e.type === 'conversation' && e.status === 'waiting') beep();
  // The inbox screen reloads its own list (and counts); elsewhere only the header badge needs them.
  if ((e.type === 'conversation' || e.type === 'resync') && viewRoute?.name !== 'inbox') refreshCountsSoon();
}

function ensureLive(): void {
  if (live || !session || !canSee(session.officer.role, 'inbox')) return;
  // The feed closed for good (an HTTP error such as 401): if the session is gone, back to the sign-in screen.
  live = startLive(undefined, () => {
    api.me().then(
      () => undefined,
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) hooks.onSignedOut();
      },
    );
  });
  live.onState((connected) => shell.setLive(connected));
  live.subscribe(onLive);
  refreshCountsSoon();
}

function endSession(): void {
  live?.stop();
  live = undefined;
  session = null;
  waiting = 0;
}

function makeCtx(sess: Session): Ctx {
  const s = strings(locale);
  return {
    api,
    me: sess.officer,
    locale,
    s,
    now: Date.now,
    go: (r) => {
      location.hash = toHash(r);
    },
    fail(e) {
      // A lost session or a required password change already redrew the page.
      if (e instanceof ApiError && (e.code === 'ERR_PASSWORD_CHANGE_REQUIRED' || e.code === 'ERR_TOTP_SETUP_REQUIRED' || (e.status === 401 && !session))) return;
      shell.notice(errorText(e, s, locale));
    },
    notice: (t) => shell.notice(t),
    onLive: (fn) => (live ? live.subscribe(fn) : () => undefined),
    setCounts: (c) => setWaiting(c.waiting),
  };
}

const SCREENS: Record<Route['name'], (ctx: Ctx, root: HTMLElement, r: Route) => View> = {
  inbox: (c, root, r) => renderInbox(c, root, r.name === 'inbox' ? r.id : undefined),
  deliveries: (c, root) => renderDeliveries(c, root),
  applications: (c, root, r) => (r.name === 'applications' && r.id ? renderApplication(c, root, r.id) : renderApplications(c, root)),
  intake: (c, root) => renderIntake(c, root),
  reports: (c, root) => renderReports(c, root),
  channels: (c, root) => renderChannels(c, root),
  privacy: (c, root) => renderPrivacy(c, root),
  admin: (c, root, r) => renderAdmin(c, root, r.name === 'admin' ? r.section : 'officers'),
};

/** Signed in, password chosen and (where required) the authenticator app set up. */
const isReady = (sess: Session | null): sess is Session => sess !== null && !sess.officer.mustChangePassword && !sess.officer.totpSetupRequired && !sess.officer.nameNeeded;

function route(first = false): void {
  if (!isReady(session)) return;
  const r = resolve(location.hash, session.officer.role);
  const wanted = toHash(r);
  if (location.hash !== wanted) history.replaceState(null, '', wanted);
  shell.setRoute(r.name);
  shell.notice(null);
  // Same screen, other item (another conversation): the inbox keeps its list and swaps the pane.
  if (view && viewRoute?.name === r.name && view.update?.(r)) {
    viewRoute = r;
    return;
  }
  view?.destroy?.();
  shell.main.replaceChildren();
  shell.main.className = '';
  viewRoute = r;
  view = SCREENS[r.name](makeCtx(session), shell.main, r);
  if (!first) shell.main.focus({ preventScroll: true });
}

function render(): void {
  view?.destroy?.();
  view = undefined;
  viewRoute = undefined;
  const s = strings(locale);
  document.documentElement.lang = locale;
  document.documentElement.dir = s.dir;
  const ready = isReady(session) ? session : null;
  alert = undefined;
  shell = buildShell(app, { s, locale, officer: ready?.officer, onLocale: () => void toggleLocale(), onSignOut: signOut });
  shell.setWaiting(waiting);
  const authCtx = { api, s, locale, notice: (t: string | null) => shell.notice(t) };
  if (!session) {
    renderSignIn(shell.main, authCtx, (sess) => {
      session = sess;
      render();
    });
  } else if (session.officer.mustChangePassword) {
    renderChangePassword(shell.main, authCtx, async () => {
      try {
        session = await api.me();
      } catch {
        if (session) session.officer.mustChangePassword = false;
      }
      render();
    });
  } else if (session.officer.totpSetupRequired) {
    renderTotpSetup(shell.main, authCtx, async () => {
      try {
        session = await api.me();
      } catch {
        if (session) session.officer.totpSetupRequired = false;
      }
      render();
    }, () => void signOut());
  } else if (session.officer.nameNeeded) {
    renderAskName(shell.main, authCtx, async () => {
      try {
        session = await api.me();
      } catch {
        if (session) session.officer.nameNeeded = false;
      }
      render();
    });
  } else {
    ensureLive();
    route(true);
  }
}

let switching = false;
/** Switches language once the other language's words have arrived; until then the page stays as it is. */
async function toggleLocale(): Promise<void> {
  if (switching) return;
  switching = true;
  const next: Locale = locale === 'ar' ? 'en' : 'ar';
  try {
    await loadStrings(next);
  } catch {
    shell.notice(strings(locale).errNetwork);
    return;
  } finally {
    switching = false;
  }
  locale = next;
  try {
    localStorage.setItem(LOCALE_KEY, locale);
  } catch {
    // Private mode: the choice lasts for this page.
  }
  render();
}

async function signOut(): Promise<void> {
  await api.signOut().catch(() => undefined);
  endSession();
  render();
}

/** The current language's words, fetched again (1 s, 2 s… up to 30 s apart) while the server cannot be reached. */
async function firstStrings(): Promise<void> {
  for (let wait = 1000; ; wait = Math.min(wait * 2, 30_000)) {
    try {
      await loadStrings(locale);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

async function boot(): Promise<void> {
  injectStyles();
  primeSoundOnGesture();
  // The session and the words are fetched together; nothing is drawn before the words are here.
  const me = api.me().then(
    (sess) => ({ sess }),
    (e: unknown) => ({ e }),
  );
  await firstStrings();
  const got = await me;
  if ('sess' in got) {
    session = got.sess;
    render();
  } else {
    session = null;
    render();
    if (!(got.e instanceof ApiError && got.e.status === 401)) shell.notice(errorText(got.e, strings(locale), locale));
  }
  window.addEventListener('hashchange', () => route());
}

void boot();
