// The web chat API's rate limits, counted by @fastify/rate-limit's store (fixed windows, bounded LRU): per chat
// token for messages and uploads, per client IP for every request, per client IP for new chats.
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';

/** Spends one unit for this request; refuses with 429 ERR_RATE_LIMITED and how long to wait. */
export type Limit = (req: FastifyRequest) => Promise<void>;

export interface WebchatLimiters {
  perToken: Limit;
  perIp: Limit;
  sessionsPerIp: Limit;
}

export interface LimitSettings {
  tokenRateLimit: number;
  ipRateLimit: number;
  sessionRateLimit: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
// Most keys each limit remembers: an idle key is dropped first, so a flood of addresses cannot grow memory.
const MAX_KEYS = 100_000;

/** The client's address, with an IPv4 address seen through a dual-stack socket written as plain IPv4. */
function clientIp(req: FastifyRequest): string {
  return req.ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

function tokenOf(req: FastifyRequest): string {
  const h = req.headers.authorization;
  return typeof h === 'string' ? h.replace(/^Bearer\s+/i, '') : '';
}

/**
 * Registers the store on `scope` (the web chat's encapsulated plugin) and returns its three limits. `store`: one
 * that instances share (shared-limits.ts); without it, the library's in-memory one.
 */
export async function registerWebchatLimits(scope: FastifyInstance, cfg: LimitSettings, store?: FastifyRateLimitStoreCtor): Promise<WebchatLimiters> {
  await scope.register(rateLimit, { global: false, cache: MAX_KEYS, ...(store ? { store } : {}) });

  function limit(name: string, max: number, timeWindow: number, keyOf: (req: FastifyRequest) => string, what: string): Limit {
    // Each limit's keys carry its own name, so a shared store keeps the limits apart.
    const check = scope.createRateLimit({ max, timeWindow, keyGenerator: (req) => `${name}:${keyOf(req)}` });
    return async (req) => {
      const result = await check(req);
      if (result.isAllowed || !result.isExceeded) return;
      const waitMs = Math.max(1000, result.ttl);
      throw new AppError('ERR_RATE_LIMITED', `${what} Please wait ${Math.ceil(waitMs / 1000)} s and try again.`, { retryable: true, retryAfterMs: waitMs });
    };
  }

  return {
    perToken: limit('token', cfg.tokenRateLimit, MINUTE, tokenOf, 'Too many messages from this chat.'),
    perIp: limit('ip', cfg.ipRateLimit, MINUTE, clientIp, 'Too many requests from this network.'),
    sessionsPerIp: limit('sessions', cfg.sessionRateLimit, HOUR, clientIp, 'Too many new chats from this network.'),
  };
}
