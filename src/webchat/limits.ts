// In-memory token buckets for the web chat API: per token, per IP, per IP for new sessions; bounded in size.
export interface RateLimiter {
  /** Spend one unit for `key`: 0 when allowed, otherwise the milliseconds until one is available again. */
  take(key: string): number;
  /** Number of keys held (for tests and metrics). */
  readonly size: number;
}

export interface RateLimiterOptions {
  /** Units per window; also the burst a fresh key may spend at once. */
  limit: number;
  windowMs: number;
  /** Most keys kept; idle buckets are dropped first, then the oldest. */
  maxKeys?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const { limit, windowMs } = opts;
  const maxKeys = opts.maxKeys ?? 100_000;
  const now = opts.now ?? Date.now;
  const perMs = limit / windowMs;
  const buckets = new Map<string, Bucket>();

  function refill(b: Bucket, t: number): void {
    b.tokens = Math.min(limit, b.tokens + (t - b.at) * perMs);
    b.at = t;
  }

  // A full bucket is the same as no bucket, so dropping idle ones loses nothing. If every key is busy
  // (a flood of distinct keys), drop the oldest down to 90% so sweeps stay rare and memory stays bounded.
  function sweep(t: number): void {
    for (const [key, b] of buckets) {
      if (b.tokens + (t - b.at) * perMs >= limit) buckets.delete(key);
    }
    const target = Math.floor(maxKeys * 0.9);
    for (const key of buckets.keys()) {
      if (buckets.size <= target) break;
      buckets.delete(key);
    }
  }

  return {
    take(key: string): number {
      const t = now();
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) sweep(t);
        b = { tokens: limit, at: t };
        buckets.set(key, b);
      } else {
        refill(b, t);
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / perMs));
    },
    get size() {
      return buckets.size;
    },
  };
}

export interface WebchatLimiters {
  perToken: RateLimiter;
  perIp: RateLimiter;
  sessionsPerIp: RateLimiter;
}

export function createWebchatLimiters(cfg: { tokenRateLimit: number; ipRateLimit: number; sessionRateLimit: number }): WebchatLimiters {
  return {
    perToken: createRateLimiter({ limit: cfg.tokenRateLimit, windowMs: 60_000 }),
    perIp: createRateLimiter({ limit: cfg.ipRateLimit, windowMs: 60_000 }),
    sessionsPerIp: createRateLimiter({ limit: cfg.sessionRateLimit, windowMs: 3_600_000 }),
  };
}
