// Hourly limits on application status lookups, per identity and per client network, kept in the message's transaction.
import { and, count, eq, gt, lt } from 'drizzle-orm';
import { statusLookups } from '../db/schema.ts';
import { DEFAULT_LOOKUP_LIMITS, type ActionContext } from './action-context.ts';

const WINDOW_MS = 3_600_000;

/**
 * The network a client address belongs to: an IPv4 address itself, an IPv6 address by its /64 (one subscriber's
 * line gets a whole /64, so counting single addresses would not count anything).
 */
export function networkOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]?.split('::') ?? [];
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * Whether one more status lookup may run now; when it may, it is counted against the identity and the client's
 * network. Over either limit nothing is written, so a flood costs one read per message.
 */
export function takeLookup(ctx: ActionContext): boolean {
  const limits = ctx.lookupLimits ?? DEFAULT_LOOKUP_LIMITS;
  const since = new Date(ctx.now.getTime() - WINDOW_MS).toISOString();
  const keys = [{ key: `identity:${ctx.identity.id}`, max: limits.perIdentity }];
  if (ctx.clientIp) keys.push({ key: `ip:${networkOf(ctx.clientIp)}`, max: limits.perIp });
  for (const k of keys) {
    const used = ctx.db.select({ n: count() }).from(statusLookups).where(and(eq(statusLookups.key, k.key), gt(statusLookups.createdAt, since))).get()?.n ?? 0;
    if (used >= k.max) return false;
  }
  ctx.db.delete(statusLookups).where(lt(statusLookups.createdAt, since)).run();
  const at = ctx.now.toISOString();
  ctx.db.insert(statusLookups).values(keys.map((k) => ({ key: k.key, createdAt: at }))).run();
  return true;
}
