// The live link's schedule: bounded, jittered back-off, reset after success, polling after N failures.
import { describe, expect, it } from 'vitest';
import { backoffDelay, IDLE, RECONNECT_DEFAULTS, step, type LinkEvent, type LinkState, type ReconnectOptions } from '../../web/widget/src/reconnect.ts';

const opts = (random: () => number): ReconnectOptions => ({ ...RECONNECT_DEFAULTS, random });

function run(events: LinkEvent[], o: ReconnectOptions): { state: LinkState; delays: number[] } {
  let state = IDLE;
  const delays: number[] = [];
  for (const e of events) {
    const r = step(state, e, o);
    state = r.state;
    if (r.retryInMs !== undefined) delays.push(r.retryInMs);
  }
  return { state, delays };
}

describe('widget reconnect schedule', () => {
  it('grows exponentially and is capped at 30 s', () => {
    const top = opts(() => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 20, 1000].map((n) => backoffDelay(n, top))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });

  it('jitter stays within [half, full] of the nominal delay and comes from the injected random', () => {
    const low = opts(() => 0);
    expect(backoffDelay(3, low)).toBe(2000);
    expect(backoffDelay(30, low)).toBe(15000);
    expect(backoffDelay(3, opts(() => 0.5))).toBe(3000);
    let seed = 7;
    const lcg = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let n = 1; n < 40; n++) {
      const d = backoffDelay(n, opts(lcg));
      const nominal = Math.min(30000, 1000 * 2 ** (n - 1));
      expect(d).toBeGreaterThanOrEqual(nominal / 2);
      expect(d).toBeLessThanOrEqual(nominal);
    }
    // Out-of-range randoms cannot break the bounds.
    expect(backoffDelay(1, opts(() => 5))).toBe(1000);
    expect(backoffDelay(1, opts(() => -1))).toBe(500);
  });

  it('falls back to polling after 3 consecutive failures and keeps retrying the socket', () => {
    const o = opts(() => 1);
    const r = run(['start', 'fail', 'retry', 'fail', 'retry', 'fail'], o);
    expect(r.state).toEqual({ mode: 'waiting', failures: 3, polling: true });
    expect(r.delays).toEqual([1000, 2000, 4000]);
    const more = run(['start', 'fail', 'retry', 'fail', 'retry', 'fail', 'retry', 'fail'], o);
    expect(more.state.polling).toBe(true);
    expect(more.delays.at(-1)).toBe(8000);
  });

  it('a successful open resets the failures and stops polling', () => {
    const o = opts(() => 1);
    const r = run(['start', 'fail', 'retry', 'fail', 'retry', 'fail', 'retry', 'open', 'fail'], o);
    expect(r.state).toEqual({ mode: 'waiting', failures: 1, polling: false });
    expect(r.delays).toEqual([1000, 2000, 4000, 1000]);
  });

  it('ignores events that do not apply, and stop returns to idle', () => {
    const o = opts(() => 1);
    expect(step(IDLE, 'fail', o).state).toBe(IDLE);
    expect(step(IDLE, 'retry', o).state).toBe(IDLE);
    expect(run(['start', 'start'], o).state.mode).toBe('connecting');
    expect(run(['start', 'fail', 'stop'], o).state).toEqual(IDLE);
  });
});
