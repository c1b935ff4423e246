// What every screen receives from the shell, and how a failure becomes a sentence for the officer.
import { ApiError, holderFromError, type Api } from './api.ts';
import type { LiveEvent } from './events.ts';
import { countSeconds } from './format.ts';
import { fill, type Strings } from './i18n.ts';
import type { Route } from './router.ts';
import type { Counts, Locale, Officer } from './types.ts';

/** A live event, or `resync` after the stream came back (events may have been missed: reload). */
export type LiveSignal = LiveEvent | { type: 'resync' };

export interface Ctx {
  api: Api;
  me: Officer;
  locale: Locale;
  s: Strings;
  now(): number;
  go(route: Route): void;
  /** Shows a failure in the error banner (`error` test id); nothing for an ApiError already handled by the shell. */
  fail(e: unknown): void;
  /** Shows a sentence in the error banner; null hides it. */
  notice(text: string | null): void;
  onLive(fn: (e: LiveSignal) => void): () => void;
  setCounts(c: Counts): void;
}

export function errorText(e: unknown, s: Strings, locale: Locale): string {
  if (!(e instanceof ApiError)) return s.errGeneric;
  switch (e.code) {
    case 'ERR_NETWORK':
      return s.errNetwork;
    case 'ERR_UNAUTHORIZED':
      return s.errSession;
    case 'ERR_FORBIDDEN':
      return s.errForbidden;
    case 'ERR_NOT_FOUND':
      return s.errNotFound;
    case 'ERR_RATE_LIMITED':
      return fill(s.errRate, { s: countSeconds(e.retryAfter ?? 30, locale) });
    case 'ERR_CONFLICT': {
      const name = holderFromError(e);
      if (name) return fill(s.errTakenBy, { name });
    }
  }
  // Below 500 the server's message is meant to be shown (a 409 names who holds a conversation).
  return e.status >= 500 || !e.message ? s.errGeneric : e.message;
}

/** A mounted screen: `update` takes a route of the same screen in place (true = handled), `destroy` cleans up. */
export interface View {
  update?(route: Route): boolean;
  destroy?(): void;
}
