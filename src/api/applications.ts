// The applications' checklist in the HTTP contract: the items, setting one, tagging an uploaded document.
import { z } from 'zod';
import { CHECKLIST_STATES } from '../core/checklist.ts';
import { Timestamp } from './common.ts';

export const ChecklistItem = z
  .object({
    id: z.string().describe('A profile document id, or "interview" / "field_visit"'),
    kind: z.enum(['document', 'interview', 'field_visit']),
    label: z.string().describe("In the officer's language (Accept-Language; Arabic by default)"),
    labels: z.object({ ar: z.string(), en: z.string() }),
    required: z.boolean().describe('Whether the committee waits for it (the profile `eligibility` says so for the interview and visit)'),
    state: z.enum(CHECKLIST_STATES),
    requested: z.boolean().describe('Asked of the beneficiary when the case was marked incomplete, and not received since'),
    note: z.string().optional(),
    by: z.string().optional().describe("The officer's name (or beneficiary)"),
    at: Timestamp.optional(),
  })
  .meta({ id: 'ChecklistItem', description: 'One item of the eligibility checklist of an application.' });

const ChecklistParams = z.object({ id: z.string().min(1).max(100), itemId: z.string().min(1).max(60) });
const DocumentParams = z.object({ id: z.string().min(1).max(100), attachmentId: z.string().min(1).max(100) });

export const ChecklistInput = z.object({
  state: z.enum(['received', 'verified', 'done', 'waived']),
  note: z.string().trim().max(1000).optional().describe('Required (non-empty) to waive: the reason'),
});

export const applicationRoutes = {
  checklistSet: { params: ChecklistParams, body: ChecklistInput, response: { 200: z.object({ checklist: z.array(ChecklistItem) }) } },
  documentTag: {
    params: DocumentParams,
    body: z.object({ checklistItemId: z.string().min(1).max(60).nullable().describe('null removes the tag') }),
    response: { 200: z.object({ document: z.object({ id: z.string(), checklistItemId: z.string().nullable() }), checklist: z.array(ChecklistItem) }) },
  },
} as const;

export type ChecklistItem = z.infer<typeof ChecklistItem>;
export type ChecklistInput = z.infer<typeof ChecklistInput>;
