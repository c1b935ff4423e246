// The web chat stream from the attacker's side over real sockets: a few connections per token, a bounded number per
// network (refused with close 4429 and a reason), and the "takes a file now" state for clients that ask for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, officerHolds, startGateway, type TestGateway } from '../support/gateway.ts';
import { visitor } from '../support/webchat.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ WEBCHAT_WS_PER_TOKEN: '3', WEBCHAT_WS_PER_IP: '10' });
  await gw.listen();
});
afterAll(() => gw.close());

interface Socket {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  /** Resolves once the socket has sent its first frame (it is authenticated and counted). */
  ready: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

function open(ip: string, first?: object): Socket {
  const ws = new WebSocket(`${gw.url().replace('http', 'ws')}/api/webchat/stream`, { headers: { 'x-forwarded-for': ip } });
  const frames: Record<string, unknown>[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const ready = new Promise<void>((resolve) => {
    ws.on('message', (d) => {
      frames.push(JSON.parse(String(d)) as Record<string, unknown>);
      resolve();
    });
    ws.once('close', () => resolve());
  });
  if (first) ws.once('open', () => ws.send(JSON.stringify(first)));
  return { ws, frames, ready, closed };
}

const opened = (s: Socket) => new Promise<void>((resolve) => (s.ws.readyState === WebSocket.OPEN ? resolve() : s.ws.once('open', () => resolve())));

describe('web chat stream limits', () => {
  it('keeps three sockets per token (tabs) and closes a fourth with 4429', async () => {
    const { token } = await visitor(gw);
    const tabs = [0, 1, 2].map(() => open('198.51.100.1', { token }));
    await Promise.all(tabs.map((t) => t.ready));
    const fourth = open('198.51.100.1', { token });
    expect(await fourth.closed).toEqual({ code: 4429, reason: 'too many connections for this chat' });
    // Closing a tab frees its place.
    tabs[0]?.ws.close();
    await tabs[0]?.closed;
    const again = open('198.51.100.1', { token });
    await again.ready;
    expect(again.ws.readyState).toBe(WebSocket.OPEN);
    for (const t of [...tabs, again]) t.ws.close();
  });

  it('refuses an eleventh connection from one network, authenticated or not; other networks are unaffected', async () => {
    const sockets: Socket[] = [];
    for (let i = 0; i < 10; i++) {
      // Half of them never authenticate: they must count too.
      const s = i % 2 === 0 ? open('203.0.113.7', { token: (await visitor(gw)).token }) : open('203.0.113.7');
      sockets.push(s);
      await (i % 2 === 0 ? s.ready : opened(s));
    }
    const eleventh = open('203.0.113.7', { token: (await visitor(gw)).token });
    expect(await eleventh.closed).toEqual({ code: 4429, reason: 'too many connections from this network' });
    expect(eleventh.frames).toEqual([]);
    const elsewhere = open('203.0.113.8', { token: (await visitor(gw)).token });
    await elsewhere.ready;
    expect(elsewhere.frames.length).toBeGreaterThan(0);
    expect(sockets.every((s) => s.ws.readyState === WebSocket.OPEN)).toBe(true);
    for (const s of [...sockets, elsewhere]) s.ws.close();
    await Promise.all(sockets.map((s) => s.closed));
    // The places are given back when sockets close.
    const after = open('203.0.113.7', { token: (await visitor(gw)).token });
    await after.ready;
    expect(after.ws.readyState).toBe(WebSocket.OPEN);
    after.ws.close();
  });

  it('tells a client that asks whether the conversation takes a file, as it changes', async () => {
    const { token, conversationId } = await visitor(gw);
    const s = open('192.0.2.1', { token, state: true });
    await eventually(() => s.frames.some((f) => f.type === 'state') || undefined);
    expect(s.frames.filter((f) => f.type === 'state')).toEqual([{ type: 'state', acceptsUpload: false }]);
    await officerHolds(gw, conversationId);
    await eventually(() => s.frames.some((f) => f.acceptsUpload === true) || undefined);
    await gw.conversations.handBack(conversationId);
    await eventually(() => s.frames.filter((f) => f.type === 'state').length === 3 || undefined);
    expect(s.frames.filter((f) => f.type === 'state').map((f) => f.acceptsUpload)).toEqual([false, true, false]);
    // A client that did not ask gets message frames only.
    const plain = open('192.0.2.1', { token });
    await plain.ready;
    const seen = plain.frames.length;
    await officerHolds(gw, conversationId);
    await eventually(() => plain.frames.length > seen || undefined);
    await eventually(() => s.frames.filter((f) => f.type === 'state').length === 4 || undefined);
    expect(plain.frames.some((f) => f.type === 'state')).toBe(false);
    s.ws.close();
    plain.ws.close();
  });
});
