// Token buckets that keep sends within each channel's rate: one per sender, one per recipient.
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

export interface Rate {
  perSecond: number;
  perRecipientPerSecond: number;
  perRecipientBurst: number;
}

/** Pacing for one channel: the sender bucket and one bucket per recipient address. */
export class ChannelPacer {
  private readonly sender: TokenBucket;
  private readonly recipients = new Map<string, TokenBucket>();

  constructor(
    private readonly rate: Rate,
    now: number,
  ) {
    this.sender = new TokenBucket(rate.perSecond, Math.max(1, Math.ceil(rate.perSecond)), now);
  }

  private recipient(address: string, now: number): TokenBucket {
    let bucket = this.recipients.get(address);
    if (!bucket) {
      bucket = new TokenBucket(this.rate.perRecipientPerSecond, this.rate.perRecipientBurst, now);
      this.recipients.set(address, bucket);
    }
    return bucket;
  }

  /** Take a slot for `address` if both buckets allow it; otherwise return how long to wait. */
  tryTake(address: string, now: number): number {
    const r = this.recipient(address, now);
    const wait = Math.max(r.wait(now), this.sender.wait(now));
    if (wait > 0) return wait;
    r.take(now);
    this.sender.take(now);
    return 0;
  }

  sweep(now: number): void {
    for (const [address, bucket] of this.recipients) if (bucket.isFull(now)) this.recipients.delete(address);
  }
}
