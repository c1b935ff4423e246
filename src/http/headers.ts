// Security headers set on the root app before every other hook and route, so errors, 404s, web chat routes and
// downloads all carry them. A route may still replace them (downloads send `private, no-store`).
import type { FastifyInstance, FastifyReply } from 'fastify';

export const HSTS = 'max-age=31536000; includeSubDomains';

export interface SecurityHeaderOptions {
  /** PUBLIC_URL is https: every answer tells browsers to use https only (HSTS). */
  https: boolean;
}

/** The headers an answer to `url` carries; also used where Fastify answers before any hook (a malformed URL). */
export function applySecurityHeaders(reply: FastifyReply, url: string, options: SecurityHeaderOptions): void {
  if (options.https) reply.header('strict-transport-security', HSTS);
  // API answers are personal (an officer's inbox, a visitor's chat): never kept by a browser or a proxy cache,
  // and never sniffed into something other than their declared type.
  if (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?')) {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
  }
}

/** Call right after creating the app, before any hook or route. */
export function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions): void {
  app.addHook('onRequest', async (req, reply) => {
    applySecurityHeaders(reply, req.url, options);
  });
}
