// A TCP proxy on 127.0.0.1 in front of a provider fake that can be taken down (refuse, reset, 503, hang) and brought back.
import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * How the provider is down:
 * - `refuse`: nothing listens on the port (ECONNREFUSED), for any protocol;
 * - `reset`: the connection is accepted and reset at once (ECONNRESET), for any protocol;
 * - `503`: an HTTP server answers every request 503 Service Unavailable (plain text, no Retry-After);
 * - `hang`: the connection is accepted and never answered, so only the client's own timeout ends it.
 */
export type OutageMode = 'refuse' | 'reset' | '503' | 'hang';

export interface OutageStats {
  /** Connections piped through to the target while up. */
  forwarded: number;
  /** Connections reset (`reset`), requests answered 503 (`503`), connections held without an answer (`hang`). */
  reset: number;
  answered503: number;
  hung: number;
  /** Live connections cut when the outage began (what a provider crash does to kept-alive sockets). */
  cut: number;
}

export class OutageProxy {
  private server: Server | undefined;
  private port_ = 0;
  private mode: OutageMode | undefined;
  /** Each live forwarded connection, client side → target side. */
  private readonly live = new Map<Socket, Socket>();
  /** Accepted while down (hang, 503): ended when the provider comes back or the proxy stops. */
  private readonly held = new Set<Socket>();
  private readonly http: HttpServer;
  private readonly counts: OutageStats = { forwarded: 0, reset: 0, answered503: 0, hung: 0, cut: 0 };

  constructor(private readonly target: { port: number; host?: string }) {
    this.http = createHttpServer((req, res) => {
      // Read the whole request first: answering before the body is consumed turns the 503 into EPIPE for some clients.
      req.resume();
      req.on('end', () => {
        this.counts.answered503++;
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('Service Unavailable');
      });
    });
    this.http.keepAliveTimeout = 0;
  }

  /** Listens on a free port; the port stays the same across `down('refuse')` / `up()`. */
  async start(): Promise<{ port: number }> {
    await this.listen(0);
    return { port: this.port_ };
  }

  get port(): number {
    return this.port_;
  }

  /** `host:port` URL of the proxy for a scheme, e.g. `url('http')` → http://127.0.0.1:1234. */
  url(scheme: string): string {
    return `${scheme}://127.0.0.1:${this.port_}`;
  }

  get isDown(): boolean {
    return this.mode !== undefined;
  }

  stats(): OutageStats {
    return { ...this.counts };
  }

  /** Starts an outage: live connections are cut, new ones are handled by `mode` until `up()`. */
  async down(mode: OutageMode): Promise<void> {
    if (this.mode !== undefined) await this.up();
    this.mode = mode;
    for (const [client, upstream] of this.live) {
      this.counts.cut++;
      client.destroy();
      upstream.destroy();
    }
    this.live.clear();
    if (mode === 'refuse') await this.unlisten();
  }

  /** Ends the outage: held connections are dropped (the provider restarted), new ones are forwarded again. */
  async up(): Promise<void> {
    const was = this.mode;
    this.mode = undefined;
    for (const socket of this.held) socket.destroy();
    this.held.clear();
    if (was === 'refuse') await this.listen(this.port_);
  }

  async stop(): Promise<void> {
    this.mode = undefined;
    for (const [client, upstream] of this.live) {
      client.destroy();
      upstream.destroy();
    }
    this.live.clear();
    for (const socket of this.held) socket.destroy();
    this.held.clear();
    await this.unlisten();
  }

  private async listen(port: number): Promise<void> {
    // Re-listening on the same port after `refuse`: another test grabbing it in between is unlikely but possible.
    for (let attempt = 0; ; attempt++) {
      // Half-open allowed: each direction ends on its own, as the pipes pass FIN along.
      const server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
      server.listen(port, '127.0.0.1');
      try {
        await once(server, 'listening');
        this.server = server;
        this.port_ = (server.address() as AddressInfo).port;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  private async unlisten(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.on('error', () => undefined);
    switch (this.mode) {
      case undefined:
        return this.forward(socket);
      case 'refuse':
        // Accepted in the instant before the listener closed: as good as refused.
        return void socket.destroy();
      case 'reset':
        this.counts.reset++;
        return void socket.resetAndDestroy();
      case 'hang':
        this.counts.hung++;
        this.hold(socket);
        // Read and drop whatever the client says; never write a byte.
        socket.on('data', () => undefined);
        socket.on('end', () => socket.destroy());
        return;
      case '503':
        this.hold(socket);
        this.http.emit('connection', socket);
        return;
    }
  }

  private hold(socket: Socket): void {
    this.held.add(socket);
    socket.on('close', () => this.held.delete(socket));
  }

  private forward(client: Socket): void {
    this.counts.forwarded++;
    const upstream = createConnection({ port: this.target.port, host: this.target.host ?? '127.0.0.1', allowHalfOpen: true });
    upstream.on('error', () => undefined);
    this.live.set(client, upstream);
    // A normal end travels through the pipes (so no reply is cut short); an error on one side resets the other.
    client.on('close', (hadError) => {
      this.live.delete(client);
      if (hadError) upstream.destroy();
    });
    upstream.on('close', (hadError) => {
      this.live.delete(client);
      if (hadError) client.destroy();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
