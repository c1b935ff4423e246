// Words for the file and words for the beneficiary: the bodies of status changes and decisions, the notice preview,
// and the assigned researcher, in the HTTP contract.
import { z } from 'zod';
import { IdParams, Timestamp } from './common.ts';

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
/** An application status id; the routes narrow it to the statuses the database knows (src/db may not be imported here). */
export const StatusId = z.string().min(1).max(40);

/** Internal: stored in the history, shown to officers only, never sent. */
export const InternalNote = text(1, 1000).describe('Internal note for the file; never sent to the beneficiary');
/** Sent to the beneficiary inside the standard notice, in their language as the officer wrote it. */
export const MessageToBeneficiary = text(1, 1000).describe('Sent to the beneficiary with the standard notice');

export const StatusChangeBody = z.object({
  status: StatusId,
  note: InternalNote.optional(),
  messageToBeneficiary: MessageToBeneficiary.optional(),
  documents: z.array(text(1, 200)).min(1).max(20).optional(),
});

export const DECISIONS = ['approved', 'rejected'] as const;
export const DecisionBody = z.object({
  decision: z.enum(DECISIONS),
  /** The committee's reasons, for the file only. */
  reasons: text(5, 2000).describe('The committee reasons; internal, never sent'),
  messageToBeneficiary: MessageToBeneficiary.optional(),
});

export const NoticePreviewBody = z
  .object({
    status: StatusId.optional(),
    decision: z.enum(DECISIONS).optional(),
    messageToBeneficiary: z.string().trim().max(1000).optional(),
    documents: z.array(text(1, 200)).min(1).max(20).optional(),
  })
  .refine((b) => (b.status === undefined) !== (b.decision === undefined), { message: 'send exactly one of "status" or "decision"' });

export const NoticePreview = z
  .object({
    text: z.string().describe('Exactly what the beneficiary will read'),
    language: z.enum(['ar', 'en']),
    channel: z.string().nullable().describe('The channel the notice will try first; null when the beneficiary cannot be reached'),
  })
  .meta({ id: 'NoticePreview' });

export const AssigneeBody = z.object({ officerId: z.string().min(1).max(100) });
export const Assignee = z.object({
  id: z.string(),
  reference: z.string(),
  assignedResearcherId: z.string().nullable(),
  assignedResearcherName: z.string().nullable(),
  updatedAt: Timestamp,
});

export const applicationWordsRoutes = {
  noticePreview: { params: IdParams, body: NoticePreviewBody, response: { 200: NoticePreview } },
  assignee: { params: IdParams, body: AssigneeBody, response: { 200: Assignee } },
} as const;

export type StatusChangeBody = z.infer<typeof StatusChangeBody>;
export type DecisionBody = z.infer<typeof DecisionBody>;
export type NoticePreview = z.infer<typeof NoticePreview>;
