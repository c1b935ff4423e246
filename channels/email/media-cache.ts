// Inbound attachment bytes held in memory between the poll that read the mail and the gateway's fetchMedia.
import type { FetchedMedia } from '../../src/core/channel.ts';

export interface MediaCacheLimits {
  /** Total bytes kept; the oldest entries go first when a new one would pass it. */
  maxBytes: number;
  /** An entry nobody fetched is dropped after this long. */
  ttlMs: number;
}

/** Each entry is handed out once: `take` removes it. */
export class MediaCache {
  private readonly entries = new Map<string, { media: FetchedMedia; timer: NodeJS.Timeout }>();
  private total = 0;

  constructor(private readonly limits: MediaCacheLimits) {}

  get bytes(): number {
    return this.total;
  }

  has(ref: string): boolean {
    return this.entries.has(ref);
  }

  put(ref: string, media: FetchedMedia): void {
    this.drop(ref);
    const timer = setTimeout(() => this.drop(ref), this.limits.ttlMs);
    timer.unref();
    this.entries.set(ref, { media, timer });
    this.total += media.data.length;
    // The newest entry stays even when it alone is over the limit: it is the one about to be fetched.
    for (const oldest of this.entries.keys()) {
      if (this.total <= this.limits.maxBytes || oldest === ref) break;
      this.drop(oldest);
    }
  }

  take(ref: string): FetchedMedia | undefined {
    const entry = this.entries.get(ref);
    if (entry) this.drop(ref);
    return entry?.media;
  }

  clear(): void {
    for (const ref of [...this.entries.keys()]) this.drop(ref);
  }

  private drop(ref: string): void {
    const entry = this.entries.get(ref);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.entries.delete(ref);
    this.total -= entry.media.data.length;
  }
}
