// The gateway's own pages: the widget script and the example charity's demo home page.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';

export interface StaticDeps {
  /** The project's web/ folder (widget build output and the demo page). */
  webDir: string;
}

interface Cached {
  mtimeMs: number;
  size: number;
  body: Buffer;
  etag: string;
}

/** Reads a file, re-reading only when it changed on disk (the widget is rebuilt while the server runs). */
function fileCache() {
  const cache = new Map<string, Cached>();
  return async (file: string): Promise<Cached | undefined> => {
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      cache.delete(file);
      return undefined;
    }
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit;
    const body = await fs.readFile(file);
    const entry = { mtimeMs: stat.mtimeMs, size: stat.size, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    cache.set(file, entry);
    return entry;
  };
}

/** CSP for pages this gateway serves: only its own scripts; its API and stream; inline styles (shadow DOM). */
function pageCsp(req: FastifyRequest): string {
  // The Host header is client-controlled: only a plain host[:port] goes into the header.
  const host = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(req.host) ? req.host : '';
  const ws = host ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

function pageHeaders(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', pageCsp(req))
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'strict-origin-when-cross-origin')
    .header('cache-control', 'no-cache');
}

export function registerStaticRoutes(app: FastifyInstance, deps: StaticDeps): void {
  const read = fileCache();
  const widgetFile = path.join(deps.webDir, 'widget', 'dist', 'widget.js');
  const demoFile = path.join(deps.webDir, 'demo', 'index.html');

  app.get('/widget.js', async (req, reply) => {
    const file = await read(widgetFile);
    if (!file) throw new AppError('ERR_NOT_FOUND', 'The widget has not been built: run npm run build:widget.');
    reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('etag', file.etag)
      .header('x-content-type-options', 'nosniff')
      // Charity sites load it with <script src> from another origin.
      .header('cross-origin-resource-policy', 'cross-origin');
    if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.send(file.body);
  });

  app.get('/', async (req, reply) => {
    const file = await read(demoFile);
    if (!file) throw new AppError('ERR_NOT_FOUND', 'The demo page (web/demo/index.html) is missing.');
    return pageHeaders(req, reply).type('text/html; charset=utf-8').send(file.body);
  });

  // The relations-officer inbox: a shell page and its bundle; everything else comes from /api with the session.
  const inboxPage = path.join(deps.webDir, 'inbox', 'index.html');
  const inboxScript = path.join(deps.webDir, 'inbox', 'dist', 'app.js');
  app.get('/inbox', async (req, reply) => {
    const file = await read(inboxPage);
    if (!file) throw new AppError('ERR_NOT_FOUND', 'The inbox page (web/inbox/index.html) is missing.');
    return pageHeaders(req, reply).type('text/html; charset=utf-8').send(file.body);
  });
  app.get('/inbox/app.js', async (req, reply) => {
    const file = await read(inboxScript);
    if (!file) throw new AppError('ERR_NOT_FOUND', 'The inbox has not been built: run npm run build:inbox.');
    reply.header('content-type', 'application/javascript; charset=utf-8').header('cache-control', 'no-cache').header('etag', file.etag).header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.send(file.body);
  });
}
