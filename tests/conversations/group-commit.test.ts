// Events arriving together share one transaction; each still stands or falls alone, and replays stay single.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(async () => {
  await gw.close();
});

function event(address: string, externalId: string, text: string, raw: unknown = null): NormalizedInbound {
  return { channel: 'telegram', externalId, address, sender: { displayName: 'ريم' }, content: { type: 'text', text }, receivedAt: new Date(), raw };
}

const count = (sql: string, ...args: unknown[]) => (gw.db.$client.prepare(sql).get(...args) as { n: number }).n;

describe('group commit', () => {
  it('stores every good event of a burst even when one of them fails, and nothing of the failed one', async () => {
    const events = Array.from({ length: 20 }, (_, i) => event(`chat-${i}`, `u-${i}`, 'السلام عليكم'));
    // A payload that cannot be stored (BigInt does not serialise): this event must fail on its own.
    events[7] = event('chat-bad', 'u-bad', 'مرحبا', { n: 10n });
    const results = await Promise.allSettled(events.map((e) => gw.conversations.receive(e)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(19);
    expect(results[7]?.status).toBe('rejected');
    expect(count(`select count(*) n from messages where direction = 'in' and channel = 'telegram'`)).toBe(19);
    expect(count(`select count(*) n from contact_identities where address = 'chat-bad'`)).toBe(0);
    // Every stored event got its bot replies queued in the same commit.
    expect(count(`select count(distinct m.conversation_id) n from outbox o join messages m on m.id = o.message_id where m.channel = 'telegram'`)).toBe(19);
  });

  it('the same update delivered twice at once is stored and answered once', async () => {
    const e = event('chat-twice', 'u-twice', 'القائمة');
    const [a, b] = await Promise.all([gw.conversations.receive(e), gw.conversations.receive({ ...e })]);
    expect(a?.messageId).toBe(b?.messageId);
    expect([a?.duplicate, b?.duplicate].sort()).toEqual([false, true]);
    expect(count(`select count(*) n from messages m join contact_identities i on i.address = 'chat-twice' join conversations c on c.identity_id = i.id and m.conversation_id = c.id where m.direction = 'in'`)).toBe(1);
  });
});
