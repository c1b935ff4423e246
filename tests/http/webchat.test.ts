import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/db/schema.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(async () => {
  await gw.close();
});

interface View {
  id: number;
  direction: 'in' | 'out';
  text: string;
  choices?: { id: string; label: string }[];
  flow?: string;
  step?: string;
  createdAt: string;
}

async function session(locale?: 'ar' | 'en') {
  const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: locale ? { locale } : {} });
  expect(res.statusCode).toBe(201);
  return res.json() as { token: string; conversationId: string };
}

async function history(token: string, after = 0): Promise<View[]> {
  const res = await gw.app.inject({ method: 'GET', url: `/api/webchat/messages?after=${after}`, headers: { authorization: `Bearer ${token}` } });
  expect(res.statusCode).toBe(200);
  return (res.json() as { messages: View[] }).messages;
}

function send(token: string, payload: unknown) {
  return gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${token}` }, payload: payload as object });
}

function messageCount(): number {
  return gw.db.select({ n: count() }).from(messages).get()?.n ?? 0;
}

describe('web chat API', () => {
  it('GET /health answers ok', async () => {
    const res = await gw.app.inject({ method: 'GET', url: '/health' });
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('a new session gets a long random token and an Arabic greeting with the main menu', async () => {
    const { token, conversationId } = await session();
    expect(token.length).toBeGreaterThanOrEqual(22); // >= 128 bits in base64url
    expect(conversationId).toMatch(/[0-9a-f-]{36}/);
    const msgs = await history(token);
    const menu = msgs.find((m) => m.choices);
    expect(menu?.direction).toBe('out');
    expect(menu?.flow).toBe('main');
    expect(menu?.text).toMatch(/[\u0600-\u06FF]/);
    expect(menu?.choices?.map((c) => c.id)).toEqual(['enquiries', 'apply', 'status', 'volunteer', 'feedback', 'officer']);
  });

  it('an English session greets in English', async () => {
    const { token } = await session('en');
    const msgs = await history(token);
    expect(msgs.some((m) => /[A-Za-z]/.test(m.text) && !/[\u0600-\u06FF]/.test(m.text))).toBe(true);
  });

  it('stores the token only hashed', async () => {
    const { token } = await session();
    const rows = gw.db.$client.prepare('select token_hash from webchat_sessions').all() as { token_hash: string }[];
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('a text message is accepted (202) and the bot answers from the next step', async () => {
    const { token } = await session();
    const before = await history(token);
    const last = before.at(-1)?.id ?? 0;
    const res = await send(token, { text: 'تقديم طلب' });
    expect(res.statusCode).toBe(202);
    const { id } = res.json() as { id: number };
    const after = await history(token, last);
    expect(after[0]).toMatchObject({ id, direction: 'in', text: 'تقديم طلب' });
    // The privacy notice (flows/privacy.yaml) comes before the intake's first question; the visitor accepts it.
    expect(after.at(-1)).toMatchObject({ direction: 'out', flow: 'privacy', step: 'notice' });
    expect((await send(token, { choice: 'privacy_accept' })).statusCode).toBe(202);
    const accepted = await history(token, after.at(-1)?.id);
    const reply = accepted.filter((m) => m.direction === 'out');
    expect(reply.length).toBeGreaterThan(0);
    expect(reply.every((m) => m.flow === 'apply')).toBe(true);
    const all = [...after, ...accepted];
    expect(all.map((m) => m.id)).toEqual([...all.map((m) => m.id)].sort((a, b) => a - b));
  });

  it('a choice is answered by its stable id, and the history shows its label', async () => {
    const { token } = await session();
    const res = await send(token, { choice: 'enquiries' });
    expect(res.statusCode).toBe(202);
    const msgs = await history(token);
    const inbound = msgs.find((m) => m.direction === 'in');
    expect(inbound?.text).not.toBe('enquiries'); // the visible label, in Arabic
    expect(msgs.at(-1)?.flow).toBe('enquiries');
  });

  it('Arabic-Indic digits pick a menu choice by its number', async () => {
    const { token } = await session();
    await send(token, { text: '٣' });
    // «متابعة طلب» asks for personal data, so the privacy notice comes first; accepted, the status flow asks.
    expect((await history(token)).at(-1)).toMatchObject({ flow: 'privacy', step: 'notice' });
    await send(token, { choice: 'privacy_accept' });
    expect((await history(token)).at(-1)?.flow).toBe('status');
  });

  it('refuses a missing or wrong token with 401 and stores nothing', async () => {
    const n = messageCount();
    for (const headers of [{}, { authorization: 'Bearer nope-not-a-token-at-all-123456' }, { authorization: 'Basic abc' }]) {
      const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers, payload: { text: 'hi' } });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'ERR_UNAUTHORIZED' } });
      const get = await gw.app.inject({ method: 'GET', url: '/api/webchat/messages', headers });
      expect(get.statusCode).toBe(401);
    }
    expect(messageCount()).toBe(n);
  });

  it('rejects bodies that fail validation with 400 and a clear error', async () => {
    const { token } = await session();
    const n = messageCount();
    for (const payload of [{}, { text: 5 }, { text: 'a', choice: 'apply' }, { choice: 'مرحبا' }, { text: '   ' }, { text: null }, [], { choice: '' }]) {
      const res = await send(token, payload);
      expect(res.statusCode).toBe(400);
      const body = res.json() as { error: { code: string; message: string } };
      expect(body.error.code).toBe('ERR_VALIDATION');
      expect(body.error.message.length).toBeGreaterThan(5);
    }
    const bad = await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{"text": "unterminated' });
    expect(bad.statusCode).toBe(400);
    expect(messageCount()).toBe(n);
  });

  it('ignores fields it does not know, so front ends can add their own', async () => {
    const { token } = await session();
    expect((await send(token, { text: '1', sentFrom: 'custom-app' })).statusCode).toBe(202);
    const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: { locale: 'en', page: '/about' } });
    expect(res.statusCode).toBe(201);
    const bad = await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: { locale: 'fr' } });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses an over-long text whole (413) and stores nothing', async () => {
    const { token } = await session();
    const n = messageCount();
    const res = await send(token, { text: 'ا'.repeat(4001) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_PAYLOAD_TOO_LARGE' } });
    expect(messageCount()).toBe(n);
    expect((await send(token, { text: 'ا'.repeat(4000) })).statusCode).toBe(202);
  });

  it('a retried send with the same clientId is stored and answered once', async () => {
    const { token } = await session();
    const a = await send(token, { text: '1', clientId: 'c-1' });
    const before = await history(token);
    const b = await send(token, { text: '1', clientId: 'c-1' });
    expect(b.statusCode).toBe(202);
    expect(b.json()).toEqual(a.json());
    expect(await history(token)).toHaveLength(before.length);
    // The stored copy names the clientId, so a front end can replace its optimistic bubble exactly.
    expect(before.find((m) => m.direction === 'in')).toMatchObject({ text: '1', clientId: 'c-1' });
  });

  it('rejects a bad ?after= with 400', async () => {
    const { token } = await session();
    const res = await gw.app.inject({ method: 'GET', url: '/api/webchat/messages?after=abc', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(400);
  });

  it('unknown routes answer 404 in the error shape', async () => {
    const res = await gw.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_NOT_FOUND' } });
  });
});
