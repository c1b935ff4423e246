import { describe, expect, it } from 'vitest';
import { ChannelPacer, SENDER_WINDOW_GUARD_MS } from '../../src/outbound/pacing.ts';

// A small seeded PRNG (mulberry32), so a failure replays exactly.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A worker with a queue far longer than the rate allows, each message to a new recipient: at every tick it takes
 * slots until the pacer says wait, then comes back after that wait, or earlier, or a little late (integer ms, like Date.now()).
 */
function drain(perSecond: number, ms: number, seed: number, start = 1_000_000): number[] {
  const pacer = new ChannelPacer({ perSecond, perRecipientPerSecond: 1 / 6, perRecipientBurst: 4 }, start);
  const rnd = random(seed);
  const taken: number[] = [];
  let now = start;
  while (now < start + ms) {
    let wait = 0;
    while ((wait = pacer.tryTake(`+9665${taken.length}`, now)) === 0) taken.push(now);
    const r = rnd();
    now += r < 0.3 ? 1 + Math.floor(rnd() * 3) : r < 0.9 ? wait : wait + Math.floor(rnd() * 20);
    pacer.sweep(now);
  }
  return taken;
}

/** Most takes inside any window (t - windowMs, t]. */
function peak(times: number[], windowMs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[lo] ?? 0) <= (times[hi] ?? 0) - windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('ChannelPacer sender rate', () => {
  for (const perSecond of [80, 1, 10, 250]) {
    it(`never lets more than ${perSecond} sends into any 1-second window, from a cold start on`, () => {
      for (const seed of [1, 2, 3]) {
        const taken = drain(perSecond, 10_000, seed);
        // A full bucket at start used to add a second's worth on top of the first second's refill (160 at 80/s).
        expect(peak(taken.filter((t) => t < taken[0]! + 1000), 1000)).toBeLessThanOrEqual(perSecond);
        expect(peak(taken, 1000)).toBeLessThanOrEqual(perSecond);
        // And the guard holds too: a send arriving a little late at the provider still fits its second.
        expect(peak(taken, 1000 + SENDER_WINDOW_GUARD_MS)).toBeLessThanOrEqual(perSecond);
        // Still close to the rate: at least 95 % of it over ten seconds.
        expect(taken.length).toBeGreaterThanOrEqual(Math.floor(perSecond * 10 * 0.95));
      }
    });
  }

  it('after an idle spell, a burst of at most a tenth of a second, then the steady rate', () => {
    const pacer = new ChannelPacer({ perSecond: 80, perRecipientPerSecond: 1, perRecipientBurst: 1 }, 0);
    let burst = 0;
    while (pacer.tryTake(`r${burst}`, 60_000) === 0) burst++;
    expect(burst).toBe(8);
    const wait = pacer.tryTake('next', 60_000);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(13);
    expect(pacer.tryTake('next', 60_000 + wait)).toBe(0);
  });

  it('a recipient keeps its own pace while the sender has room', () => {
    const pacer = new ChannelPacer({ perSecond: 80, perRecipientPerSecond: 1, perRecipientBurst: 2 }, 0);
    expect(pacer.tryTake('+966551234567', 0)).toBe(0);
    expect(pacer.tryTake('+966551234567', 0)).toBe(0);
    const wait = pacer.tryTake('+966551234567', 0);
    expect(wait).toBeGreaterThanOrEqual(900);
    // Someone else is not held up by it.
    expect(pacer.tryTake('+966501112223', 0)).toBe(0);
    expect(pacer.tryTake('+966551234567', wait)).toBe(0);
  });

  it('counts a send from when the provider answered, so a slow request cannot put two seconds’ worth in one', () => {
    // 2 per second: the first send takes 600 ms to be answered (it may have reached the provider at 599 ms).
    const pacer = new ChannelPacer({ perSecond: 2, perRecipientPerSecond: 100, perRecipientBurst: 100 }, 0);
    expect(pacer.tryTake('a', 0)).toBe(0);
    const slow = pacer.lastTicket;
    expect(pacer.tryTake('b', 600)).toBe(0);
    pacer.settle(slow, 600);
    // Counted from its start, 'c' could go at 1,005 ms — 406 ms after 'a' may have arrived.
    const wait = pacer.tryTake('c', 1005);
    expect(wait).toBeGreaterThan(0);
    expect(1005 + wait).toBeGreaterThanOrEqual(600 + 1000);
    expect(pacer.tryTake('c', 1005 + wait)).toBe(0);
  });

  it('ignores a late answer for a slot a newer send already uses', () => {
    const pacer = new ChannelPacer({ perSecond: 1, perRecipientPerSecond: 100, perRecipientBurst: 100 }, 0);
    expect(pacer.tryTake('a', 0)).toBe(0);
    const old = pacer.lastTicket;
    expect(pacer.tryTake('b', 2000)).toBe(0);
    pacer.settle(old, 2500); // the first send's answer, very late: must not hold the second's slot longer
    expect(pacer.tryTake('c', 3010)).toBe(0);
  });
});
