// Shutdown never hangs on a client that holds a connection open (a half-sent request, an answer never read).
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../support/gateway.ts';

describe('closing the gateway', () => {
  it('drops a connection still open after the grace instead of waiting for it forever', async () => {
    const gw = await startGateway({}, { closeGraceMs: 300 });
    await gw.listen();
    const { port } = new URL(gw.url());
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // Headers never finished: Node counts this connection as busy, so an ordinary close would wait on it.
    socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const started = Date.now();
    await gw.close();
    await ended;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(socket.destroyed).toBe(true);
  });
});
