// Daily upload allowances for the web chat, per beneficiary and per client network: files and bytes in a day
// that starts with the first upload. In memory and bounded, like the rate limits.
import { isIPv6 } from 'node:net';
import { AppError } from '../core/errors.ts';

export interface Allowance {
  files: number;
  bytes: number;
}

export interface QuotaOptions {
  perContact: Allowance;
  perNetwork: Allowance;
  now?: () => number;
  maxKeys?: number;
}

/** What an upload holds of both allowances until it is stored (settle) or refused (cancel). */
export interface Reservation {
  settle(actualBytes: number): void;
  cancel(): void;
}

interface Used {
  since: number;
  files: number;
  bytes: number;
}

const DAY_MS = 86_400_000;

/**
 * The key a client's address counts under: IPv4 as it is, IPv6 by its /64 (one subscriber's whole prefix, which
 * a single home or phone can change freely within).
 */
export function networkOf(ip: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4?.[1]) return v4[1];
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export function createUploadQuotas(opts: QuotaOptions) {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 100_000;
  const used = new Map<string, Used>();

  function current(key: string, t: number): Used {
    let u = used.get(key);
    if (!u || t - u.since >= DAY_MS) {
      used.delete(key);
      if (used.size >= maxKeys) sweep(t);
      u = { since: t, files: 0, bytes: 0 };
      used.set(key, u);
    }
    return u;
  }

  // Days that are over are the same as no entry; if every key is current (a flood), the oldest go first.
  function sweep(t: number): void {
    for (const [key, u] of used) if (t - u.since >= DAY_MS) used.delete(key);
    for (const key of used.keys()) {
      if (used.size <= Math.floor(maxKeys * 0.9)) break;
      used.delete(key);
    }
  }

  function refuse(u: Used, limit: Allowance, who: string, t: number): never {
    const waitMs = u.since + DAY_MS - t;
    const hours = Math.max(1, Math.ceil(waitMs / 3_600_000));
    throw new AppError(
      'ERR_UPLOAD_QUOTA',
      `${who} has sent the most files allowed in a day (${limit.files} files, ${Math.floor(limit.bytes / 1024 / 1024)} MiB). Please try again in about ${hours} hours.`,
      { retryable: true, retryAfterMs: waitMs },
    );
  }

  return {
    /** Holds one file and `bytes` (the declared size, or the most a file may have) of both allowances, or throws 429. */
    reserve(contactId: string, ip: string, bytes: number): Reservation {
      const t = now();
      const entries = [
        { u: current(`c:${contactId}`, t), limit: opts.perContact, who: 'This chat' },
        { u: current(`n:${networkOf(ip)}`, t), limit: opts.perNetwork, who: 'This network' },
      ];
      for (const e of entries) if (e.u.files + 1 > e.limit.files || e.u.bytes + bytes > e.limit.bytes) refuse(e.u, e.limit, e.who, t);
      for (const e of entries) {
        e.u.files += 1;
        e.u.bytes += bytes;
      }
      let open = true;
      const give = (files: number, back: number) => {
        if (!open) return;
        open = false;
        for (const e of entries) {
          e.u.files = Math.max(0, e.u.files - files);
          e.u.bytes = Math.max(0, e.u.bytes - back);
        }
      };
      return { settle: (actual) => give(0, Math.max(0, bytes - actual)), cancel: () => give(1, bytes) };
    },
    get size() {
      return used.size;
    },
  };
}

export type UploadQuotas = ReturnType<typeof createUploadQuotas>;
