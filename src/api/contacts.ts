// The beneficiary's rights in the HTTP contract: the access copy, erasure with four eyes, correction of a field.
import { z } from 'zod';
import { IdParams, Timestamp } from './common.ts';

const reason = z.string().trim().min(3).max(1000);

export const ContactExport = z
  .object({
    contactId: z.string(),
    exportedAt: Timestamp,
    tables: z.record(z.string(), z.array(z.unknown())).describe('Rows per table as held; audit_log lists who viewed or changed the records, and when'),
  })
  .meta({ id: 'ContactExport', description: 'Everything held about one beneficiary (PDPL access copy).' });

export const ErasureOutcome = z
  .object({ id: z.string(), status: z.enum(['pending', 'done']), counts: z.record(z.string(), z.number()).optional().describe('Rows touched per table (never the values)') })
  .meta({ id: 'ErasureOutcome' });

export const ExportSendBody = z
  .object({ conversationId: z.uuid().optional().describe("One of the beneficiary's conversations; default: their latest open one on WhatsApp, Telegram or a signed-in web chat") })
  .strict();

export const ExportSent = z
  .object({
    fileName: z.string().describe('The PDF as the beneficiary receives it'),
    size: z.number().int().describe('Bytes'),
    message: z.object({ id: z.number().int().describe('The outbound message queued in the outbox'), conversationId: z.string(), channel: z.string() }),
  })
  .meta({ id: 'ExportSent', description: 'The access copy queued as a document in the beneficiary’s conversation.' });

export const PendingErasure = z
  .object({
    id: z.string(),
    contactId: z.string(),
    contactName: z.string().nullable(),
    reason: z.string(),
    requestedBy: z.object({ id: z.string(), name: z.string() }),
    requestedAt: Timestamp,
    mine: z.boolean().describe('The caller asked for it, so another admin must confirm it (four eyes)'),
  })
  .meta({ id: 'PendingErasure', description: 'An erasure waiting for a second admin’s confirmation.' });

export const CORRECTABLE_FIELDS = ['applicantName', 'nationalId', 'mobile', 'city', 'family_size', 'monthly_income', 'housing_type', 'need_type'] as const;

export const contactRoutes = {
  export: {
    params: IdParams,
    querystring: z.object({ files: z.enum(['1', '0', 'true', 'false']).optional().describe('1: a zip with export.json and the stored files'), format: z.enum(['json', 'html']).optional() }),
    response: { 200: ContactExport },
  },
  exportHtml: { params: IdParams },
  exportSend: { params: IdParams, body: ExportSendBody.nullish().describe("May be left out: the latest open conversation on a proving channel"), response: { 201: ExportSent } },
  pendingErasures: { response: { 200: z.object({ erasures: z.array(PendingErasure) }) } },
  erase: { params: IdParams, body: z.object({ reason }), response: { 200: ErasureOutcome, 202: ErasureOutcome } },
  confirmErasure: { params: IdParams, response: { 200: ErasureOutcome } },
  correct: {
    params: IdParams,
    body: z.object({ field: z.enum(CORRECTABLE_FIELDS), value: z.union([z.string().trim().min(1).max(200), z.number()]), reason }),
    response: { 200: z.object({ id: z.string(), reference: z.string(), field: z.string(), notified: z.boolean() }) },
  },
} as const;

export type ContactExport = z.infer<typeof ContactExport>;
