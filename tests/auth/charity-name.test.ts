// The running gateway knows its charity's names: an admin cannot give an officer a password made of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({});
});
afterAll(async () => {
  await gw?.close();
});

describe('password rules in the gateway', () => {
  it("refuses the example charity's name in Arabic or English, and accepts a strong password", async () => {
    for (const password of ['Al-Birr Model 2026!', 'البر النموذجية ٢٠٢٦ جدة']) {
      const err = await gw.auth.createOfficer({ email: 'huda@example.org', displayName: 'هدى', role: 'officer', password }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAppError(err) && err.code, password).toBe('ERR_WEAK_PASSWORD');
      expect(String((err as Error).message)).toMatch(/charity/i);
    }
    const ok = await gw.auth.createOfficer({ email: 'huda@example.org', displayName: 'هدى', role: 'officer', password: 'quiet lantern orbit 2026' });
    expect(ok.officer.email).toBe('huda@example.org');
  });
});
