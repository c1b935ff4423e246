import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { messages, outbox as outboxTable } from '../../src/db/schema.ts';
import { createOutbox } from '../../src/outbound/outbox.ts';
import { backoffMs, createWorker } from '../../src/outbound/worker.ts';
import { recordingAdapter } from '../support/recording-adapter.ts';
import { openTempDb, seedMessage } from '../support/temp-db.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function setup(caps = {}) {
  const t = openTempDb();
  cleanups.push(t.close);
  const outbox = createOutbox(t.db);
  const adapter = recordingAdapter('telegram', caps);
  let clock = new Date('2026-11-22T10:00:00Z');
  const worker = createWorker({ outbox, adapters: new Map([['telegram', adapter]]), logger: silent, now: () => clock });
  return { ...t, outbox, adapter, worker, advance: (ms: number) => (clock = new Date(clock.getTime() + ms)), now: () => clock };
}

describe('outbound worker', () => {
  it('sends queued parts in order and marks the message sent', async () => {
    const s = setup();
    const id = seedMessage(s.db);
    s.outbox.enqueue({ messageId: id, channel: 'telegram', address: '42', parts: [{ text: 'one' }, { text: 'two' }], now: s.now() });
    await s.worker.runOnce();
    expect(s.adapter.sent.map((x) => x.message.text)).toEqual(['one', 'two']);
    expect(s.db.select().from(messages).where(eq(messages.id, id)).get()?.deliveryStatus).toBe('sent');
    expect(s.outbox.pendingCount()).toBe(0);
    // Nothing is sent twice.
    await s.worker.runOnce();
    expect(s.adapter.sent).toHaveLength(2);
  });

  it('retries a retryable failure after the provider-requested wait, keeping later messages behind it', async () => {
    const s = setup();
    const first = seedMessage(s.db);
    s.outbox.enqueue({ messageId: first, channel: 'telegram', address: '42', parts: [{ text: 'first' }], now: s.now() });
    s.outbox.enqueue({ messageId: first, channel: 'telegram', address: '42', parts: [{ text: 'second' }], now: s.now() });
    s.adapter.failNext('retryable', 5000);
    await s.worker.runOnce();
    expect(s.adapter.sent).toHaveLength(0);
    const rows = s.db.select().from(outboxTable).all();
    expect(rows[0]?.attempts).toBe(1);
    expect(rows[0]?.lastError).toContain('retryable');
    s.advance(4000);
    await s.worker.runOnce();
    expect(s.adapter.sent).toHaveLength(0); // neither the failed one nor the one behind it jumps the queue
    s.advance(1500);
    await s.worker.runOnce();
    expect(s.adapter.sent.map((x) => x.message.text)).toEqual(['first', 'second']);
  });

  it('marks a permanent failure failed without retrying', async () => {
    const s = setup();
    const id = seedMessage(s.db);
    s.outbox.enqueue({ messageId: id, channel: 'telegram', address: '42', parts: [{ text: 'x' }], now: s.now() });
    s.adapter.failNext('permanent');
    await s.worker.runOnce();
    s.advance(600_000);
    await s.worker.runOnce();
    expect(s.adapter.sent).toHaveLength(0);
    expect(s.db.select().from(outboxTable).get()?.status).toBe('failed');
    expect(s.db.select().from(messages).where(eq(messages.id, id)).get()?.deliveryStatus).toBe('failed');
  });

  it('waiting for a switched-off channel is not an attempt: after 12 minutes away, its first failure is still retried', async () => {
    const t = openTempDb();
    cleanups.push(t.close);
    const outbox = createOutbox(t.db);
    let clock = new Date('2026-11-22T10:00:00Z');
    const id = seedMessage(t.db);
    outbox.enqueue({ messageId: id, channel: 'telegram', address: '42', parts: [{ text: 'held' }], now: clock });
    // Telegram is not configured: the worker sweeps its rows once a minute for 12 minutes.
    const away = createWorker({ outbox, adapters: new Map(), logger: silent, now: () => clock, pollMs: 0 });
    for (let i = 0; i < 12; i++) {
      await away.runOnce();
      clock = new Date(clock.getTime() + 61_000);
    }
    const waiting = t.db.select().from(outboxTable).get();
    expect(waiting?.status).toBe('pending');
    expect(waiting?.attempts).toBe(0);
    expect(waiting?.lastError).toContain('not enabled');
    // The channel is back and its first send fails for a moment: retried, then delivered.
    const adapter = recordingAdapter('telegram');
    const back = createWorker({ outbox, adapters: new Map([['telegram', adapter]]), logger: silent, now: () => clock, random: () => 0.5 });
    adapter.failNext('retryable');
    await back.runOnce();
    expect(t.db.select().from(outboxTable).get()?.status).toBe('pending');
    clock = new Date(clock.getTime() + 2_000);
    await back.runOnce();
    expect(adapter.sent.map((x) => x.message.text)).toEqual(['held']);
    expect(t.db.select().from(messages).where(eq(messages.id, id)).get()?.deliveryStatus).toBe('sent');
  });

  it('backs off exponentially, capped at five minutes', async () => {
    expect(backoffMs(1)).toBe(1000);
    expect(backoffMs(4)).toBe(8000);
    expect(backoffMs(30)).toBe(300_000);
  });

  it('paces messages to one recipient by the channel rate', async () => {
    const s = setup({ rate: { perSecond: 100, perRecipientPerSecond: 1, perRecipientBurst: 2 } });
    const id = seedMessage(s.db);
    s.outbox.enqueue({ messageId: id, channel: 'telegram', address: '42', parts: [{ text: '1' }, { text: '2' }, { text: '3' }], now: s.now() });
    await s.worker.runOnce();
    expect(s.adapter.sent).toHaveLength(2); // the burst; the third waits for the bucket
    await new Promise((r) => setTimeout(r, 1100));
    await s.worker.runOnce();
    expect(s.adapter.sent.map((x) => x.message.text)).toEqual(['1', '2', '3']);
    expect((s.adapter.sent[2]?.at ?? 0) - (s.adapter.sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('keeps rows of a channel that is not enabled instead of dropping them', async () => {
    const s = setup();
    const id = seedMessage(s.db, 'sms', '+966551234567');
    s.outbox.enqueue({ messageId: id, channel: 'sms', address: '+966551234567', parts: [{ text: 'x' }], now: s.now() });
    await s.worker.runOnce();
    const row = s.db.select().from(outboxTable).get();
    expect(row?.status).toBe('pending');
    expect(row?.lastError).toContain('not enabled');
  });
});

describe('outbound worker on a channel that combines texts (SMS)', () => {
  it('sends consecutive plain texts to one recipient as one while they fit, in order, keeps buttons apart, and never repeats one after a retry', async () => {
    const s = setup({ combineTexts: true, maxTextLength: 30, rate: { perSecond: 1000, perRecipientPerSecond: 1000, perRecipientBurst: 1000 } });
    // One stored message stands for each (seedMessage makes one conversation per database).
    const a = seedMessage(s.db);
    const [b, c, d, e] = [a, a, a, a];
    s.outbox.enqueue({ messageId: a, channel: 'telegram', address: '42', parts: [{ text: 'greeting' }], now: s.now() });
    s.outbox.enqueue({ messageId: b, channel: 'telegram', address: '42', parts: [{ text: 'welcome' }], now: s.now() });
    s.outbox.enqueue({ messageId: c, channel: 'telegram', address: '42', parts: [{ text: 'a text too long to join the others' }], now: s.now() });
    s.outbox.enqueue({ messageId: d, channel: 'telegram', address: '42', parts: [{ text: 'pick', buttons: [{ id: 'x', label: 'X' }] }], now: s.now() });
    s.outbox.enqueue({ messageId: e, channel: 'telegram', address: '7', parts: [{ text: 'other person' }], now: s.now() });
    s.adapter.failNext('retryable', 1000);
    await s.worker.runOnce();
    s.advance(2000);
    await s.worker.runOnce();
    await s.worker.runOnce();
    const to42 = s.adapter.sent.filter((x) => x.address === '42').map((x) => x.message.text);
    expect(to42).toEqual(['greeting\n\nwelcome', 'a text too long to join the others', 'pick']);
    expect(s.adapter.sent.filter((x) => x.address === '7').map((x) => x.message.text)).toEqual(['other person']);
    expect(s.outbox.pendingCount()).toBe(0);
    expect(s.db.select().from(outboxTable).all().map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    // The two combined rows carry the one provider id their send got.
    const [r1, r2, r3] = s.db.select().from(outboxTable).all();
    expect(r1?.externalId).toBe(r2?.externalId);
    expect(r3?.externalId).not.toBe(r1?.externalId);
  });

  it('sends one by one on a channel that does not combine', async () => {
    const s = setup();
    const id = seedMessage(s.db);
    s.outbox.enqueue({ messageId: id, channel: 'telegram', address: '42', parts: [{ text: 'a' }], now: s.now() });
    s.outbox.enqueue({ messageId: id, channel: 'telegram', address: '42', parts: [{ text: 'b' }], now: s.now() });
    await s.worker.runOnce();
    expect(s.adapter.sent.map((x) => x.message.text)).toEqual(['a', 'b']);
  });
});
