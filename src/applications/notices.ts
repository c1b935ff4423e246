// What the beneficiary is told of a status change or a decision: the standard notice in their language, with the
// officer's or committee's message to them when one was written. Internal notes and reasons never come here.
import type { ApplicationStatus } from '../db/schema.ts';
import type { Json } from '../flows/types.ts';

export interface Notice {
  key: string;
  params: Record<string, Json>;
}

const withMessage = (params: Record<string, Json>, message: string | undefined) => (message ? { ...params, message } : params);

/** A status change (documents asked for when `documents` is given). */
export function statusNotice(reference: string, status: ApplicationStatus, message?: string, documents?: readonly Json[]): Notice {
  if (documents?.length) {
    return { key: message ? 'notify.documents_requested_message' : 'notify.documents_requested', params: withMessage({ reference, documents: [...documents] }, message) };
  }
  return { key: message ? 'notify.application_status_message' : 'notify.application_status', params: withMessage({ reference, status: { t: `status.${status}` } }, message) };
}

/** The committee's decision, approval and rejection alike: their message is included when they wrote one. */
export function decisionNotice(reference: string, decision: 'approved' | 'rejected', message?: string): Notice {
  if (decision === 'approved') return { key: message ? 'notify.application_approved_message' : 'notify.application_approved', params: withMessage({ reference }, message) };
  return { key: message ? 'notify.application_rejected_message' : 'notify.application_rejected', params: withMessage({ reference }, message) };
}
