// The live stream's events, the reconnect schedule, and the rules the inbox screens share.
import { describe, expect, it } from 'vitest';
import { backoffDelay, parseLiveEvent, upsertMessage } from '../../web/inbox/src/events.ts';
import { actionsFor, deliveryMark, nextStatuses, sortForQueue } from '../../web/inbox/src/rules.ts';
import type { ConversationSummary, Message } from '../../web/inbox/src/types.ts';
import { inboxMessage } from './contract-fixtures.ts';

const msg = (id: string, createdAt: string, extra: Partial<Message> = {}): Message => ({ id, conversationId: 'c1', channel: 'webchat', direction: 'out', sender: 'officer', text: id, status: 'queued', createdAt, ...extra });

describe('live events', () => {
  it('reads conversation and message events', () => {
    expect(parseLiveEvent('conversation', '{"id":"c1","status":"waiting","assignedOfficerId":null}')).toEqual({ type: 'conversation', id: 'c1', status: 'waiting', assignedOfficerId: undefined });
    expect(parseLiveEvent('conversation', '{"id":"c1","status":"officer","assignedOfficerId":"o1"}')).toMatchObject({ assignedOfficerId: 'o1' });
    const m = parseLiveEvent('message', JSON.stringify({ conversationId: 'c1', message: inboxMessage({ id: 5, text: 'مرحبا', createdAt: '2024-09-14T10:00:00Z' }) }));
    expect(m).toMatchObject({ type: 'message', conversationId: 'c1', message: { id: '5', conversationId: 'c1', sender: 'beneficiary', text: 'مرحبا' } });
  });

  it('ignores what it cannot read', () => {
    expect(parseLiveEvent('conversation', 'not json')).toBeNull();
    expect(parseLiveEvent('conversation', '{}')).toBeNull();
    expect(parseLiveEvent('message', '{"conversationId":"c1","message":{}}')).toBeNull();
    expect(parseLiveEvent('message', '{"conversationId":"c1","message":{"id":"5","text":"x"}}')).toBeNull();
    expect(parseLiveEvent('ping', '{}')).toBeNull();
  });

  it('backs off from about 1 s to at most 30 s, never below half the nominal delay', () => {
    expect(backoffDelay(1, () => 0)).toBe(500);
    expect(backoffDelay(1, () => 1)).toBe(1000);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(20, () => 1)).toBe(30_000);
    expect(backoffDelay(20, () => 0)).toBe(15_000);
    expect(backoffDelay(0, () => 0.5)).toBe(750);
  });

  it('merges messages by id: the echo of our reply and later delivery states replace, new ones append in time order', () => {
    let list = [msg('1', '2024-09-14T10:00:00Z'), msg('2', '2024-09-14T10:01:00Z')];
    list = upsertMessage(list, msg('2', '2024-09-14T10:01:00Z', { status: 'delivered' }));
    expect(list.map((m) => [m.id, m.status])).toEqual([
      ['1', 'queued'],
      ['2', 'delivered'],
    ]);
    list = upsertMessage(list, msg('3', '2024-09-14T10:02:00Z'));
    list = upsertMessage(list, msg('0', '2024-09-14T09:59:00Z'));
    expect(list.map((m) => m.id)).toEqual(['0', '1', '2', '3']);
  });
});

describe('shared rules', () => {
  const conv = (id: string, waitingSinceMs?: number, last?: string): ConversationSummary => ({ id, status: 'waiting', channel: 'webchat', contact: { id, displayName: id }, waitingSinceMs, lastMessage: last ? { text: '', direction: 'in', createdAt: last } : undefined });

  it('lists the oldest waiting first, and otherwise the latest message first', () => {
    const list = [conv('b', 2000, '2024-09-14T10:00:00Z'), conv('a', 1000, '2024-09-14T09:00:00Z'), conv('c', undefined, '2024-09-14T11:00:00Z')];
    expect(sortForQueue(list, 'waiting').map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(sortForQueue(list, 'open').map((c) => c.id)).toEqual(['c', 'b', 'a']);
  });

  it('offers take-over unless it is mine; reply, refer and hand-back only when it is mine; nothing once closed', () => {
    expect(actionsFor({ status: 'waiting' }, 'o1')).toEqual({ take: true, refer: false, handBack: false, close: true, reply: 'locked' });
    expect(actionsFor({ status: 'officer', assignedOfficer: { id: 'o1' } }, 'o1')).toEqual({ take: false, refer: true, handBack: true, close: true, reply: 'ok' });
    expect(actionsFor({ status: 'officer', assignedOfficer: { id: 'o2' } }, 'o1')).toMatchObject({ take: true, reply: 'locked' });
    expect(actionsFor({ status: 'closed', assignedOfficer: { id: 'o1' } }, 'o1')).toEqual({ take: false, refer: false, handBack: false, close: false, reply: 'closed' });
  });

  it('marks delivery states', () => {
    expect(['queued', 'sent', 'delivered', 'read', 'failed', 'received'].map(deliveryMark)).toEqual(['…', '✓', '✓✓', '✓✓', '!', '']);
  });

  it("offers the server's next statuses when it sends them, the fallback table otherwise", () => {
    const application = { id: 'a', reference: 'r', applicantName: 'n', nationalId: 'x', status: 'new', createdAt: '', overdue: false, possibleDuplicate: false };
    expect(nextStatuses({ application, allowedNext: ['closed'] })).toEqual(['closed']);
    expect(nextStatuses({ application })).toEqual(['incomplete', 'under_study', 'closed']);
    expect(nextStatuses({ application: { ...application, status: 'closed' } })).toEqual([]);
    expect(nextStatuses({ application: { ...application, status: 'mystery' } })).toEqual([]);
  });
});
