import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
let base: string;
beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  base = gw.url();
});
afterAll(async () => {
  await gw.close();
});

interface View {
  id: number;
  direction: 'in' | 'out';
  text: string;
  flow?: string;
  choices?: unknown[];
}

async function session(): Promise<string> {
  const res = await fetch(`${base}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  return ((await res.json()) as { token: string }).token;
}

function post(token: string, body: unknown): Promise<Response> {
  return fetch(`${base}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
}

/** Opens the stream and collects every frame; `until` resolves once a frame satisfies the predicate (bounded). */
function open(url: string, firstFrame?: string) {
  const ws = new WebSocket(url);
  const frames: View[] = [];
  const waiters: { pred: (f: View[]) => boolean; resolve: () => void }[] = [];
  ws.on('message', (d) => {
    frames.push(JSON.parse(String(d)) as View);
    for (const w of [...waiters]) if (w.pred(frames)) w.resolve();
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      if (firstFrame) ws.send(firstFrame);
      resolve();
    });
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number }>((resolve) => ws.once('close', (code) => resolve({ code })));
  return {
    ws,
    frames,
    opened,
    closed,
    until(pred: (f: View[]) => boolean, ms = 3000) {
      if (pred(frames)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timeout; got ${JSON.stringify(frames)}`)), ms);
        waiters.push({ pred, resolve: () => (clearTimeout(t), resolve()) });
      });
    },
  };
}

describe('web chat stream over a real port', () => {
  it('sends the history, then pushes messages as they are produced, in order and once', async () => {
    const token = await session();
    const s = open(`${base.replace('http', 'ws')}/api/webchat/stream?token=${token}`);
    await s.opened;
    await s.until((f) => f.some((m) => m.choices));
    const greeting = s.frames.length;
    expect((await post(token, { choice: 'enquiries' })).status).toBe(202);
    await s.until((f) => f.some((m) => m.direction === 'out' && m.flow === 'enquiries'));
    const ids = s.frames.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(s.frames[greeting]?.direction).toBe('in');
    s.ws.close();
  });

  it('accepts the token as the first frame and resumes after a given id without repeats', async () => {
    const token = await session();
    await post(token, { text: '1' });
    const all = (await (await fetch(`${base}/api/webchat/messages`, { headers: { authorization: `Bearer ${token}` } })).json()) as { messages: View[] };
    const lastSeen = all.messages[1]?.id ?? 0;
    const s = open(`${base.replace('http', 'ws')}/api/webchat/stream`, JSON.stringify({ token, after: lastSeen }));
    await s.until((f) => f.length >= all.messages.length - 2);
    expect(s.frames.map((m) => m.id)).toEqual(all.messages.slice(2).map((m) => m.id));
    s.ws.close();
  });

  it('closes the socket for a wrong token', async () => {
    const s = open(`${base.replace('http', 'ws')}/api/webchat/stream?token=wrong-token-wrong-token-wrong`);
    expect((await s.closed).code).toBe(4401);
    expect(s.frames).toHaveLength(0);
  });

  it('does not push one visitor\'s messages to another', async () => {
    const a = await session();
    const b = await session();
    const s = open(`${base.replace('http', 'ws')}/api/webchat/stream?token=${a}`);
    await s.opened;
    await s.until((f) => f.length > 0);
    const n = s.frames.length;
    await post(b, { text: 'سر خاص' });
    await post(a, { text: '1' });
    await s.until((f) => f.some((m) => m.direction === 'in' && m.text === '1'));
    expect(s.frames.slice(n).some((m) => m.text === 'سر خاص')).toBe(false);
    s.ws.close();
  });
});
