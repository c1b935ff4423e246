// Fallback channels and sends in doubt after a crash, with the real outbox on a real SQLite file.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { messages, outbox as outboxTable } from '../../src/db/schema.ts';
import { createOutbox, outboxReference } from '../../src/outbound/outbox.ts';
import { createWorker } from '../../src/outbound/worker.ts';
import { recordingAdapter } from '../support/recording-adapter.ts';
import { openTempDb, seedMessage } from '../support/temp-db.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function setup() {
  const t = openTempDb();
  cleanups.push(t.close);
  const outbox = createOutbox(t.db);
  const whatsapp = recordingAdapter('whatsapp', { reference: 'echoed', replyWindowHours: 24 });
  const sms = recordingAdapter('sms', { reference: 'echoed' });
  const email = recordingAdapter('email');
  const adapters = new Map([
    ['whatsapp', whatsapp],
    ['sms', sms],
    ['email', email],
  ]);
  let clock = new Date('2026-11-22T10:00:00Z');
  const rerouted: string[] = [];
  const worker = (grace = 60_000) =>
    createWorker({ outbox, adapters, logger: silent, now: () => clock, inDoubtGraceMs: grace, onRerouted: (_row, to) => rerouted.push(to.channel) });
  const rows = () => t.db.select().from(outboxTable).all();
  const status = (id: number) => t.db.select().from(messages).where(eq(messages.id, id)).get()?.deliveryStatus;
  return { ...t, outbox, whatsapp, sms, email, worker, rows, status, rerouted, advance: (ms: number) => (clock = new Date(clock.getTime() + ms)), now: () => clock };
}

describe('fallback channels', () => {
  it('a message WhatsApp refuses for good goes out by SMS, and both rows tell officers what happened', async () => {
    const s = setup();
    const id = seedMessage(s.db, 'whatsapp', '966551234567');
    s.outbox.enqueue({
      messageId: id,
      channel: 'whatsapp',
      address: '966551234567',
      parts: [{ text: 'طلبك قيد الدراسة' }],
      now: s.now(),
      fallbacks: [{ channel: 'sms', address: '+966551234567', parts: [{ text: 'طلبك قيد الدراسة (SMS)' }] }],
    });
    s.whatsapp.failNext('permanent');
    const w = s.worker();
    await w.runOnce();
    await w.runOnce();
    expect(s.whatsapp.sent).toHaveLength(0);
    expect(s.sms.sent.map((x) => [x.address, x.message.text])).toEqual([['+966551234567', 'طلبك قيد الدراسة (SMS)']]);
    expect(s.rows().map((r) => [r.channel, r.status])).toEqual([
      ['whatsapp', 'rerouted'],
      ['sms', 'sent'],
    ]);
    expect(s.rows()[0]?.lastError).toContain('permanent');
    expect(s.status(id)).toBe('sent');
    expect(s.rerouted).toEqual(['sms']);
  });

  it('walks the whole fallback order, and fails only when every channel refused', async () => {
    const s = setup();
    const id = seedMessage(s.db, 'whatsapp', '966551234567');
    s.outbox.enqueue({
      messageId: id,
      channel: 'whatsapp',
      address: '966551234567',
      parts: [{ text: 'a' }, { text: 'b' }],
      now: s.now(),
      fallbacks: [
        { channel: 'sms', address: '+966551234567', parts: [{ text: 'a b' }] },
        { channel: 'email', address: 'x@example.org', parts: [{ text: 'a' }, { text: 'b' }] },
      ],
    });
    s.whatsapp.failNext('permanent');
    s.sms.failNext('permanent');
    s.email.failNext('permanent');
    const w = s.worker();
    for (let i = 0; i < 4; i++) await w.runOnce();
    expect(s.rows().map((r) => [r.channel, r.part, r.status])).toEqual([
      ['whatsapp', 0, 'rerouted'],
      ['whatsapp', 1, 'rerouted'],
      ['sms', 0, 'rerouted'],
      ['email', 0, 'failed'],
      ['email', 1, 'failed'],
    ]);
    expect(s.email.sent).toHaveLength(0); // no half message
    expect(s.status(id)).toBe('failed');
    // An officer's retry puts both parts back; the email channel now takes them, in order.
    expect(s.outbox.retryFailed(id, s.now())).toBe(2);
    await w.runOnce();
    expect(s.email.sent.map((x) => x.message.text)).toEqual(['a', 'b']);
  });

  it('a retryable failure is retried on the same channel, not rerouted', async () => {
    const s = setup();
    const id = seedMessage(s.db, 'whatsapp', '966551234567');
    s.outbox.enqueue({ messageId: id, channel: 'whatsapp', address: '966551234567', parts: [{ text: 'x' }], now: s.now(), fallbacks: [{ channel: 'sms', address: '+966551234567', parts: [{ text: 'x' }] }] });
    s.whatsapp.failNext('retryable', 2000);
    const w = s.worker();
    await w.runOnce();
    s.advance(2500);
    await w.runOnce();
    expect(s.whatsapp.sent).toHaveLength(1);
    expect(s.sms.sent).toHaveLength(0);
  });
});

