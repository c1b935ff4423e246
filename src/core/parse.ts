// The one way a request's params, query or body become typed values: zod, and every problem named in one 400.
import type { z } from 'zod';
import { AppError } from './errors.ts';

/** Paths and rules only: the values (passwords among them) are never echoed back. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new AppError('ERR_VALIDATION', result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
}
