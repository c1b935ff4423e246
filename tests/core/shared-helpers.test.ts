// The helpers that used to be written several ways: constant-time secrets, Retry-After, zod → 400.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isAppError } from '../../src/core/errors.ts';
import { parseInput } from '../../src/core/parse.ts';
import { parseRetryAfter } from '../../src/core/retry-after.ts';
import { sameSecret } from '../../src/core/secrets.ts';

describe('sameSecret', () => {
  it('accepts only the same secret, whatever the lengths, as strings or bytes', () => {
    expect(sameSecret('s3cret-token', 's3cret-token')).toBe(true);
    expect(sameSecret('s3cret-token', 's3cret-tokeN')).toBe(false);
    expect(sameSecret('s3cret', 's3cret-token')).toBe(false);
    expect(sameSecret('', 's3cret')).toBe(false);
    expect(sameSecret(Buffer.from('ab', 'hex'), Buffer.from('ab', 'hex'))).toBe(true);
    expect(sameSecret(Buffer.from('ab', 'hex'), Buffer.from('abcd', 'hex'))).toBe(false);
    expect(sameSecret('كلمة', 'كلمة')).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-12-03T08:00:00Z');
  it('reads seconds and HTTP dates, and nothing else', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
    expect(parseRetryAfter('Thu, 03 Dec 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 03 Dec 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBe(0);
    for (const bad of [null, undefined, '', '  ', 'soon']) expect(parseRetryAfter(bad, now)).toBeUndefined();
  });
});

describe('parseInput', () => {
  const schema = z.object({ email: z.string().email(), age: z.number().int() });
  it('returns typed values, or one 400 naming every bad field without echoing values', () => {
    expect(parseInput(schema, { email: 'a@b.org', age: 3 })).toEqual({ email: 'a@b.org', age: 3 });
    try {
      parseInput(schema, { email: 'my-secret-password', age: 'x' });
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('ERR_VALIDATION');
      const message = (err as Error).message;
      expect(message).toMatch(/email/);
      expect(message).toMatch(/age/);
      expect(message).not.toContain('my-secret-password');
    }
    expect(() => parseInput(schema, undefined)).toThrow(/email/);
  });
});
