// The gateway's own pages: the widget script, the example charity's demo home page and the officers' inbox.
// Files are served by @fastify/static (ETag, 304, ranges) straight from web/, so a rebuild is picked up at once;
// security headers come from @fastify/helmet's per-route options (src/http/security.ts).
import fs from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../core/errors.ts';
import { PAGE_HELMET, SCRIPT_HELMET } from './security.ts';

export interface StaticDeps {
  /** The project's web/ folder (widget and inbox build output, the demo page). */
  webDir: string;
}

interface Served {
  url: string;
  /** Relative to webDir. */
  file: string;
  type: string;
  /** `public, max-age=300` for the widget (charity sites cache it briefly); pages and the inbox bundle revalidate. */
  cache: string;
  missing: string;
  page: boolean;
}

const SERVED: readonly Served[] = [
  { url: '/widget.js', file: 'widget/dist/widget.js', type: 'application/javascript; charset=utf-8', cache: 'public, max-age=300', missing: 'The widget has not been built: run npm run build:widget.', page: false },
  { url: '/', file: 'demo/index.html', type: 'text/html; charset=utf-8', cache: 'no-cache', missing: 'The demo page (web/demo/index.html) is missing.', page: true },
  { url: '/inbox', file: 'inbox/index.html', type: 'text/html; charset=utf-8', cache: 'no-cache', missing: 'The inbox page (web/inbox/index.html) is missing.', page: true },
  { url: '/inbox/app.js', file: 'inbox/dist/app.js', type: 'application/javascript; charset=utf-8', cache: 'no-cache', missing: 'The inbox has not been built: run npm run build:inbox.', page: false },
];

/** Needs registerHelmet(app) first (buildApp does it). */
export async function registerStaticRoutes(app: FastifyInstance, deps: StaticDeps): Promise<void> {
  // serve: false — only the routes below are reachable, never an arbitrary file under web/.
  await app.register(fastifyStatic, { root: deps.webDir, serve: false });

  for (const entry of SERVED) {
    const absolute = path.join(deps.webDir, entry.file);
    app.get(entry.url, { helmet: entry.page ? PAGE_HELMET : entry.url === '/widget.js' ? SCRIPT_HELMET : { contentSecurityPolicy: false } }, async (_req, reply: FastifyReply) => {
      // A clear answer saying what to build, rather than a bare 404.
      if (!(await fs.stat(absolute).catch(() => undefined))?.isFile()) throw new AppError('ERR_NOT_FOUND', entry.missing);
      reply.type(entry.type).header('cache-control', entry.cache);
      return reply.sendFile(entry.file, { cacheControl: false, lastModified: false });
    });
  }
}
