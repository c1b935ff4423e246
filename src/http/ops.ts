// /health, /ready and /metrics: what load balancers and Prometheus ask; the metrics also on a port of their own.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { opsRoutes, type Ready } from '../api/ops.ts';
import { AppError } from '../core/errors.ts';
import { sameSecret } from '../core/secrets.ts';
import type { GatewayMetrics, LiveKind } from '../ops/metrics.ts';

export interface OpsDeps {
  /** The readiness report (database, migrations, leases). */
  ready: () => Ready;
  metrics: GatewayMetrics;
  /** METRICS_TOKEN: /metrics on the main port needs `Authorization: Bearer <token>`; unset, it answers 404. */
  metricsToken: string | undefined;
}

// The routes that hold a connection open, and what they count as.
const LIVE_ROUTES: Record<string, LiveKind> = { '/api/inbox/events': 'inbox_sse', '/api/webchat/stream': 'webchat_ws' };

export async function registerOps(app: FastifyInstance, deps: OpsDeps): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get('/health', { schema: opsRoutes.health }, async () => ({ status: 'ok' as const }));
  typed.get('/ready', { schema: opsRoutes.ready }, async (_req, reply) => {
    const report = deps.ready();
    return reply.code(report.status === 'ready' ? 200 : 503).send(report);
  });

  app.addHook('onRequest', async (req, reply) => {
    const kind = LIVE_ROUTES[req.routeOptions.url ?? ''];
    if (!kind) return;
    const closed = deps.metrics.connectionOpened(kind);
    // A WebSocket lives as long as its socket; an SSE stream ends with its response (the socket may stay, kept alive).
    if (kind === 'webchat_ws') req.raw.socket.once('close', closed);
    else reply.raw.once('close', closed);
  });

  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    const token = deps.metricsToken;
    if (token === undefined) throw new AppError('ERR_NOT_FOUND', 'Not found.');
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!sameSecret(given, token)) {
      void reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('ERR_UNAUTHORIZED', 'A metrics token is required.');
    }
    const { contentType, text } = await deps.metrics.render();
    return reply.header('cache-control', 'no-store').type(contentType).send(text);
  });
}

export interface MetricsServer {
  /** host:port it listens on. */
  address(): AddressInfo;
  close(): Promise<void>;
}

/** METRICS_PORT: /metrics without a token on its own port (bound to METRICS_HOST, loopback by default). */
export async function listenMetrics(metrics: GatewayMetrics, port: number, host: string): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://metrics');
    if (req.method !== 'GET' || url.pathname !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'ERR_NOT_FOUND', message: 'Not found.' } }));
      return;
    }
    metrics.render().then(
      ({ contentType, text }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(text),
      () => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'ERR_INTERNAL', message: 'Metrics could not be collected.' } })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    address: () => server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
