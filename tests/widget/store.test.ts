// The widget's message list: order, no duplicates, optimistic sends merged with the server's copies.
import { describe, expect, it } from 'vitest';
import { Store } from '../../web/widget/src/store.ts';
import type { MessageView } from '../../web/widget/src/types.ts';

const at = '2024-09-14T10:00:00.000Z';
const out = (id: number, text = `bot ${id}`, extra: Partial<MessageView> = {}): MessageView => ({ id, direction: 'out', sender: 'bot', text, status: 'sent', createdAt: at, ...extra });
const inn = (id: number, text: string, extra: Partial<MessageView> = {}): MessageView => ({ id, direction: 'in', sender: 'beneficiary', text, status: 'received', createdAt: at, ...extra });
const ids = (s: Store) => s.items().map((i) => i.msg.id);
const texts = (s: Store) => s.items().map((i) => i.msg.text);

describe('widget store', () => {
  it('orders by id whatever order messages arrive in, and advances the cursor', () => {
    const s = new Store();
    s.add([out(3), out(1)]);
    s.add([out(2)]);
    expect(ids(s)).toEqual([1, 2, 3]);
    expect(s.cursor).toBe(3);
  });

  it('never shows a message twice across history, reconnect backlog and polling', () => {
    const s = new Store();
    expect(s.add([out(1), out(2)]).map((m) => m.id)).toEqual([1, 2]);
    // The socket replays from an older cursor, polling overlaps it, a copy repeats inside one batch.
    expect(s.add([out(2), out(3), out(3)]).map((m) => m.id)).toEqual([3]);
    expect(s.add([out(1), out(2), out(3), out(4)]).map((m) => m.id)).toEqual([4]);
    expect(ids(s)).toEqual([1, 2, 3, 4]);
  });

  it('delivery status only moves forward', () => {
    const s = new Store();
    s.add([inn(1, 'hi', { status: 'read' })]);
    s.add([inn(1, 'hi', { status: 'received' })]);
    expect(s.items()[0]?.delivery).toBe('read');
  });

  it('shows an optimistic send, then the server copy in its place once the POST answers (ack first)', () => {
    const s = new Store();
    s.add([out(1)]);
    s.addLocal({ clientId: 'c1', text: 'مرحبا', createdAt: at });
    expect(s.items().map((i) => [i.key, i.delivery])).toEqual([['s1', undefined], ['cc1', 'sending']]);
    s.ack('c1', 2);
    expect(s.items()[1]).toMatchObject({ key: 'cc1', delivery: 'sent', msg: { id: 2 } });
    s.add([inn(2, 'مرحبا'), out(3)]);
    const items = s.items();
    expect(items.map((i) => [i.key, i.msg.id])).toEqual([['s1', 1], ['cc1', 2], ['s3', 3]]);
    expect(items[1]?.delivery).toBe('sent');
  });

  it('links an echo that arrives over the socket before the POST answers, without a visible duplicate', () => {
    const s = new Store();
    s.addLocal({ clientId: 'c1', text: 'hello ', createdAt: at });
    s.add([inn(5, 'hello'), out(6, 'reply')]);
    expect(texts(s)).toEqual(['hello', 'reply']);
    expect(s.items()[0]?.key).toBe('cc1');
    s.ack('c1', 5);
    expect(texts(s)).toEqual(['hello', 'reply']);
    s.add([inn(5, 'hello')]);
    expect(ids(s)).toEqual([5, 6]);
  });

  it('matches by clientId when the server echoes it', () => {
    const s = new Store();
    s.addLocal({ clientId: 'a', text: 'same', createdAt: at });
    s.addLocal({ clientId: 'b', text: 'same', createdAt: at });
    s.add([inn(7, 'same', { clientId: 'b' })]);
    expect(s.items().map((i) => [i.key, i.delivery])).toEqual([['cb', 'sent'], ['ca', 'sending']]);
  });

  it('the POST answer wins over a wrong guess when two identical sends cross', () => {
    const s = new Store();
    s.addLocal({ clientId: 'a', text: 'ok', createdAt: at });
    s.addLocal({ clientId: 'b', text: 'ok', createdAt: at });
    s.add([inn(10, 'ok')]); // guessed for a
    s.ack('b', 10); // but it was b's
    s.ack('a', 11);
    s.add([inn(11, 'ok')]);
    expect(s.items().map((i) => [i.key, i.msg.id])).toEqual([['cb', 10], ['ca', 11]]);
  });

  it('matches a choice echo by its label or id, and an upload echo by file name and size', () => {
    const s = new Store();
    s.addLocal({ clientId: 'c', text: 'تقديم طلب', choice: 'apply', createdAt: at });
    s.addLocal({ clientId: 'f', text: '', attachment: { name: 'id.pdf', mime: 'application/pdf', size: 1234 }, progress: 0.5, createdAt: at });
    s.add([inn(1, 'apply'), inn(2, '', { attachment: { id: 'x', name: 'id.pdf', mime: 'application/pdf', size: 1234 } })]);
    expect(s.items().map((i) => i.key)).toEqual(['cc', 'cf']);
  });

  it('failed sends can be retried; a failure after the echo arrived is ignored', () => {
    const s = new Store();
    s.addLocal({ clientId: 'c1', text: 'one', createdAt: at });
    s.fail('c1');
    expect(s.items()[0]?.delivery).toBe('failed');
    expect(s.retry('c1')?.state).toBe('sending');
    expect(s.items()[0]?.delivery).toBe('sending');

    s.addLocal({ clientId: 'c2', text: 'two', createdAt: at });
    s.add([inn(4, 'two')]);
    s.fail('c2'); // the POST timed out, but the server had stored it
    expect(s.items().find((i) => i.key === 'cc2')?.delivery).toBe('sent');
  });

  it('a refused send disappears; upload progress is carried until the answer', () => {
    const s = new Store();
    s.addLocal({ clientId: 'big', text: 'x'.repeat(10), createdAt: at });
    s.remove('big');
    expect(s.items()).toEqual([]);
    s.addLocal({ clientId: 'u', text: '', attachment: { name: 'a.png', mime: 'image/png', size: 10 }, progress: 0, createdAt: at });
    s.progress('u', 0.4);
    expect(s.items()[0]?.progress).toBe(0.4);
    s.ack('u', 9);
    expect(s.items()[0]).toMatchObject({ delivery: 'sent', msg: { id: 9 } });
    expect(s.items()[0]?.progress).toBeUndefined();
  });

  it('keeps optimistic sends after every server message until their copy arrives', () => {
    const s = new Store();
    s.addLocal({ clientId: 'c1', text: 'first', createdAt: at });
    s.add([out(1, 'officer says', { sender: 'officer', senderName: 'سارة' })]);
    expect(texts(s)).toEqual(['officer says', 'first']);
  });

  it('counts unread replies after the last seen id and finds what the bot expects', () => {
    const s = new Store();
    s.add([out(1), inn(2, 'x'), out(3, 'ID?', { expects: 'saudi_national_id' }), out(4, 'more')]);
    expect(s.unreadAfter(2)).toBe(2);
    expect(s.unreadAfter(4)).toBe(0);
    expect(s.latestOut()?.id).toBe(4);
    s.add([out(5, 'upload', { expects: 'document' }), inn(6, 'later')]);
    expect(s.latestOut()?.expects).toBe('document');
  });

  it('clear() forgets everything, including the cursor', () => {
    const s = new Store();
    s.add([out(1)]);
    s.addLocal({ clientId: 'c', text: 't', createdAt: at });
    s.clear();
    expect(s.items()).toEqual([]);
    expect(s.cursor).toBe(0);
  });
});
