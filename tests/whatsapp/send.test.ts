// WhatsApp send against the fake Graph API: exact payloads, the 24-hour window, and honest retryable errors.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsappAdapter } from '../../channels/whatsapp/index.ts';
import type { WhatsappConfig } from '../../channels/whatsapp/config.ts';
import { AppError } from '../../src/core/errors.ts';
import type { OutboundMessage } from '../../src/core/messages.ts';
import type { SendContext } from '../../src/core/channel.ts';
import { FakeWhatsappGraph } from '../fakes/whatsapp-graph.ts';
import { config, memoryLogger, refusedApiRoot, TOKEN } from './support.ts';

const NOW = new Date('2024-09-14T12:00:00Z');
const recent: SendContext = { lastInboundAt: '2024-09-14T11:00:00.000Z' };
const to = '966551234567';
let fake: FakeWhatsappGraph;
const logger = memoryLogger();

function adapter(overrides: Partial<WhatsappConfig> = {}) {
  return createWhatsappAdapter(config({ graphUrl: fake.url, ...overrides }), { logger, now: () => NOW, requestTimeoutMs: 2000 });
}

async function sendError(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  const e = err as AppError;
  expect(e.code).toBe('ERR_CHANNEL_SEND');
  expect(JSON.stringify({ m: e.message, d: e.details, s: e.stack })).not.toContain(TOKEN);
  return e;
}

beforeAll(async () => {
  fake = new FakeWhatsappGraph({ token: TOKEN });
  await fake.start();
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe('WhatsApp send inside the 24-hour window', () => {
  it('sends plain text with the bearer token and returns the wamid', async () => {
    const result = await adapter().send(to, { text: 'وعليكم السلام' }, recent);
    expect(result).toEqual({ externalId: 'wamid.1' });
    const [call] = fake.calls();
    expect(call).toMatchObject({ method: 'POST', path: '/v21.0/1234567890/messages', hasAuthorization: true, authorized: true });
    expect(call?.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body: 'وعليكم السلام', preview_url: false } });
  });

  it('sends reply buttons as an interactive button message (exact body)', async () => {
    const message: OutboundMessage = { text: 'كيف نخدمك؟', buttons: [{ id: 'apply', label: 'تقديم طلب' }, { id: 'status', label: 'حالة طلبي' }, { id: 'officer', label: 'موظف' }] };
    await adapter().send(to, message, recent);
    expect(fake.calls()[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'كيف نخدمك؟' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'apply', title: 'تقديم طلب' } },
            { type: 'reply', reply: { id: 'status', title: 'حالة طلبي' } },
            { type: 'reply', reply: { id: 'officer', title: 'موظف' } },
          ],
        },
      },
    });
  });

  it('refuses, without calling Graph, button text over the 1024-character interactive limit', async () => {
    const e = await sendError(adapter().send(to, { text: 'x'.repeat(1025), buttons: [{ id: 'a', label: 'A' }] }, recent));
    expect(e.retryable).toBe(false);
    expect(fake.calls()).toHaveLength(0);
  });
});

describe('WhatsApp send outside the 24-hour window', () => {
  const old: SendContext = { lastInboundAt: '2024-09-13T11:59:59.000Z' };
  const template = { name: 'tawasul_followup', language: 'ar' };

  it('sends the configured template with the text as its one body parameter (new lines flattened)', async () => {
    for (const context of [old, {}, undefined]) await adapter({ template }).send(to, { text: 'تم استلام طلبك\nالرقم TW-2024-00001', buttons: [{ id: 'a', label: 'A' }] }, context);
    expect(fake.calls()).toHaveLength(3);
    expect(fake.calls()[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'template',
      template: { name: 'tawasul_followup', language: { code: 'ar' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'تم استلام طلبك الرقم TW-2024-00001' }] }] },
    });
  });

  it('exactly 24 hours is still inside the window', async () => {
    await adapter().send(to, { text: 'x' }, { lastInboundAt: '2024-09-13T12:00:00.000Z' });
    expect(fake.calls()[0]?.body.type).toBe('text');
  });

  it('throws a permanent window_closed error without a template, and calls nothing', async () => {
    for (const context of [old, {}, { lastInboundAt: 'not a date' }]) {
      const e = await sendError(adapter().send(to, { text: 'x' }, context));
      expect(e.retryable).toBe(false);
      expect(e.message).toMatch(/^outside the 24-hour window/);
      expect(e.details).toMatchObject({ reason: 'window_closed' });
    }
    expect(fake.calls()).toHaveLength(0);
  });
});

