// The live link's schedule as a pure state machine: WebSocket, back-off with jitter, polling fallback.

export interface ReconnectOptions {
  baseMs: number;
  capMs: number;
  /** Consecutive failures after which the widget also polls GET ?after= (the socket keeps retrying). */
  pollAfter: number;
  pollMs: number;
  /** Injected so tests can pin the jitter; Math.random in the browser. */
  random: () => number;
}

export const RECONNECT_DEFAULTS: Omit<ReconnectOptions, 'random'> = { baseMs: 1000, capMs: 30_000, pollAfter: 3, pollMs: 3000 };

export type LinkMode = 'idle' | 'connecting' | 'open' | 'waiting';

export interface LinkState {
  mode: LinkMode;
  failures: number;
  polling: boolean;
}

export type LinkEvent = 'start' | 'open' | 'fail' | 'retry' | 'stop';

export const IDLE: LinkState = { mode: 'idle', failures: 0, polling: false };

/**
 * Delay before reconnect attempt number `failures` (1 = first failure): exponential, capped, with
 * "equal jitter" — a random point in the upper half — so a server restart is not hit by every visitor
 * at the same instant, yet no attempt comes sooner than half the nominal delay.
 */
export function backoffDelay(failures: number, o: ReconnectOptions): number {
  const nominal = Math.min(o.capMs, o.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  const r = Math.min(Math.max(o.random(), 0), 1);
  return Math.round(nominal / 2 + (r * nominal) / 2);
}

/** One transition; `retryInMs` is set when the caller should schedule a 'retry' event. */
export function step(s: LinkState, e: LinkEvent, o: ReconnectOptions): { state: LinkState; retryInMs?: number } {
  switch (e) {
    case 'start':
      return s.mode === 'idle' ? { state: { ...s, mode: 'connecting' } } : { state: s };
    case 'retry':
      return s.mode === 'waiting' ? { state: { ...s, mode: 'connecting' } } : { state: s };
    case 'open':
      // A working socket resets everything: the next outage starts from the short delay again.
      return { state: { mode: 'open', failures: 0, polling: false } };
    case 'fail': {
      if (s.mode === 'idle') return { state: s };
      const failures = s.failures + 1;
      return { state: { mode: 'waiting', failures, polling: failures >= o.pollAfter }, retryInMs: backoffDelay(failures, o) };
    }
    case 'stop':
      return { state: IDLE };
  }
}
