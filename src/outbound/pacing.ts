// Keeps sends within each channel's rate: per sender a token bucket plus a log of recent sends, per recipient a token bucket.
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerSecond);
    this.last = now;
  }

  /** Milliseconds until one token is available (0 = now). */
  wait(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }

  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Idle buckets are full again and can be dropped. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }
}

/**
 * At most `limit` takes in any window of `windowMs`: the times of the last `limit` takes, in a ring.
 * A token bucket alone cannot promise that: a full bucket's burst and a second's refill land in the same second.
 */
export class SendLog {
  private readonly times: Float64Array;
  /** How many takes each slot has seen, so a late settle never moves a slot another take reused. */
  private readonly takes: Float64Array;
  private next = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    this.times = new Float64Array(limit).fill(-Infinity);
    this.takes = new Float64Array(limit);
  }

  /** Milliseconds until one more take fits (0 = now). */
  wait(now: number): number {
    // The oldest of the last `limit` takes must have left the window (now - windowMs, now].
    const oldest = this.times[this.next] ?? -Infinity;
    return Math.max(0, Math.ceil(oldest + this.windowMs - now));
  }

  /** Records a take; the returned ticket lets `settle` move it to when the provider answered. */
  take(now: number): number {
    const slot = this.next;
    this.times[slot] = now;
    this.takes[slot] = (this.takes[slot] ?? 0) + 1;
    this.next = (this.next + 1) % this.limit;
    return slot * 2 ** 20 + ((this.takes[slot] ?? 0) % 2 ** 20);
  }

  /**
   * The send answered at `at`: it reached the provider no later than that, so counting it from then keeps
   * the provider's own window within the limit however long the request travelled.
   */
  settle(ticket: number, at: number): void {
    const slot = Math.floor(ticket / 2 ** 20);
    if ((this.takes[slot] ?? 0) % 2 ** 20 !== ticket % 2 ** 20) return;
    if (at > (this.times[slot] ?? 0)) this.times[slot] = at;
  }
}

// Providers count our sends on their own clock. Each send is counted from when the provider answered it (see
// SendLog.settle), which covers the network; this small margin covers clock granularity.
export const SENDER_WINDOW_GUARD_MS = 5;

export interface Rate {
  perSecond: number;
  perRecipientPerSecond: number;
  perRecipientBurst: number;
}

/**
 * Pacing for one channel: one token bucket per recipient address, and for the sender a log that lets at most
 * `perSecond` sends into any window of 1 s (plus the guard) and a bucket that spreads them evenly across it.
 */
export class ChannelPacer {
  private readonly sender: TokenBucket;
  private readonly senderLog: SendLog;
  private readonly recipients = new Map<string, TokenBucket>();

  constructor(
    private readonly rate: Rate,
    now: number,
  ) {
    const windowMs = 1000 + SENDER_WINDOW_GUARD_MS;
    this.senderLog = new SendLog(Math.max(1, Math.floor(rate.perSecond)), windowMs);
    // Bursts of a tenth of a second's worth let the worker catch up after a late tick; the log still caps them.
    this.sender = new TokenBucket((rate.perSecond * 1000) / windowMs, Math.max(1, Math.ceil(rate.perSecond / 10)), now);
  }

  private recipient(address: string, now: number): TokenBucket {
    let bucket = this.recipients.get(address);
    if (!bucket) {
      bucket = new TokenBucket(this.rate.perRecipientPerSecond, this.rate.perRecipientBurst, now);
      this.recipients.set(address, bucket);
    }
    return bucket;
  }

  /** How long until the sender may send at all (0 = now); the worker leaves a closed channel's rows unread. */
  senderWait(now: number): number {
    return Math.max(this.sender.wait(now), this.senderLog.wait(now));
  }

  /** The ticket of the last successful take, for `settle` once the provider answered. */
  lastTicket = -1;

  /** The provider answered the send of `ticket` at `at` (see SendLog.settle). */
  settle(ticket: number, at: number): void {
    if (ticket >= 0) this.senderLog.settle(ticket, at);
  }

  /** Take a slot for `address` if the sender and the recipient both allow it; otherwise return how long to wait. */
  tryTake(address: string, now: number): number {
    const senderWait = this.senderWait(now);
    // While the sender is closed, no bucket is made for a new recipient (the worker asks for hundreds per second).
    if (senderWait > 0) return Math.max(senderWait, this.recipients.get(address)?.wait(now) ?? 0);
    const r = this.recipient(address, now);
    const wait = r.wait(now);
    if (wait > 0) return wait;
    r.take(now);
    this.sender.take(now);
    this.lastTicket = this.senderLog.take(now);
    return 0;
  }

  sweep(now: number): void {
    for (const [address, bucket] of this.recipients) if (bucket.isFull(now)) this.recipients.delete(address);
  }
}
