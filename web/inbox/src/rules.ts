// Small decisions the screens share: list order, which actions a conversation offers, delivery marks, next statuses.
import type { ApplicationDetail, ConversationSummary, Queue } from './types.ts';

/** Oldest waiting first in «بانتظار موظف»; otherwise the most recent message first. */
export function sortForQueue(list: ConversationSummary[], queue: Queue): ConversationSummary[] {
  const last = (c: ConversationSummary) => Date.parse(c.lastMessage?.createdAt ?? '') || 0;
  const waited = (c: ConversationSummary) => c.waitingSinceMs ?? Number.MAX_SAFE_INTEGER;
  return [...list].sort(queue === 'waiting' ? (a, b) => waited(a) - waited(b) : (a, b) => last(b) - last(a));
}

export interface ConversationActions {
  take: boolean;
  refer: boolean;
  handBack: boolean;
  close: boolean;
  reply: 'ok' | 'locked' | 'closed';
}

/** What an officer may try on a conversation; the server has the last word (a 409 names who holds it). */
export function actionsFor(c: { status: string; assignedOfficer?: { id: string } }, meId: string): ConversationActions {
  if (c.status === 'closed') return { take: false, refer: false, handBack: false, close: false, reply: 'closed' };
  const mine = c.status === 'officer' && c.assignedOfficer?.id === meId;
  return { take: !mine, refer: mine, handBack: mine, close: true, reply: mine ? 'ok' : 'locked' };
}

/** ✓ sent, ✓✓ delivered or read, ! failed, … still queued; nothing for inbound messages. */
export function deliveryMark(status: string): string {
  switch (status) {
    case 'queued':
    case 'pending':
      return '…';
    case 'sent':
      return '✓';
    case 'delivered':
    case 'read':
      return '✓✓';
    case 'failed':
    case 'undelivered':
      return '!';
    default:
      return '';
  }
}

export const APPLICATION_STATUSES = ['new', 'incomplete', 'under_study', 'committee', 'approved', 'rejected', 'service_delivered', 'closed'] as const;

/**
 * Used only when the server does not send `allowedNextStatuses` with the application; a 409 on a change
 * replaces it with the server's list. approved / rejected come from the committee's decision form.
 */
const FALLBACK_NEXT: Record<string, string[]> = {
  new: ['incomplete', 'under_study', 'closed'],
  incomplete: ['under_study', 'closed'],
  under_study: ['incomplete', 'committee', 'closed'],
  committee: ['under_study'],
  approved: ['service_delivered', 'closed'],
  rejected: ['closed'],
  service_delivered: ['closed'],
  closed: [],
};

export function nextStatuses(d: Pick<ApplicationDetail, 'allowedNext' | 'application'>): string[] {
  return d.allowedNext ?? FALLBACK_NEXT[d.application.status] ?? [];
}
