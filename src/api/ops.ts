// Operations in the HTTP contract: liveness and readiness for load balancers (no session, no personal data).
import { z } from 'zod';

export const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health', description: 'The process is alive (the database is not consulted).' });

export const LeaseState = z
  .object({
    mode: z.enum(['single', 'shared']).describe('single: one instance holds every lease; shared: instances take leases from the database'),
    held: z.array(z.string()).describe('What this instance runs now: outbox:<channel> (pacing its sender), source:<channel> (IMAP, WhatsApp Web, Telegram polling)'),
  })
  .meta({ id: 'LeaseState' });

export const Ready = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    database: z.enum(['ok', 'closed', 'unreachable']),
    migrations: z.enum(['ok', 'pending', 'unknown']).describe('unknown: the database could not be read'),
    /** Tags of shipped migrations the database lacks. */
    pendingMigrations: z.array(z.string()).optional(),
    leases: LeaseState,
  })
  .meta({ id: 'Ready', description: 'Whether this instance should get traffic: database reachable, every migration applied, its leases.' });

export const opsRoutes = {
  health: { summary: 'Liveness', response: { 200: Health } },
  ready: { summary: 'Readiness', response: { 200: Ready, 503: Ready } },
} as const;

export type Ready = z.infer<typeof Ready>;
export type LeaseState = z.infer<typeof LeaseState>;
