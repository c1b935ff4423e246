// The inbox's delivery pieces without a browser: the rerouted sentence, reading deliveries and dead letters, the
// dead-letters and file calls, and live events that must not wipe what the conversation view knew.
import { describe, expect, it } from 'vitest';
import { adaptConversationDetail, adaptFailed } from '../../web/inbox/src/adapt.ts';
import type { ConversationDetail, FailedDelivery } from '../../src/api/inbox.ts';
import { createApi, type Method } from '../../web/inbox/src/api.ts';
import { delivery, inboxMessage } from './contract-fixtures.ts';
import { failureReason, rerouteLines, shortAddress, via } from '../../web/inbox/src/delivery-text.ts';
import { upsertMessage } from '../../web/inbox/src/events.ts';
import { STRINGS } from './strings.ts';
import { parseHash, resolve, toHash } from '../../web/inbox/src/router.ts';
import type { Delivery } from '../../web/inbox/src/types.ts';

const ar = STRINGS.ar;
const en = STRINGS.en;
const WINDOW = 'outside the 24-hour window: WhatsApp allows only an approved template';
const at = '2026-03-01T08:00:00.000Z';
const d = (channel: string, address: string, status: string, error?: string): Delivery => ({ channel, address, status, ...(error ? { error } : {}), attempts: 1, updatedAt: at });
// The address is wrapped in left-to-right isolates so «•••4567» keeps its order inside Arabic.
const plain = (t: string) => t.replace(/[\u2066\u2069]/g, '');

describe('the rerouted line', () => {
  it('says which channel failed and why, and which one carried the message to where', () => {
    const lines = rerouteLines([d('whatsapp', '********4567', 'rerouted', WINDOW), d('sms', '********4567', 'sent')], ar);
    expect(lines).toHaveLength(1);
    expect(plain(lines[0]?.text ?? '')).toBe('تعذّر الإرسال عبر واتساب (انتهت مهلة ٢٤ ساعة)، فأُرسلت برسالة نصية إلى •••4567');
    expect(lines[0]?.text).toContain('\u2066•••4567\u2069');
    expect(lines[0]?.title).toBe(WINDOW);
    const english = rerouteLines([d('whatsapp', '********4567', 'rerouted', WINDOW), d('sms', '********4567', 'sent')], en);
    expect(plain(english[0]?.text ?? '')).toBe('Could not send on WhatsApp (the 24-hour window had closed), so it was sent by SMS to •••4567');
  });

  it('follows the next channel: on its way, failed too, rerouted again, or nothing yet; an unknown reason stays in the tooltip', () => {
    expect(plain(rerouteLines([d('whatsapp', '*1234', 'rerouted', 'boom'), d('sms', '*1234', 'pending')], ar)[0]?.text ?? '')).toBe('تعذّر الإرسال عبر واتساب، وهي في الطريق برسالة نصية إلى •••1234');
    expect(plain(rerouteLines([d('whatsapp', '*1234', 'rerouted'), d('sms', '*1234', 'failed', 'Twilio 21610')], ar)[0]?.text ?? '')).toBe('تعذّر الإرسال عبر واتساب، ثم تعذّر برسالة نصية إلى •••1234 أيضًا');
    const chain = rerouteLines([d('telegram', '****', 'rerouted', 'Forbidden: bot was blocked by the user'), d('whatsapp', '*5678', 'rerouted', WINDOW), d('sms', '*5678', 'sent')], ar);
    expect(chain.map((l) => plain(l.text))).toEqual([
      'تعذّر الإرسال عبر تيليجرام (حظر المستفيد الحساب)، فحُوّلت عبر واتساب إلى •••5678',
      'تعذّر الإرسال عبر واتساب (انتهت مهلة ٢٤ ساعة)، فأُرسلت برسالة نصية إلى •••5678',
    ]);
    const alone = rerouteLines([d('whatsapp', '*1', 'rerouted')], ar)[0];
    expect(alone).toEqual({ text: 'تعذّر الإرسال عبر واتساب', title: ar.noError });
    expect(rerouteLines([d('sms', '*1', 'sent'), d('webchat', 'x', 'failed', 'x')], ar)).toEqual([]);
  });

  it('names channels from the texts, and shortens masked addresses', () => {
    expect(via(ar, 'sms')).toBe('برسالة نصية');
    expect(via(en, 'email')).toBe('by email');
    expect(via(ar, 'fax')).toBe('عبر fax');
    expect(shortAddress('********4567')).toBe('•••4567');
    expect(shortAddress('****')).toBe('••••');
    expect(shortAddress('webchat-1')).toBe('webchat-1');
    expect(failureReason('WhatsApp send failed: 400 (#131047) Re-engagement message')).toBe('window_closed');
    expect(failureReason('fake permanent failure')).toBeUndefined();
    expect(failureReason(undefined)).toBeUndefined();
  });
});

