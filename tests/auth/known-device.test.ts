// A stranger cannot lock an officer out: the sign-in delay is per email *and* IP, and guesses from many addresses
// delay only browsers the account never signed in on (the signed known-device cookie skips the per-account delay).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addOfficer, authTestApp, PASSWORD, signInRequest, type AuthTestApp } from './support.ts';

const EMAIL = 'amal@charity.org';
const OFFICE = '198.51.100.7';
// Failures per account from anywhere before new browsers wait (the default is 20; fewer keeps this file quick).
const ACCOUNT_FREE = 6;

let t: AuthTestApp;
beforeEach(async () => {
  t = await authTestApp({ freeFailures: { account: ACCOUNT_FREE } });
  await addOfficer(t, EMAIL);
});
afterEach(() => t.close());

const deviceCookieOf = (setCookie: string | string[] | undefined) => ([] as string[]).concat(setCookie ?? []).map((c) => /^(tawasul_device=[^;]+)/.exec(c)?.[1]).find((c) => c !== undefined);

/** A stranger guessing the officer's password from `n` different addresses (one guess each: no per-IP delay). */
async function guessesFromMany(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) expect((await signInRequest(t, EMAIL, `guess number ${i}`, {}, `203.0.113.${i + 1}`)).statusCode).toBe(401);
}

describe('sign-in delays a stranger cannot turn against the officer', () => {
  it('ten failures from one address delay that address only: the officer at the office signs in at once', async () => {
    for (let i = 0; i < 5; i += 1) expect((await signInRequest(t, EMAIL, `wrong ${i}`, {}, '203.0.113.66')).statusCode).toBe(401);
    expect((await signInRequest(t, EMAIL, PASSWORD, {}, '203.0.113.66')).statusCode).toBe(429);
    const office = await signInRequest(t, EMAIL, PASSWORD, {}, OFFICE);
    expect(office.statusCode, office.body).toBe(200);
    // …and the stranger's delay is still there.
    expect((await signInRequest(t, EMAIL, 'one more guess', {}, '203.0.113.66')).statusCode).toBe(429);
  }, 60_000);

  it('guesses spread over many addresses delay new browsers, but not one this account signed in on before', async () => {
    const first = await signInRequest(t, EMAIL, PASSWORD, {}, OFFICE);
    expect(first.statusCode).toBe(200);
    const device = deviceCookieOf(first.headers['set-cookie']);
    expect(device).toMatch(/^tawasul_device=[\w-]+\.\d+\.[\w-]{43}$/);

    await guessesFromMany(ACCOUNT_FREE);
    // A browser never used for this account (even at the office address) now waits…
    expect((await signInRequest(t, EMAIL, PASSWORD, {}, '192.0.2.10')).statusCode).toBe(429);
    // …the officer's own browser does not, from a new address too.
    const known = await signInRequest(t, EMAIL, PASSWORD, { cookie: device ?? '' }, '192.0.2.11');
    expect(known.statusCode, known.body).toBe(200);
  }, 90_000);

  it('a forged, altered or another officer\'s device cookie does not skip the delay', async () => {
    await addOfficer(t, 'huda@charity.org');
    const huda = deviceCookieOf((await signInRequest(t, 'huda@charity.org', PASSWORD, {}, OFFICE)).headers['set-cookie']) ?? '';
    const amal = deviceCookieOf((await signInRequest(t, EMAIL, PASSWORD, {}, OFFICE)).headers['set-cookie']) ?? '';
    const amalId = (await t.auth.findByEmail(EMAIL))?.id ?? '';
    await guessesFromMany(ACCOUNT_FREE);
    const [, issued = '', signature = ''] = amal.slice('tawasul_device='.length).split('.');
    const forged = [
      huda,
      `tawasul_device=${amalId}.${Number(issued) + 1}.${signature}`,
      `tawasul_device=${amalId}.${issued}.${signature.slice(0, -2)}AA`,
      `tawasul_device=${amalId}.${issued}`,
    ];
    for (const cookie of forged) expect((await signInRequest(t, EMAIL, PASSWORD, { cookie }, '192.0.2.20')).statusCode, cookie).toBe(429);
    // An old one no longer counts: 91 days later (the guesses have long been forgotten, so make fresh ones).
    t.advance(91 * 24 * 60 * 60 * 1000);
    await guessesFromMany(ACCOUNT_FREE);
    expect((await signInRequest(t, EMAIL, PASSWORD, { cookie: amal }, '192.0.2.21')).statusCode).toBe(429);
  }, 120_000);
});
