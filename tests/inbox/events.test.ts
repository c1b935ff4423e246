// The live inbox feed over a real port: a visitor asking for an officer appears without reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/gateway.ts';
import { post, startInbox, type Harness } from './support.ts';

let h: Harness;
let base: string;
let officer: string;

beforeAll(async () => {
  h = await startInbox();
  officer = h.officer('officer', 'نورة');
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = h.app.server.address();
  if (!addr || typeof addr !== 'object') throw new Error('not listening');
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  await h.close();
});

interface Sse {
  event: string;
  data: unknown;
}

/** Opens the stream and hands out parsed events (comment lines as `comment` events), all bounded by one abort timer. */
async function openStream(headers: Record<string, string>, timeoutMs = 5000) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const res = await fetch(`${base}/api/inbox/events`, { headers, signal: abort.signal });
  if (!res.body) throw new Error('no body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pending: Sse[] = [];
  async function next(match: (e: Sse) => boolean): Promise<Sse> {
    for (;;) {
      const i = pending.findIndex(match);
      if (i >= 0) return pending.splice(i, 1)[0] as Sse;
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) pending.push({ event: 'comment', data: block.slice(1).trim() });
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event && data) pending.push({ event, data: JSON.parse(data) as unknown });
      }
    }
  }
  return {
    res,
    next,
    close() {
      clearTimeout(timer);
      abort.abort();
    },
  };
}

describe('GET /api/inbox/events', () => {
  it('pushes a conversation event when a web chat visitor asks for an officer, then its messages and the take-over', async () => {
    const stream = await openStream(h.as(officer));
    try {
      expect(stream.res.status).toBe(200);
      expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const session = (await h.gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: {} })).json() as { token: string; conversationId: string };
      await h.gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${session.token}` }, payload: { text: 'موظف' } });
      const id = session.conversationId;

      const waiting = await stream.next((e) => e.event === 'conversation' && (e.data as { id: string }).id === id);
      expect(waiting.data).toEqual({ id, status: 'waiting', assignedOfficerId: null });
      const asked = await stream.next((e) => e.event === 'message' && (e.data as { message: { text: string } }).message.text === 'موظف');
      expect(asked.data).toMatchObject({ conversationId: id, message: { direction: 'in', sender: 'beneficiary', channel: 'webchat' } });

      expect((await post(h, officer, `/api/inbox/conversations/${id}/take`)).statusCode).toBe(200);
      const taken = await stream.next((e) => e.event === 'conversation' && (e.data as { id: string }).id === id);
      expect(taken.data).toEqual({ id, status: 'officer', assignedOfficerId: officer });

      // Heartbeats are comments (every 100 ms in this test, 20 s by default).
      expect((await stream.next((e) => e.event === 'comment')).data).toBe('ping');
    } finally {
      stream.close();
    }
  });

  it('stops listening to the bus when the officer goes away', async () => {
    // The previous test's stream is gone too.
    await eventually(() => h.subscriptions() === 0 || undefined);
    const stream = await openStream(h.as(officer));
    await eventually(() => h.subscriptions() === 2 || undefined);
    stream.close();
    await eventually(() => h.subscriptions() === 0 || undefined);
  });

  it('refuses strangers and committee members before streaming', async () => {
    const anonymous = await fetch(`${base}/api/inbox/events`);
    expect(anonymous.status).toBe(401);
    const committee = await fetch(`${base}/api/inbox/events`, { headers: h.as(h.officer('committee', 'اللجنة')) });
    expect(committee.status).toBe(403);
    expect(await committee.json()).toMatchObject({ error: { code: 'ERR_FORBIDDEN' } });
  });

  it('does not keep the server from closing', async () => {
    const stream = await openStream(h.as(officer));
    await eventually(() => h.subscriptions() > 0 || undefined);
    const started = Date.now();
    await h.app.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(stream.next(() => false)).rejects.toThrow();
    stream.close();
  });
});
