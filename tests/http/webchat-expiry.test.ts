// Web chat tokens die after an idle period and at the end of their lifetime, and the site's identity signatures can
// carry an expiry: checked over real HTTP and WebSocket on 127.0.0.1, with the gateway's clock moved forward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { phoneHashFor, userHashFor } from '../../src/webchat/identity.ts';
import { officerHolds, startGateway, type TestGateway } from '../support/gateway.ts';
import { history, pdf, upload, visitor } from '../support/webchat.ts';

const DAY = 86_400_000;
const SECRET = 'test-identity-secret-0123456789abcdef';

let gw: TestGateway;
let offset = 0;
const later = (ms: number) => (offset += ms);

beforeAll(async () => {
  gw = await startGateway({ WEBCHAT_TOKEN_IDLE_DAYS: '7', WEBCHAT_TOKEN_MAX_DAYS: '30', WEBCHAT_IDENTITY_SECRET: SECRET }, { now: () => new Date(Date.now() + offset) });
  await gw.listen();
});
afterAll(() => gw.close());

function stream(token: string): Promise<{ code: number; reason: string; frames: unknown[] }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${gw.url().replace('http', 'ws')}/api/webchat/stream`);
    const frames: unknown[] = [];
    ws.on('open', () => ws.send(JSON.stringify({ token })));
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason), frames }));
  });
}

async function expectExpired(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: { code: 'ERR_TOKEN_EXPIRED' } });
}

describe('web chat token expiry', () => {
  it('a token left unused past WEBCHAT_TOKEN_IDLE_DAYS reads nothing, sends nothing and opens no stream', async () => {
    const { token, conversationId } = await visitor(gw);
    await officerHolds(gw, conversationId);
    const stored = (await (await upload(gw, token, pdf())).json()) as { attachment: { id: string } };
    later(7 * DAY + 60_000);
    const auth = { authorization: `Bearer ${token}` };
    await expectExpired(await fetch(`${gw.url()}/api/webchat/messages`, { headers: auth }));
    await expectExpired(await fetch(`${gw.url()}/api/webchat/messages`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"text":"hello"}' }));
    await expectExpired(await upload(gw, token, pdf()));
    await expectExpired(await fetch(`${gw.url()}/api/webchat/uploads/${stored.attachment.id}`, { headers: auth }));
    const ws = await stream(token);
    expect(ws).toMatchObject({ code: 4401, reason: 'token expired', frames: [] });
    // A token that never existed is still just unauthorized.
    const unknown = await fetch(`${gw.url()}/api/webchat/messages`, { headers: { authorization: 'Bearer never-issued-never-issued-never-issued' } });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ error: { code: 'ERR_UNAUTHORIZED' } });
  });

  it('use keeps a token alive, but never past WEBCHAT_TOKEN_MAX_DAYS', async () => {
    const { token } = await visitor(gw);
    for (let day = 6; day < 30; day += 6) {
      later(6 * DAY);
      expect((await history(gw, token)).status, `day ${day}`).toBe(200);
    }
    later(6 * DAY);
    const past = await history(gw, token);
    expect(past).toMatchObject({ status: 401, body: { error: { code: 'ERR_TOKEN_EXPIRED' } } });
    // The visitor simply starts again: a new token works.
    expect((await history(gw, (await visitor(gw)).token)).status).toBe(200);
  });

  it('closes an open stream when its token reaches the end of its lifetime', async () => {
    const { token } = await visitor(gw);
    // The visitor keeps chatting every few days, then opens the stream a moment before the token's 30 days are up.
    for (let i = 0; i < 4; i++) {
      later(6 * DAY);
      expect((await history(gw, token)).status).toBe(200);
    }
    later(6 * DAY - 1500);
    const ws = await stream(token);
    expect(ws.code).toBe(4401);
    expect(ws.reason).toBe('token expired');
    expect(ws.frames.length).toBeGreaterThan(0);
  });
});

describe('identity signatures with an expiry', () => {
  const now = () => Math.floor((Date.now() + offset) / 1000);
  const start = (body: object) => fetch(`${gw.url()}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('accepts a signature covering a future exp, and refuses it once exp has passed', async () => {
    const exp = now() + 600;
    const userHash = userHashFor(SECRET, `user-41\n${exp}`);
    expect((await start({ userId: 'user-41', userHash, exp })).status).toBe(201);
    later(11 * 60_000);
    const res = await start({ userId: 'user-41', userHash, exp });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'ERR_IDENTITY_EXPIRED' } });
  });

  it('refuses an exp the signature does not cover, and a plain signature sent with an exp', async () => {
    const exp = now() + 600;
    const signed = userHashFor(SECRET, `user-42\n${exp}`);
    for (const body of [
      { userId: 'user-42', userHash: signed, exp: exp + 86_400 },
      { userId: 'user-42', userHash: userHashFor(SECRET, 'user-42'), exp },
      // An expired signature with a forged later exp: still refused, as a wrong signature.
      { userId: 'user-42', userHash: userHashFor(SECRET, `user-42\n${now() - 3600}`), exp },
    ]) {
      const res = await start(body);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'ERR_UNAUTHORIZED' } });
    }
  });

  it('still accepts signatures without exp (existing sites), and covers the phone signature with exp too', async () => {
    expect((await start({ userId: 'user-43', userHash: userHashFor(SECRET, 'user-43') })).status).toBe(201);
    const exp = now() + 600;
    const phone = '+966551234567';
    const base = { userId: 'user-44', userHash: userHashFor(SECRET, `user-44\n${exp}`), exp, phone };
    expect((await start({ ...base, phoneHash: phoneHashFor(SECRET, 'user-44', phone) })).status).toBe(401);
    expect((await start({ ...base, phoneHash: phoneHashFor(SECRET, 'user-44', phone, exp) })).status).toBe(201);
    // exp alone, without a user to sign: a bad request.
    expect((await start({ exp })).status).toBe(400);
  });
});