describe('sends in doubt after a crash', () => {
  it('passes the same reference on every attempt of a row', async () => {
    const s = setup();
    const id = seedMessage(s.db, 'sms', '+966551234567');
    s.outbox.enqueue({ messageId: id, channel: 'sms', address: '+966551234567', parts: [{ text: 'x' }], now: s.now() });
    const refs: (string | undefined)[] = [];
    const send = s.sms.send.bind(s.sms);
    s.sms.send = async (address, message, context) => {
      refs.push(context?.reference);
      return send(address, message, context);
    };
    s.sms.failNext('retryable', 1000);
    const w = s.worker();
    await w.runOnce();
    s.advance(1500);
    await w.runOnce();
    const row = s.rows()[0];
    expect(row && refs).toEqual([outboxReference(row!), outboxReference(row!)]);
    expect(refs[0]).toMatch(/^tw\d+-[0-9a-z]+$/);
  });

  it('waits for the provider to echo our reference instead of sending twice', async () => {
    const s = setup();
    const id = seedMessage(s.db, 'sms', '+966551234567');
    s.outbox.enqueue({ messageId: id, channel: 'sms', address: '+966551234567', parts: [{ text: 'x' }], now: s.now() });
    const row = s.rows()[0]!;
    // The crash: the claim was committed, the provider accepted, our "sent" never was.
    s.outbox.claim([row.id], s.now());
    const w = s.worker(60_000);
    w.start();
    await w.stop();
    s.advance(1000);
    await w.runOnce();
    expect(s.sms.sent).toHaveLength(0);
    // The provider's report carries our reference and its own id.
    const changed = s.outbox.applyDeliveryUpdates('sms', [{ externalId: 'SM123', status: 'delivered', reference: outboxReference(row) }], s.now());
    expect(changed).toEqual([id]);
    s.advance(120_000);
    await w.runOnce();
    expect(s.sms.sent).toHaveLength(0);
    expect(s.rows()[0]).toMatchObject({ status: 'sent', externalId: 'SM123', claimedAt: null });
    expect(s.status(id)).toBe('delivered');
  });

  it('sends again after the grace when no echo came (never lost), and at once on channels that cannot echo', async () => {
    const s = setup();
    const a = seedMessage(s.db, 'sms', '+966551234567');
    const b = seedMessage(s.db, 'email', 'x@example.org');
    s.outbox.enqueue({ messageId: a, channel: 'sms', address: '+966551234567', parts: [{ text: 'sms' }], now: s.now() });
    s.outbox.enqueue({ messageId: b, channel: 'email', address: 'x@example.org', parts: [{ text: 'mail' }], now: s.now() });
    s.outbox.claim(s.rows().map((r) => r.id), s.now());
    const w = s.worker(60_000);
    w.start();
    await w.stop();
    await w.runOnce();
    expect(s.email.sent.map((x) => x.message.text)).toEqual(['mail']);
    expect(s.sms.sent).toHaveLength(0);
    s.advance(61_000);
    await w.runOnce();
    expect(s.sms.sent.map((x) => x.message.text)).toEqual(['sms']);
  });

  it('ignores an echo whose reference names another database’s row', async () => {
    const s = setup();
    const id = seedMessage(s.db, 'sms', '+966551234567');
    s.outbox.enqueue({ messageId: id, channel: 'sms', address: '+966551234567', parts: [{ text: 'x' }], now: s.now() });
    const row = s.rows()[0]!;
    s.outbox.claim([row.id], s.now());
    s.outbox.applyDeliveryUpdates('sms', [{ externalId: 'SM1', status: 'sent', reference: `tw${row.id}-zzzz` }], s.now());
    expect(s.rows()[0]?.status).toBe('pending');
  });
});

describe('channels paced apart', () => {
  it('a WhatsApp campaign held back by its rate does not hold up an SMS queued after it', async () => {
    const s = setup();
    const slow = recordingAdapter('whatsapp', { rate: { perSecond: 1, perRecipientPerSecond: 100, perRecipientBurst: 100 } });
    const sms = recordingAdapter('sms');
    const worker = createWorker({
      outbox: s.outbox,
      adapters: new Map([
        ['whatsapp', slow],
        ['sms', sms],
      ]),
      logger: silent,
      now: () => s.now(),
    });
    for (let i = 0; i < 600; i++) {
      const id = seedMessage(s.db, 'whatsapp', `9665500${String(i).padStart(5, '0')}`);
      s.outbox.enqueue({ messageId: id, channel: 'whatsapp', address: `9665500${String(i).padStart(5, '0')}`, parts: [{ text: `campaign ${i}` }], now: s.now() });
    }
    const id = seedMessage(s.db, 'sms', '+966551234567');
    s.outbox.enqueue({ messageId: id, channel: 'sms', address: '+966551234567', parts: [{ text: 'موعدك غدًا' }], now: s.now() });
    await worker.runOnce();
    expect(sms.sent.map((x) => x.message.text)).toEqual(['موعدك غدًا']);
    // The campaign keeps its own pace: one message in this second, not 600.
    expect(slow.sent).toHaveLength(1);
    await worker.stop();
  });
});
