// The controller: session, history, live link, sends and uploads, wired to the store and the UI.
import { createApi, createLive, HttpError } from './client.ts';
import { formatNumber } from './format.ts';
import { fill, STRINGS } from './i18n.ts';
import { checkFile } from './options.ts';
import { createPersist, memoryStore, type KeyValue } from './persist.ts';
import { Store } from './store.ts';
import type { Locale, WidgetOptions } from './types.ts';
import { createUi } from './ui.ts';

function localStore(): KeyValue {
  try {
    const ls = window.localStorage;
    ls.getItem('tawasul');
    return ls;
  } catch {
    return memoryStore();
  }
}

function newClientId(): string {
  const a = new Uint8Array(12);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function createWidget(opts: WidgetOptions) {
  const persist = createPersist(localStore(), opts.server, opts.userId);
  const saved = persist.load();
  let locale: Locale = saved.locale ?? opts.locale;
  let token = saved.token;
  let seen = saved.seen;
  let typing = false;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let pendingSession: Promise<boolean> | undefined;
  let lastLost = 0;
  // What the server last said about files (undefined: not yet, or an older server; the question's type decides).
  let acceptsUpload: boolean | undefined;
  const files = new Map<string, File>();
  const store = new Store();
  const api = createApi(opts.server, () => token);
  const s = () => STRINGS[locale];

  const save = () => persist.save({ ...(token ? { token } : {}), seen, locale });

  const ui = createUi(opts, {
    onOpenChange: (open) => setOpen(open, true),
    onSend: (text) => void send(text),
    onChoice: (id, label) => void send(label, id),
    onFile: (file) => void attach(file),
    onRetry: (cid) => void deliver(cid),
    onToggleLocale: toggleLocale,
    onNewConversation: () => reset(true),
  });

  const live = createLive({
    base: opts.server,
    token: () => token,
    cursor: () => store.cursor,
    poll: (after) => api.history(after),
    onMessages: receive,
    onState: (accepts) => {
      acceptsUpload = accepts;
      render();
    },
    onUnauthorized: (expired) => lost(expired),
  });

  /** The server refused the token: forget it and start over, saying so when the chat simply outlived its time. */
  function lost(expired: boolean, startNew = ui.isOpen()): void {
    // A token refused again right after a new session means something else is wrong: stop looping.
    if (Date.now() - lastLost < 10_000) {
      live.stop();
      return fail(s().errGeneric);
    }
    lastLost = Date.now();
    reset(startNew);
    // A signed-in user's new token reopens the same history: only an anonymous chat really starts over.
    if (expired && !opts.userId) ui.showNotice(s().ended);
  }

  function render(): void {
    if (ui.isOpen() && store.cursor > seen) {
      seen = store.cursor;
      save();
    }
    const expects = store.latestOut()?.expects;
    ui.render({ items: store.items(), typing, unread: ui.isOpen() ? 0 : store.unreadAfter(seen), expects, uploads: acceptsUpload ?? expects === 'document' });
  }

  function setTyping(on: boolean): void {
    typing = on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(() => setTyping(false), 10_000);
    render();
  }

  function receive(messages: Parameters<Store['add']>[0]): void {
    const fresh = store.add(messages);
    // «عربي» typed in an English chat (or "English" in an Arabic one): the bot answers in the new language, and the
    // frame follows it — strings and direction — as if the language button had been pressed.
    const spoken = [...fresh].reverse().find((m) => m.direction === 'out' && (m.locale === 'ar' || m.locale === 'en'))?.locale;
    if (spoken && spoken !== locale) {
      locale = spoken;
      save();
      ui.setLocale(locale);
    }
    if (fresh.some((m) => m.direction === 'out')) setTyping(false);
    else render();
  }

  function fail(text: string): void {
    ui.showError(text);
  }

  function errorText(e: unknown, upload = false): string {
    const st = e instanceof HttpError ? e.status : 0;
    const code = e instanceof HttpError ? e.code : '';
    if (st === 413) return upload ? fill(s().errFileSize, { mb: formatNumber(opts.maxUploadMb, locale, 1) }) : s().errTooLong;
    if (st === 415) return s().errFileType;
    if (code === 'ERR_UPLOAD_NOT_EXPECTED') return s().errNoUpload;
    if (code === 'ERR_UPLOAD_QUOTA') return s().errQuota;
    if (st === 507) return s().errStorage;
    if (st === 429) return fill(s().errRate, { s: formatNumber((e as HttpError).retryAfter || 30, locale) });
    if (st === 401 || st === 403) return s().errIdentity;
    return st === 0 ? s().errNetwork : s().errGeneric;
  }

  async function connect(): Promise<void> {
    try {
      const h = await api.history(store.cursor);
      if (typeof h.acceptsUpload === 'boolean') acceptsUpload = h.acceptsUpload;
      receive(h.messages);
    } catch (e) {
      if (e instanceof HttpError && e.status === 401) return lost(e.code === 'ERR_TOKEN_EXPIRED');
      // Anything else: the socket's backlog (or polling) fills the gap from the same cursor.
    }
    if (token) live.start();
  }

  function ensureSession(): Promise<boolean> {
    if (token) return Promise.resolve(true);
    pendingSession ??= (async () => {
      setTyping(true);
      try {
        const body = {
          locale,
          ...(opts.userId ? { userId: opts.userId } : {}),
          ...(opts.userHash ? { userHash: opts.userHash } : {}),
          ...(opts.phone && opts.phoneHash ? { phone: opts.phone, phoneHash: opts.phoneHash } : {}),
          ...(opts.userId && opts.userExp !== undefined ? { exp: opts.userExp } : {}),
        };
        token = (await api.createSession(body)).token;
        seen = 0;
        save();
        ui.showError(null);
        void connect();
        return true;
      } catch (e) {
        setTyping(false);
        fail(errorText(e));
        return false;
      } finally {
        pendingSession = undefined;
      }
    })();
    return pendingSession;
  }

  /** Forgets the conversation (new conversation, or a token the server refused). */
  function reset(startNew: boolean): void {
    live.stop();
    token = undefined;
    seen = 0;
    acceptsUpload = undefined;
    store.clear();
    files.clear();
    ui.resetList();
    ui.showNotice(null);
    setTyping(false);
    save();
    if (startNew) void ensureSession();
  }

  function send(text: string, choice?: string): Promise<void> {
    const clientId = newClientId();
    store.addLocal({ clientId, text, ...(choice ? { choice } : {}), createdAt: new Date().toISOString() });
    return deliver(clientId);
  }

  function attach(file: File): Promise<void> | void {
    const bad = checkFile(file, opts.maxUploadMb);
    if (bad) return fail(bad === 'size' ? fill(s().errFileSize, { mb: formatNumber(opts.maxUploadMb, locale, 1) }) : s().errFileType);
    const clientId = newClientId();
    files.set(clientId, file);
    store.addLocal({ clientId, text: '', attachment: { name: file.name, mime: file.type, size: file.size }, progress: 0, createdAt: new Date().toISOString() });
    return deliver(clientId);
  }

  async function deliver(clientId: string): Promise<void> {
    const l = store.retry(clientId);
    if (!l) return;
    render();
    if (!(await ensureSession())) {
      store.fail(clientId);
      return render();
    }
    const file = files.get(clientId);
    // Typing starts before the answer: the reply often arrives over the socket before the POST returns.
    if (!file) setTyping(true);
    try {
      const r = file
        ? await api.upload(file, (p) => {
            store.progress(clientId, p);
            if (p >= 1) setTyping(true);
            else render();
          })
        : await api.send(l.choice ? { choice: l.choice, clientId } : { text: l.text, clientId });
      store.ack(clientId, r.id);
      files.delete(clientId);
      render();
    } catch (e) {
      setTyping(false);
      const st = e instanceof HttpError ? e.status : 0;
      if (st === 401) {
        lost((e as HttpError).code === 'ERR_TOKEN_EXPIRED', true);
        if (!file && !l.choice) ui.restoreDraft(l.text);
        return;
      }
      fail(errorText(e, Boolean(file)));
      if (st === 0 || st >= 500) store.fail(clientId);
      else {
        // Refused (too long, too fast, wrong file): it was never stored, so give the text back.
        store.remove(clientId);
        files.delete(clientId);
        if (!file && !l.choice) ui.restoreDraft(l.text);
      }
      render();
    }
  }

  function toggleLocale(): void {
    locale = locale === 'ar' ? 'en' : 'ar';
    save();
    ui.setLocale(locale);
    render();
    // The bot understands these words and switches the conversation's language too.
    if (token) void send(locale === 'en' ? 'English' : 'عربي');
  }

  function setOpen(open: boolean, focus: boolean): void {
    if (open === ui.isOpen()) return;
    ui.setOpen(open, focus);
    if (open) void ensureSession();
    render();
  }

  ui.setLocale(locale);
  if (token) void connect();
  window.addEventListener('online', live.nudge);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && live.nudge());
  // Another tab started a new conversation or read the messages: follow it.
  window.addEventListener('storage', (e) => {
    if (e.key !== persist.key) return;
    const next = persist.load();
    if (next.token !== token) {
      live.stop();
      store.clear();
      ui.resetList();
      acceptsUpload = undefined;
      token = next.token;
      seen = next.seen;
      if (token) void connect();
    } else seen = Math.max(seen, next.seen);
    render();
  });

  return {
    mount(): void {
      document.body.append(ui.host);
      if (opts.open) setOpen(true, false);
    },
    open: () => setOpen(true, false),
    close: () => setOpen(false, false),
    toggle: () => setOpen(!ui.isOpen(), false),
  };
}
