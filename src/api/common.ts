// Shapes every area of the HTTP contract shares: the error body, ids in paths, timestamps.
import { z } from 'zod';
import { OFFICER_ROLES } from '../core/roles.ts';

/** Every 4xx/5xx answer: a stable code and a sentence for people. */
export const ErrorBody = z
  .object({ error: z.object({ code: z.string().describe('A stable ERR_… code'), message: z.string() }) })
  .meta({ id: 'Error', description: 'Every error answer: {"error": {"code", "message"}} with a 4xx or 5xx status.' });

export const IdParams = z.object({ id: z.string().min(1).max(100) });

/** ISO 8601 time in UTC, as the server writes it. */
export const Timestamp = z.string().describe('ISO 8601, UTC');

/** Officer roles, as the server knows them. */
export const OfficerRole = z.enum(OFFICER_ROLES);

/** The answer of a route that answers 204 No Content. */
export const NoContent = z.null().describe('No content');
