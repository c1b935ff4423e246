// Which web pages may call the web chat API: an Origin allowlist with CORS answers, checked on HTTP and WebSocket alike.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';

export interface OriginPolicy {
  /** True when a browser page at `origin` may use the API served at `host` (the request's Host). */
  allows(origin: string, host: string | undefined): boolean;
}

/**
 * Allowed: the configured origins ('*' = any, for development), the origin of PUBLIC_URL, and same-origin
 * requests (the page was served by this gateway, like the demo at `/`).
 */
export function createOriginPolicy(allowed: readonly string[] | '*', publicUrl: string | undefined): OriginPolicy {
  const any = allowed === '*';
  const list = new Set(any ? [] : allowed);
  if (publicUrl) list.add(new URL(publicUrl).origin);
  return {
    allows(origin, host) {
      if (any || list.has(origin)) return true;
      // Same origin: the page's host is ours. The scheme is not compared because a TLS proxy that does not
      // forward X-Forwarded-Proto makes every request look like http.
      if (!host) return false;
      try {
        const url = new URL(origin);
        if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
        // Parsed with the page's scheme, so "host:443" and "host" compare equal for https.
        return url.host === new URL(`${url.protocol}//${host}`).host;
      } catch {
        return false;
      }
    },
  };
}

const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = 'authorization, content-type, x-filename';

/**
 * onRequest guard for every web chat route (HTTP and the WebSocket upgrade): a request with a foreign Origin
 * is refused with 403 before anything else runs; an allowed one gets CORS headers, errors included.
 * Requests without an Origin (servers, curl, tests) are not browser pages and pass.
 */
export function originGuard(policy: OriginPolicy) {
  return async function guard(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.header('vary', 'Origin');
    const origin = req.headers.origin;
    if (origin === undefined) return;
    if (!policy.allows(origin, req.host)) {
      throw new AppError('ERR_FORBIDDEN', `Web pages at ${origin.slice(0, 200)} may not use this web chat. The gateway's operator can add the origin to WEBCHAT_ALLOWED_ORIGINS.`);
    }
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-expose-headers', 'retry-after');
  };
}

/** Answers CORS preflights for the web chat API (the origin was already checked by the guard). */
export function registerPreflight(scope: FastifyInstance, prefix: string): void {
  scope.options(`${prefix}/*`, async (_req, reply) => {
    return reply
      .code(204)
      .header('access-control-allow-methods', ALLOW_METHODS)
      .header('access-control-allow-headers', ALLOW_HEADERS)
      .header('access-control-max-age', '600')
      .send();
  });
}
