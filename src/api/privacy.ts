// The privacy requests in the HTTP contract: what beneficiaries asked about their own data, and how staff close them.
import { z } from 'zod';
import { PRIVACY_REQUEST_KINDS } from '../core/privacy.ts';
import { IdParams, Timestamp } from './common.ts';

export const PrivacyRequestKind = z.enum(PRIVACY_REQUEST_KINDS);

export const PrivacyRequest = z
  .object({
    id: z.string(),
    reference: z.string(),
    kind: PrivacyRequestKind,
    status: z.enum(['open', 'closed']),
    contactId: z.string(),
    /** Who asked, as the inbox shows a beneficiary: their name when known, else the masked address. */
    contact: z.object({ displayName: z.string().nullable(), channel: z.string(), address: z.string() }),
    createdAt: Timestamp,
    /** PDPL: 30 days after the request. */
    dueAt: Timestamp,
    overdue: z.boolean(),
    closedAt: Timestamp.nullable(),
    closedBy: z.object({ id: z.string(), displayName: z.string() }).nullable(),
    outcome: z.string().nullable(),
  })
  .meta({ id: 'PrivacyRequest', description: 'A beneficiary’s request for a copy, erasure or correction of their own data.' });

export const PrivacyRequestList = z.object({ requests: z.array(PrivacyRequest) });

export const PrivacyCloseBody = z.object({ outcome: z.string().trim().min(3).max(2000).describe('What was done; sent to the beneficiary as written.') }).strict();

export const privacyRoutes = {
  list: { querystring: z.object({ status: z.enum(['open', 'closed', 'all']).default('open') }), response: { 200: PrivacyRequestList } },
  close: { params: IdParams, body: PrivacyCloseBody, response: { 200: z.object({ request: PrivacyRequest, notified: z.boolean() }) } },
} as const;

export type PrivacyRequest = z.infer<typeof PrivacyRequest>;
