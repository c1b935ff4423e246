// The officers' second factor: enrolment (pending secret, confirmation, recovery codes), the check at sign-in, the reset.
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import { officers } from '../db/schema.ts';
import { decryptSecret, encryptSecret, type SecretKeys } from './secret-key.ts';
import { checkTotp, hashRecoveryCode, isTotpShape, newRecoveryCodes, newTotpSecret, normalizeCode, totpEnrolment } from './totp.ts';

export const TOTP_INVALID = 'The code is not correct, has expired or was already used.';

type OfficerRow = typeof officers.$inferSelect;

/** What the sign-in check found: a fresh TOTP step, or a recovery code that was still unused. */
export type SecondFactorProof = { kind: 'totp'; step: number } | { kind: 'recovery'; hash: string };

function storedHashes(row: Pick<OfficerRow, 'totpRecoveryCodes'>): string[] {
  if (!row.totpRecoveryCodes) return [];
  try {
    const parsed: unknown = JSON.parse(row.totpRecoveryCodes);
    return Array.isArray(parsed) ? parsed.filter((h): h is string => typeof h === 'string') : [];
  } catch {
    return [];
  }
}

export function createSecondFactor(db: Db, keys: SecretKeys, now: () => Date) {
  const find = (id: string) => db.select().from(officers).where(eq(officers.id, id)).get();
  const touch = (id: string, set: Partial<typeof officers.$inferInsert>) =>
    db.update(officers).set({ ...set, updatedAt: now().toISOString() }).where(eq(officers.id, id)).run();

  /** The secret in clear, or undefined when none is stored or it was encrypted under another key. */
  function secretOf(row: Pick<OfficerRow, 'id' | 'totpSecret'>): string | undefined {
    return row.totpSecret ? decryptSecret(keys, row.totpSecret, row.id) : undefined;
  }

  return {
    /** A new pending secret (replacing any earlier pending one); refused once a factor is confirmed. */
    async setup(officerId: string): Promise<{ secret: string; otpauthUri: string; qrSvg: string }> {
      const row = find(officerId);
      if (!row) throw new AppError('ERR_NOT_FOUND', 'No such officer.');
      if (row.totpEnabled) throw new AppError('ERR_CONFLICT', 'The authenticator app is already set up; an admin can reset it.');
      const secret = newTotpSecret();
      const enrolment = await totpEnrolment(secret, row.email);
      touch(officerId, { totpSecret: encryptSecret(keys, secret, officerId), totpLastStep: null, totpRecoveryCodes: null });
      return { secret, ...enrolment };
    },

    /** Confirms the pending secret with a code from the app; returns the recovery codes (shown this once). */
    async confirm(officerId: string, code: string): Promise<{ recoveryCodes: string[] }> {
      const row = find(officerId);
      if (!row) throw new AppError('ERR_NOT_FOUND', 'No such officer.');
      if (row.totpEnabled) throw new AppError('ERR_CONFLICT', 'The authenticator app is already set up; an admin can reset it.');
      const secret = secretOf(row);
      if (!secret) throw new AppError('ERR_CONFLICT', 'Start the set-up first: no authenticator secret is waiting for confirmation.');
      const step = await checkTotp(secret, normalizeCode(code), now(), null);
      if (step === undefined) throw new AppError('ERR_TOTP_INVALID', TOTP_INVALID);
      const recoveryCodes = newRecoveryCodes();
      const done = db
        .update(officers)
        .set({ totpEnabled: true, totpLastStep: step, totpRecoveryCodes: JSON.stringify(recoveryCodes.map(hashRecoveryCode)), updatedAt: now().toISOString() })
        // Only the secret this code was checked against: a set-up restarted meanwhile (another tab) wins.
        .where(and(eq(officers.id, officerId), eq(officers.totpEnabled, false), eq(officers.totpSecret, row.totpSecret ?? '')))
        .run();
      if (done.changes === 0) throw new AppError('ERR_CONFLICT', 'The set-up was restarted meanwhile; scan the new code.');
      return { recoveryCodes };
    },

    /** Checks a code against a confirmed factor without using it up (see `consume`); undefined when it is wrong. */
    async check(row: OfficerRow, input: string): Promise<SecondFactorProof | undefined> {
      const code = normalizeCode(input);
      if (isTotpShape(code)) {
        const secret = secretOf(row);
        const step = secret ? await checkTotp(secret, code, now(), row.totpLastStep) : undefined;
        return step === undefined ? undefined : { kind: 'totp', step };
      }
      const hash = hashRecoveryCode(code);
      return storedHashes(row).includes(hash) ? { kind: 'recovery', hash } : undefined;
    },

    /**
     * Uses up what `check` found, atomically (call inside the sign-in transaction): false when a parallel sign-in took
     * the same step or recovery code first, so no code ever opens two sessions.
     */
    consume(officerId: string, proof: SecondFactorProof): boolean {
      if (proof.kind === 'totp') {
        const lastStep = officers.totpLastStep;
        const done = db
          .update(officers)
          .set({ totpLastStep: proof.step })
          .where(and(eq(officers.id, officerId), eq(officers.totpEnabled, true), or(isNull(lastStep), lt(lastStep, proof.step))))
          .run();
        return done.changes > 0;
      }
      const row = find(officerId);
      const hashes = row ? storedHashes(row) : [];
      if (!row?.totpEnabled || !hashes.includes(proof.hash)) return false;
      touch(officerId, { totpRecoveryCodes: JSON.stringify(hashes.filter((h) => h !== proof.hash)) });
      return true;
    },

    /** Unused recovery codes left. */
    recoveryCodesLeft(row: Pick<OfficerRow, 'totpRecoveryCodes'>): number {
      return storedHashes(row).length;
    },

    /** Forgets the factor (secret, steps, recovery codes): the officer sets it up again at the next sign-in. */
    clear(officerId: string): void {
      touch(officerId, { totpSecret: null, totpEnabled: false, totpLastStep: null, totpRecoveryCodes: null });
    },
  };
}

export type SecondFactor = ReturnType<typeof createSecondFactor>;
