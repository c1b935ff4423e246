// The gateway's own pages: the widget script, the example charity's demo home page and the officers' inbox.
// Files are served by @fastify/static (ETag, 304, ranges) straight from web/, so a rebuild is picked up at once;
// security headers come from @fastify/helmet's per-route options (src/http/security.ts). The inbox's words are the
// "ui" part of locales/<lang>/inbox.json, served as /inbox/strings/<lang>.json (read again when the file changes).
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../core/errors.ts';
import { PAGE_HELMET, SCRIPT_HELMET } from './security.ts';

export interface StaticDeps {
  /** The project's web/ folder (widget and inbox build output, the demo page). */
  webDir: string;
  /** Where locales/<lang>/inbox.json are; the locales/ folder beside web/ by default. */
  localesDir?: string;
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

  const localesDir = deps.localesDir ?? path.join(deps.webDir, '..', 'locales');
  for (const lang of ['ar', 'en'] as const) {
    const file = path.join(localesDir, `${lang}/inbox.json`);
    let cached: { mtime: number; body: string; etag: string } | undefined;
    app.get(`/inbox/strings/${lang}.json`, { helmet: { contentSecurityPolicy: false } }, async (req, reply: FastifyReply) => {
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat?.isFile()) throw new AppError('ERR_NOT_FOUND', `The inbox's words (${lang}/inbox.json) are missing.`);
      if (cached?.mtime !== stat.mtimeMs) {
        const ui = (JSON.parse(await fs.readFile(file, 'utf8')) as { ui?: unknown }).ui;
        if (ui === null || typeof ui !== 'object') throw new AppError('ERR_NOT_FOUND', `${lang}/inbox.json has no "ui" part.`);
        const body = JSON.stringify(ui);
        cached = { mtime: stat.mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      }
      reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').header('etag', cached.etag);
      const etag = cached.etag;
      const seen = String(req.headers['if-none-match'] ?? '').split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
      if (seen) return reply.code(304).send();
      return cached.body;
    });
  }
}
