// Order per recipient across an outage, at the worker level with a controlled clock: a message queued while an
// older one to the same recipient waits out its back-off must not overtake it.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../src/core/channel.ts';
import { AppError } from '../../src/core/errors.ts';
import { createOutbox } from '../../src/outbound/outbox.ts';
import { createWorker } from '../../src/outbound/worker.ts';
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
  const provider = { down: false, sent: [] as string[] };
  const adapter: ChannelAdapter = {
    id: 'telegram',
    capabilities: {
      maxTextLength: 4096,
      buttons: null,
      media: false,
      canInitiate: true,
      replyWindowHours: null,
      rate: { perSecond: 1000, perRecipientPerSecond: 1000, perRecipientBurst: 1000 },
    },
    async send(_address, message) {
      if (provider.down) throw new AppError('ERR_CHANNEL_SEND', 'provider down: network error ECONNREFUSED', { retryable: true });
      provider.sent.push(message.text);
      return { externalId: `x-${provider.sent.length}` };
    },
  };
  let clock = Date.parse('2026-11-22T10:00:00Z');
  // random 0.5: no jitter, so the back-off is exactly 1, 2, 4, 8 … s.
  const worker = createWorker({ outbox, adapters: new Map([['telegram', adapter]]), logger: silent, now: () => new Date(clock), random: () => 0.5 });
  // One stored message is enough: each queued row is a reply to the same recipient.
  const messageId = seedMessage(t.db);
  const queue = (text: string) => outbox.enqueue({ messageId, channel: 'telegram', address: '42', parts: [{ text }], now: new Date(clock) });
  const at = async (ms: number) => {
    clock = Date.parse('2026-11-22T10:00:00Z') + ms;
    await worker.runOnce();
  };
  return { provider, queue, at };
}

describe('order per recipient across an outage (worker, fake clock)', () => {
  it('keeps a burst queued together in order: later rows wait behind the one being retried', async () => {
    const s = setup();
    s.provider.down = true;
    s.queue('first');
    s.queue('second');
    for (const ms of [0, 1000, 3000, 7000]) await s.at(ms);
    s.provider.down = false;
    await s.at(8000);
    expect(s.provider.sent).toEqual([]);
    await s.at(15_000);
    expect(s.provider.sent).toEqual(['first', 'second']);
  });

  /** The provider is down from 0 to 8 s; an older reply is tried at 0, 1, 3, 7 s (next at 15 s); a newer one is queued at `newerAt`. */
  async function newerDuringBackoff(newerAt: number): Promise<string[]> {
    const s = setup();
    s.provider.down = true;
    s.queue('older');
    for (const ms of [0, 1000, 3000, 7000]) await s.at(ms);
    if (newerAt < 8000) {
      s.queue('newer');
      await s.at(newerAt); // due at once: tried, refused, its own back-off (1 s) starts
    }
    s.provider.down = false;
    if (newerAt >= 8000) s.queue('newer');
    for (const ms of [8000, 8500, 9000, 15_000]) await s.at(ms);
    return s.provider.sent;
  }

  it('delivers both exactly once in either case (the scenario below is sound)', async () => {
    expect((await newerDuringBackoff(8000)).sort()).toEqual(['newer', 'older']);
    expect((await newerDuringBackoff(7500)).sort()).toEqual(['newer', 'older']);
  });

  // KNOWN BUG (reported, not fixed here: src/outbound is someone else's). A row queued while an older row to the same
  // recipient waits out its back-off is due at once: enqueue() sets next_attempt_at = now, due() does not look at
  // earlier pending rows to the same address, and markRetry() only pushes rows that already exist. A beneficiary who
  // writes again during or right after an outage gets the answer to the newer message first.
  it('a reply queued after the outage does not overtake an older one still backing off', async () => {
    expect(await newerDuringBackoff(8000)).toEqual(['older', 'newer']);
  });

  it('a reply queued during the outage (with its own, shorter back-off) does not overtake an older one', async () => {
    expect(await newerDuringBackoff(7500)).toEqual(['older', 'newer']);
  });
});
