// Per-route security headers through @fastify/helmet: registered once, applied only where a route asks, so the
// JSON API keeps the few headers src/http/headers.ts gives it and pages get a full policy.
import helmet from '@fastify/helmet';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';

type HelmetRouteOptions = Exclude<NonNullable<RouteShorthandOptions['helmet']>, false>;

/** Register before any route. HSTS stays with headers.ts, which sends it only when PUBLIC_URL is https. */
export async function registerHelmet(app: FastifyInstance): Promise<void> {
  await app.register(helmet, { global: false, strictTransportSecurity: false });
}

// The Host header is client-controlled: only a plain host[:port] goes into the policy.
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The widget's stream: a WebSocket back to the host that served the page. */
function streamSources(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return PLAIN_HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

/** Pages this gateway serves (the demo home page, the inbox): only its own scripts, API and stream. */
export const PAGE_HELMET: HelmetRouteOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // Inline styles: the widget's Shadow DOM and the inbox's dynamic sizes.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'"],
      connectSrc: [(req) => ["'self'", streamSources(req as IncomingMessage)].filter(Boolean).join(' ')],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
    },
  },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  xFrameOptions: { action: 'sameorigin' },
};

/** The widget script: loaded with <script src> by charity sites on other origins. */
export const SCRIPT_HELMET: HelmetRouteOptions = {
  contentSecurityPolicy: false,
  crossOriginResourcePolicy: { policy: 'cross-origin' },
};

/** The API's own reference page: no script at all. */
export const DOCS_HELMET: HelmetRouteOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"] } },
};
