// Personal-data incidents in the HTTP contract: recorded by admins, with SDAIA's 72-hour deadline.
import { z } from 'zod';
import { IdParams, Timestamp } from './common.ts';

export const Incident = z
  .object({
    id: z.string(),
    what: z.string(),
    discoveredAt: Timestamp,
    affectedContactIds: z.array(z.string()),
    actions: z.string(),
    recordedBy: z.string(),
    createdAt: Timestamp,
    notifiedAt: Timestamp.nullable(),
    notifiedCount: z.number().int(),
    sdaiaDeadline: Timestamp.describe('discoveredAt + 72 hours: when SDAIA must have been told'),
    overdue: z.boolean(),
  })
  .meta({ id: 'Incident' });

export const incidentRoutes = {
  create: {
    body: z.object({
      what: z.string().trim().min(3).max(4000),
      discoveredAt: z.iso.datetime({ offset: true }),
      affectedContactIds: z.array(z.uuid()).max(100_000),
      actions: z.string().trim().min(1).max(4000),
    }),
    response: { 201: z.object({ incident: Incident }) },
  },
  list: { response: { 200: z.object({ incidents: z.array(Incident) }) } },
  notify: { params: IdParams, body: z.object({ message: z.string().trim().min(1).max(2000).optional() }).optional(), response: { 200: z.object({ incident: Incident, notified: z.number().int() }) } },
} as const;
