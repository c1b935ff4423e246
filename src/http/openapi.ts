// The API description: @fastify/swagger builds the OpenAPI 3.1 document from each route's zod schemas (src/api),
// /docs shows it with the Swagger UI shipped inside @fastify/swagger-ui (no CDN), /docs/openapi.json serves it.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { requireOfficer } from '../auth/guards.ts';
import { ErrorBody } from '../api/common.ts';

const AREAS: Record<string, string> = {
  '/api/webchat': 'Web chat (public; Bearer token from POST /api/webchat/sessions)',
  '/api/auth': 'Officer sign-in and session',
  '/api/admin': 'Administration (admins)',
  '/api/inbox': 'Relations-officer inbox',
  '/api/applications': 'Applications through the research committee',
  '/api/contacts': 'Beneficiaries',
  '/api/reports': 'Reports',
  '/health': 'Operations (load balancers)',
  '/ready': 'Operations (load balancers)',
};

// Outside /api but part of the contract: what load balancers call.
const DOCUMENTED_OPS = new Set(['/health', '/ready']);

function rolesOf(route: RouteOptions): readonly string[] | undefined {
  const handlers = [route.preValidation, route.preHandler, route.onRequest].flat().filter(Boolean) as unknown[];
  for (const h of handlers) {
    const roles = (h as { roles?: readonly string[] }).roles;
    if (Array.isArray(roles)) return roles;
  }
  return undefined;
}

function areaOf(url: string): string {
  const prefix = Object.keys(AREAS).find((p) => url.startsWith(p));
  return prefix ? (AREAS[prefix] ?? prefix) : 'Other';
}

/**
 * Call first thing after creating the app: describes each /api route as it is added (area, who may call it, the
 * error answer) and hides everything else (pages, webhooks, the docs themselves) from the document.
 */
export function describeRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    if (!url.startsWith('/api/') && !DOCUMENTED_OPS.has(url)) {
      route.schema = { ...schema, hide: true };
      return;
    }
    const roles = rolesOf(route);
    const methods = [route.method].flat();
    const write = methods.some((m) => m !== 'GET' && m !== 'HEAD');
    const response = { ...((schema.response as Record<string, unknown> | undefined) ?? {}) };
    // Routes that declare their answers also declare the error answer; the others are described without one.
    if (Object.keys(response).length > 0) response['4XX'] ??= ErrorBody;
    route.schema = {
      ...schema,
      tags: [areaOf(url)],
      summary: (schema.summary as string | undefined) ?? `${methods.join(', ')} ${url}`,
      description: [
        schema.description,
        roles === undefined
          ? 'No officer session needed.'
          : `Officer session required; roles: ${roles.length > 0 ? roles.join(', ') : 'any officer'}.${write ? ' Send X-CSRF-Token.' : ''}`,
      ]
        .filter(Boolean)
        .join(' '),
      // x-roles: who may call it, for tools and for the authorization walk in the tests.
      ...(roles !== undefined ? { security: [{ session: [] }], 'x-roles': roles } : {}),
      ...(Object.keys(response).length > 0 ? { response } : {}),
    };
  });
}

export interface DocsOptions {
  /** API_DOCS_PUBLIC: anyone may read the docs; otherwise an admin session is needed (401 without one, 403 for other roles). */
  public: boolean;
  /** The session cookie's name, as the security scheme. */
  cookieName: string;
}

/** Register before any route: the document is built from the routes added after it. */
export async function registerOpenApi(app: FastifyInstance, options: Pick<DocsOptions, 'cookieName'>): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tawasul API', version: '0.1.0', description: 'Errors are {"error": {"code", "message"}} with a 4xx status.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: options.cookieName } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
}

/** Register last, after the session hooks and the error handler, which its routes use. */
export async function registerDocsPages(app: FastifyInstance, options: DocsOptions): Promise<void> {
  const guard = options.public ? undefined : requireOfficer('admin');
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    uiConfig: { url: '/docs/openapi.json', deepLinking: false },
    ...(guard ? { uiHooks: { preHandler: guard } } : {}),
  });
  app.get('/docs/openapi.json', guard ? { preHandler: guard } : {}, async () => app.swagger());
}
