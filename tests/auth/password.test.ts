// Password hashing (scrypt, self-describing, constant-time verify), the password rules and one-time passwords.
import { describe, expect, it } from 'vitest';
import { generateOneTimePassword, hashPassword, SCRYPT_PARAMS, verifyPassword } from '../../src/auth/password.ts';
import { passwordProblems } from '../../src/auth/password-rules.ts';

describe('password hashing', () => {
  it('stores scrypt$N$r$p$salt$hash at the OWASP parameters, verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('كلمة مرور طويلة 2025');
    const parts = stored.split('$');
    expect(parts).toHaveLength(6);
    expect(parts.slice(0, 4)).toEqual(['scrypt', String(2 ** 17), '8', '1']);
    expect(SCRYPT_PARAMS).toEqual({ N: 131072, r: 8, p: 1 });
    expect(Buffer.from(parts[4] ?? '', 'base64url')).toHaveLength(16);
    expect(Buffer.from(parts[5] ?? '', 'base64url')).toHaveLength(64);
    expect(parts[4]).toMatch(/^[A-Za-z0-9_-]+$/);

    expect(await verifyPassword('كلمة مرور طويلة 2025', stored)).toEqual({ ok: true, needsRehash: false });
    expect((await verifyPassword('كلمة مرور طويلة 2024', stored)).ok).toBe(false);
    expect((await verifyPassword('', stored)).ok).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password!'), hashPassword('same password!')]);
    expect(a).not.toBe(b);
  });

  it('never matches a malformed or absurdly expensive stored hash', async () => {
    expect((await verifyPassword('x', 'plain-text')).ok).toBe(false);
    expect((await verifyPassword('x', 'scrypt$3$8$1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5')).ok).toBe(false);
    expect((await verifyPassword('x', `scrypt$${2 ** 24}$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5`)).ok).toBe(false);
  });

  it('asks for a rehash when an older hash used weaker parameters', async () => {
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const weak = `scrypt$16384$8$1$${salt.toString('base64url')}$${scryptSync('old password 1', salt, 64, { N: 16384, r: 8, p: 1 }).toString('base64url')}`;
    expect(await verifyPassword('old password 1', weak)).toEqual({ ok: true, needsRehash: true });
  });
});

const CHARITY = ['جمعية البر الخيرية النموذجية بحي الروضة', 'Al-Birr Model Charity Association, Al-Rawdah', 'جمعية البر النموذجية', 'Al-Birr Model Charity'];
const rules = (password: string, email = 'amal@charity.example.org') => passwordProblems(password, { email, charityNames: CHARITY });

describe('password rules', () => {
  it('refuses anything under 12 characters, counting characters (not UTF-16 units or bytes)', () => {
    expect(rules('short')).toEqual(['too_short']);
    expect(rules('Zq8#vLm2!pR')).toEqual(['too_short']);
    expect(rules('ظبيٌ نافرٌ')).toEqual(['too_short']);
    expect(rules('سماء زرقاء فوق الجبل')).toEqual([]);
  });

  it('refuses common, breached and patterned passwords', () => {
    for (const weak of ['password1234', 'Password123!', 'Qwerty123456789', 'aaaaaaaaaaaa', '123456789012', 'iloveyou1234']) expect(rules(weak), weak).toContain('too_common');
    expect(rules('a perfectly fine passphrase')).toEqual([]);
  });

  it("refuses passwords containing the officer's email or its local part", () => {
    expect(rules('Amal@Charity.example.org')).toContain('contains_email');
    expect(rules('amal-secret-garden-77')).toEqual(['contains_email']);
  });

  it("refuses passwords containing the charity's name, in Arabic or English", () => {
    expect(rules('my birr charity pass 99')).toEqual(['contains_charity_name']);
    expect(rules('Rawdah sunrise over dunes')).toEqual(['contains_charity_name']);
    // Letter variants (ة/ه, أ/ا) and spaces do not hide the name.
    expect(rules('كلمة سر النموذجيه ٢٠٢٦')).toEqual(['contains_charity_name']);
    // Words every charity shares are not the name.
    expect(rules('association of quiet owls')).toEqual([]);
  });

  it('one-time passwords are 16 unambiguous random characters that pass the rules', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const otp = generateOneTimePassword();
      expect(otp).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
      expect(rules(otp, 'a@b.org')).toEqual([]);
      seen.add(otp);
    }
    expect(seen.size).toBe(200);
  });
});
