// Answers in the contract's shapes (src/api): a field renamed there is a compile error in these fixtures too.
import type { InboxMessage, Delivery } from '../../src/api/inbox.ts';

export const inboxMessage = (over: Partial<InboxMessage> & Pick<InboxMessage, 'id'>): InboxMessage => ({
  conversationId: 'c1',
  channel: 'telegram',
  direction: 'in',
  sender: 'beneficiary',
  text: '',
  status: 'received',
  createdAt: '2024-09-14T11:00:00Z',
  ...over,
});

export const delivery = (over: Partial<Delivery> = {}): Delivery => ({ channel: 'sms', address: '********4567', status: 'sent', error: null, attempts: 1, updatedAt: '2024-09-14T11:00:00Z', ...over });
