// What a front end needs to show an application notice as a card: its kind, the reference, and for appointments
// the time and place (the text itself stays the one the beneficiary reads on every channel).
import type { Json } from '../flows/types.ts';

export type NoticeKind = 'status' | 'appointment' | 'decision';

const KINDS: Record<string, NoticeKind> = {
  'notify.interview_scheduled': 'appointment',
  'notify.visit_cancelled': 'appointment',
  'notify.application_approved': 'decision',
  'notify.application_approved_message': 'decision',
  'notify.application_rejected': 'decision',
  'notify.application_rejected_message': 'decision',
};

/** The card's data for a notify.* key with a reference; undefined for anything else. */
export function noticeOf(key: string, params: Record<string, Json>): Record<string, Json> | undefined {
  const reference = params.reference;
  if (!key.startsWith('notify.') || typeof reference !== 'string') return undefined;
  const when = params.when;
  const at = when && typeof when === 'object' && !Array.isArray(when) && typeof when.datetime === 'string' ? when.datetime : undefined;
  return {
    kind: KINDS[key] ?? 'status',
    reference,
    ...(key.endsWith('_cancelled') ? { cancelled: true } : {}),
    ...(at ? { when: at } : {}),
    ...(typeof params.place === 'string' ? { place: params.place } : {}),
  };
}