describe('WhatsApp send errors', () => {
  const graph = (status: number, code: number, message: string, retryAfter?: string) => ({ status, error: { message, code }, ...(retryAfter ? { retryAfter } : {}) });

  it('429 with Retry-After → retryable after that many seconds', async () => {
    fake.failNext(graph(429, 130429, '(#130429) Rate limit hit', '3'));
    const e = await sendError(adapter().send(to, { text: 'x' }, recent));
    expect(e).toMatchObject({ retryable: true, retryAfterMs: 3000 });
    expect(e.message).toContain('130429');
  });

  it('429 without Retry-After → retryable after 1 s; 80007 likewise', async () => {
    fake.failNext({ status: 429 }, graph(400, 80007, '(#80007) Rate limit issues'));
    expect(await sendError(adapter().send(to, { text: 'x' }, recent))).toMatchObject({ retryable: true, retryAfterMs: 1000 });
    expect(await sendError(adapter().send(to, { text: 'x' }, recent))).toMatchObject({ retryable: true, retryAfterMs: 1000 });
  });

  it('131056 pair rate → retryable after 6 s', async () => {
    fake.failNext(graph(400, 131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit'));
    const e = await sendError(adapter().send(to, { text: 'x' }, recent));
    expect(e).toMatchObject({ retryable: true, retryAfterMs: 6000, details: { code: 131056, status: 400 } });
  });

  it('131047 re-engagement and 100 invalid parameter → permanent', async () => {
    fake.failNext(graph(400, 131047, 'Re-engagement message'), graph(400, 100, '(#100) Invalid parameter'));
    const e1 = await sendError(adapter().send(to, { text: 'x' }, recent));
    expect(e1).toMatchObject({ retryable: false, details: { code: 131047, reason: 'window_closed' } });
    expect(e1.message).toContain('Re-engagement message');
    const e2 = await sendError(adapter().send(to, { text: 'x' }, recent));
    expect(e2.retryable).toBe(false);
    expect(e2.retryAfterMs).toBeUndefined();
  });

  it('a wrong token (401, code 190) is permanent and does not echo the token', async () => {
    const e = await sendError(adapter({ accessToken: 'EAAG-wrong-token' }).send(to, { text: 'x' }, recent));
    expect(e).toMatchObject({ retryable: false, details: { status: 401, code: 190 } });
    expect(e.message).not.toContain('EAAG-wrong-token');
  });

  it('500 and a dropped connection → retryable', async () => {
    fake.failNext({ status: 500 }, { network: 'reset' });
    expect((await sendError(adapter().send(to, { text: 'x' }, recent))).retryable).toBe(true);
    expect((await sendError(adapter().send(to, { text: 'x' }, recent))).retryable).toBe(true);
  });

  it('connection refused → retryable network error', async () => {
    const e = await sendError(adapter({ graphUrl: `${await refusedApiRoot()}/v21.0` }).send(to, { text: 'x' }, recent));
    expect(e).toMatchObject({ retryable: true, details: { network: 'ECONNREFUSED' } });
  });

  it('never logs the token', () => {
    expect(logger.text()).not.toContain(TOKEN);
  });
});

describe('FakeWhatsappGraph rate limit', () => {
  it('answers 429 with code 130429 beyond N per second', async () => {
    const limited = new FakeWhatsappGraph({ perSecond: 2 });
    await limited.start();
    try {
      const a = createWhatsappAdapter(config({ graphUrl: limited.url }), { logger, now: () => NOW });
      await a.send(to, { text: '1' }, recent);
      await a.send(to, { text: '2' }, recent);
      expect(await sendError(a.send(to, { text: '3' }, recent))).toMatchObject({ retryable: true, details: { code: 130429 } });
    } finally {
      await limited.stop();
    }
  });
});
