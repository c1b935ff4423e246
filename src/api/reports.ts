// The relations office's report in the HTTP contract: conversations per channel and Riyadh day, waiting time to the
// first officer reply, recognition, satisfaction and today's applications. Imports only zod.
import { z } from 'zod';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');
const counts = z.record(z.string(), z.number().int());
const ratio = z.number().nullable();

export const Report = z
  .object({
    period: z.object({ from: z.string(), to: z.string(), timeZone: z.literal('Asia/Riyadh') }),
    conversations: z.object({
      total: z.number().int(),
      channels: z.array(z.string()),
      totals: counts.describe('Per channel'),
      days: z.array(z.object({ day: z.string(), total: z.number().int(), channels: counts })).describe('Every day of the period, dense'),
    }),
    waitingTime: z.object({ count: z.number().int(), unanswered: z.number().int(), medianSeconds: ratio, p90Seconds: ratio }),
    recognition: z.object({
      messages: z.number().int(),
      recognised: z.number().int(),
      rate: ratio,
      weeks: z.array(z.object({ week: z.string().describe('The Sunday it starts'), messages: z.number().int(), recognised: z.number().int(), rate: ratio })),
    }),
    satisfaction: z.object({
      count: z.number().int(),
      average: ratio,
      distribution: z.object({ 1: z.number().int(), 2: z.number().int(), 3: z.number().int(), 4: z.number().int(), 5: z.number().int() }),
      byServiceType: z.array(z.object({ serviceType: z.string(), count: z.number().int(), average: ratio })).describe('Ratings given after a delivered service, per service type'),
    }),
    applications: z.object({
      byStatus: counts,
      total: z.number().int(),
      created: z.number().int().describe('Submitted in the period'),
      overdue: z.number().int(),
      bySource: counts,
      byBranch: z.array(z.object({ branchId: z.string().nullable(), count: z.number().int() })),
    }),
  })
  .meta({ id: 'Report' });

export const reportRoutes = {
  report: { querystring: z.object({ from: day.optional(), to: day.optional() }), response: { 200: Report } },
} as const;

export type Report = z.infer<typeof Report>;
