// The API description at /docs (HTML) and /docs/openapi.json, built from the routes actually registered.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { requireOfficer } from '../auth/guards.ts';
import { DOCS_HELMET } from './security.ts';

export interface RouteDoc {
  method: string;
  url: string;
  /** Roles a guarded route admits ([] = any signed-in officer); undefined for public routes. */
  roles: readonly string[] | undefined;
}

const DESCRIPTIONS: Record<string, string> = {
  '/api/webchat': 'Web chat (public; Bearer token from POST /api/webchat/sessions)',
  '/api/auth': 'Officer sign-in and session',
  '/api/admin': 'Administration (admins)',
  '/api/inbox': 'Relations-officer inbox',
  '/api/applications': 'Applications through the research committee',
  '/api/reports': 'Reports',
};

function rolesOf(route: RouteOptions): readonly string[] | undefined {
  const handlers = [route.preHandler, route.onRequest].flat().filter(Boolean) as unknown[];
  for (const h of handlers) {
    const roles = (h as { roles?: readonly string[] }).roles;
    if (Array.isArray(roles)) return roles;
  }
  return undefined;
}

/** Call first thing after creating the app: records every route as it is added. */
export function collectRoutes(app: FastifyInstance): RouteDoc[] {
  const routes: RouteDoc[] = [];
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().filter((m) => m !== 'HEAD');
    for (const method of methods) routes.push({ method, url: route.url ?? route.path, roles: rolesOf(route) });
  });
  return routes;
}

function tagOf(url: string): string {
  const prefix = Object.keys(DESCRIPTIONS).find((p) => url.startsWith(p));
  return prefix ? (DESCRIPTIONS[prefix] ?? prefix) : 'Other';
}

export function openApiDocument(routes: readonly RouteDoc[], cookieName = 'tawasul_session'): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes.filter((x) => x.url.startsWith('/api/'))) {
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const params = [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const guarded = r.roles !== undefined;
    const write = r.method !== 'GET';
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[r.method.toLowerCase()] = {
      tags: [tagOf(r.url)],
      summary: `${r.method} ${r.url}`,
      description: guarded
        ? `Officer session required; roles: ${r.roles && r.roles.length > 0 ? r.roles.join(', ') : 'any officer'}.${write ? ' Send X-CSRF-Token.' : ''}`
        : 'No officer session needed.',
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(guarded ? { security: [{ session: [] }], 'x-roles': r.roles } : {}),
      responses: {
        '2XX': { description: 'Success' },
        '4XX': { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tawasul API', version: '0.1.0', description: 'Errors are {"error": {"code", "message"}} with a 4xx status.' },
    paths,
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: cookieName } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface DocsOptions {
  /** API_DOCS_PUBLIC: anyone may read the docs; otherwise an admin session is needed (401 without one, 403 for other roles). */
  public: boolean;
  /** The session cookie's name, as the security scheme. */
  cookieName: string;
}

export function registerDocsRoutes(app: FastifyInstance, routes: readonly RouteDoc[], options: DocsOptions): void {
  const guarded = options.public ? {} : { preHandler: requireOfficer('admin') };
  app.get('/docs/openapi.json', guarded, async () => openApiDocument(routes, options.cookieName));
  app.get('/docs', { ...guarded, helmet: DOCS_HELMET }, async (_req, reply) => {
    const rows = routes
      .filter((r) => r.url.startsWith('/api/'))
      .map(
        (r) =>
          `<tr><td>${r.method}</td><td dir="ltr"><code>${escapeHtml(r.url)}</code></td><td>${escapeHtml(tagOf(r.url))}</td><td>${
            r.roles === undefined ? 'public' : r.roles.length > 0 ? escapeHtml(r.roles.join(', ')) : 'any officer'
          }</td></tr>`,
      )
      .join('\n');
    return reply
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tawasul API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:start}</style></head>
<body><h1>Tawasul API</h1><p>The machine-readable description is at <a href="/docs/openapi.json">/docs/openapi.json</a> (OpenAPI 3.1).
Officer routes need the session cookie from <code>POST /api/auth/sign-in</code>; every write sends <code>X-CSRF-Token</code>.
Errors are <code>{"error": {"code", "message"}}</code>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Area</th><th>Roles</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`);
  });
}