describe('reading deliveries', () => {
  it('reads the deliveries of each message, and leaves them out when the server sent none', () => {
    const base: ConversationDetail = {
      conversation: { id: 'c1', status: 'officer', channel: 'whatsapp', locale: 'ar', createdAt: at },
      contact: { id: 'k1', displayName: null, locale: 'ar', identities: [], preferredChannel: null, reachableChannels: [] },
      history: [],
      historyTruncated: false,
      notes: [],
      applications: [],
      interactions: [],
    };
    const detail = adaptConversationDetail({
      ...base,
      history: [
        inboxMessage({ id: 5, direction: 'out', sender: 'officer', text: 'موعدك', status: 'sent', deliveries: [delivery({ channel: 'whatsapp', status: 'rerouted', error: WINDOW, updatedAt: at }), delivery({ attempts: 2, updatedAt: at })] }),
        inboxMessage({ id: 6, text: 'شكرًا' }),
      ],
    });
    expect(detail.messages[0]?.deliveries).toEqual([
      { channel: 'whatsapp', address: '********4567', status: 'rerouted', error: WINDOW, attempts: 1, updatedAt: at },
      { channel: 'sms', address: '********4567', status: 'sent', error: undefined, attempts: 2, updatedAt: at },
    ]);
    expect(detail.messages[1]?.deliveries).toBeUndefined();
    // A live echo of the same message (no deliveries) keeps what the view knew.
    const live = adaptConversationDetail({ ...base, history: [inboxMessage({ id: 5, direction: 'out', sender: 'officer', text: 'موعدك', status: 'delivered' })] }).messages[0];
    const merged = upsertMessage(detail.messages, live ?? detail.messages[0]!);
    expect(merged[0]?.status).toBe('delivered');
    expect(merged[0]?.deliveries).toHaveLength(2);
  });

  it('reads the dead letters', () => {
    expect(adaptFailed({ failed: [{ messageId: 12, conversationId: 'c1', channel: 'telegram', address: '**8080', error: 'blocked', updatedAt: at, text: 'موعدك', contactName: 'هند' }, { messageId: 13, conversationId: 'c2', channel: 'sms', address: '****', error: null, updatedAt: at, text: '', contactName: null }] } satisfies { failed: FailedDelivery[] })).toEqual([
      { messageId: '12', conversationId: 'c1', channel: 'telegram', address: '**8080', error: 'blocked', updatedAt: at, text: 'موعدك', contactName: 'هند' },
      { messageId: '13', conversationId: 'c2', channel: 'sms', address: '****', error: undefined, updatedAt: at, text: '', contactName: undefined },
    ]);
  });
});

describe('calls', () => {
  it('lists dead letters, retries one, and sends a file as multipart with its caption, reporting progress', async () => {
    const calls: { method: Method; path: string; body?: unknown }[] = [];
    const uploads: { path: string; caption: unknown; file?: { name: string; size: number } }[] = [];
    const progress: number[] = [];
    const api = createApi(
      async (method, path, body) => {
        calls.push(body === undefined ? { method, path } : { method, path, body });
        return path === '/api/inbox/failed' ? { failed: [{ messageId: 3, conversationId: 'c', channel: 'sms', address: '*1', updatedAt: at }] } : { requeued: 1 };
      },
      () => 0,
      async (path, form, onProgress) => {
        const file = form.get('file');
        uploads.push({ path, caption: form.get('caption'), ...(file instanceof File ? { file: { name: file.name, size: file.size } } : {}) });
        onProgress?.(0.5);
        onProgress?.(1);
        return { message: { id: 9, direction: 'out', sender: 'officer', text: 'نموذج', attachment: { id: 'a9', name: 'نموذج.pdf', mime: 'application/pdf', size: 4 }, createdAt: at, deliveries: [] } };
      },
    );
    expect((await api.failed()).map((f) => f.messageId)).toEqual(['3']);
    await api.retryMessage('3');
    const m = await api.sendFile('c 1', new Blob(['%PDF']), 'نموذج.pdf', 'نموذج', (p) => progress.push(p));
    expect(calls).toEqual([
      { method: 'GET', path: '/api/inbox/failed' },
      { method: 'POST', path: '/api/inbox/messages/3/retry' },
    ]);
    expect(uploads).toEqual([{ path: '/api/inbox/conversations/c%201/files', caption: 'نموذج', file: { name: 'نموذج.pdf', size: 4 } }]);
    expect(progress).toEqual([0.5, 1]);
    expect(m).toMatchObject({ id: '9', conversationId: 'c 1', attachment: { name: 'نموذج.pdf', url: '/api/inbox/conversations/c%201/attachments/a9' }, deliveries: [] });
    // No caption, no caption field.
    await api.sendFile('c1', new Blob(['%PDF']), 'a.pdf', '');
    expect(uploads[1]?.caption).toBeNull();
  });
});

describe('the dead-letters route', () => {
  it('is #/deliveries, for the roles that work conversations', () => {
    expect(parseHash('#/deliveries')).toEqual({ name: 'deliveries' });
    expect(parseHash('#/deliveries/x')).toBeUndefined();
    expect(toHash({ name: 'deliveries' })).toBe('#/deliveries');
    expect(resolve('#/deliveries', 'officer')).toEqual({ name: 'deliveries' });
    expect(resolve('#/deliveries', 'researcher')).toEqual({ name: 'deliveries' });
    expect(resolve('#/deliveries', 'committee')).toEqual({ name: 'applications' });
  });
});
