// The security headers of every file download (web chat, inbox, application documents): an uploaded file is
// someone else's content, so it never runs as a page on our origin, whatever its bytes claim.
import type { RouteShorthandOptions } from 'fastify';
import type {} from '@fastify/helmet';

type HelmetRouteOptions = Exclude<NonNullable<RouteShorthandOptions['helmet']>, false>;

/** Route option for @fastify/helmet: a sandboxed, script-free policy and nosniff. */
export const DOWNLOAD_HELMET: HelmetRouteOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], sandbox: [] } },
};

/** Web chat downloads are fetched by the widget from charity sites on other origins. */
export const CROSS_ORIGIN_DOWNLOAD_HELMET: HelmetRouteOptions = {
  ...DOWNLOAD_HELMET,
  crossOriginResourcePolicy: { policy: 'cross-origin' },
};
