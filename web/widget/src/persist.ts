// What survives a reload (token, last message seen, UI language), in one localStorage key per server.
import type { Locale } from './types.ts';

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Saved {
  token?: string;
  seen: number;
  locale?: Locale;
}

/** In-memory stand-in when localStorage is blocked (some private modes, sandboxed iframes). */
export function memoryStore(): KeyValue {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
}

export function storageKey(server: string): string {
  return `tawasul:${server}`;
}

/**
 * The token is kept with the site's user id: when another user logs in on the same browser, the
 * previous user's conversation is not resumed.
 */
export function createPersist(kv: KeyValue, server: string, userId: string | undefined) {
  const key = storageKey(server);
  return {
    key,
    load(): Saved {
      try {
        const v = JSON.parse(kv.getItem(key) ?? '{}') as { t?: unknown; s?: unknown; l?: unknown; u?: unknown };
        const mine = (v.u ?? '') === (userId ?? '');
        return {
          ...(mine && typeof v.t === 'string' ? { token: v.t } : {}),
          seen: mine && typeof v.s === 'number' ? v.s : 0,
          ...(v.l === 'ar' || v.l === 'en' ? { locale: v.l } : {}),
        };
      } catch {
        return { seen: 0 };
      }
    },
    save(s: Saved): void {
      try {
        kv.setItem(key, JSON.stringify({ t: s.token, s: s.seen, l: s.locale, ...(userId ? { u: userId } : {}) }));
      } catch {
        // Quota or blocked storage: the conversation just will not survive a reload.
      }
    },
  };
}
