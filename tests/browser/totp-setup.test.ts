/// <reference lib="dom" />
// The second factor in Chromium, as a new officer meets it: after the password the Arabic walk-through shows the QR
// code and the key; a code computed from that key (otplib, as a phone app would) reaches the recovery codes and then
// the inbox; the next sign-in asks for a code; a reset by the admin sends the open inbox back to the sign-in screen.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRINGS } from '../inbox-ui/strings.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { createOfficerWithTotp, rememberFactor, totpCode } from '../support/officers.ts';
import { artifactPath, launchBrowser, signInInbox } from './support.ts';

const EMAIL = 'noura@example.org';
const PASSWORD = 'officer password 2026';
const ar = STRINGS.ar;
const toArabicDigits = (code: string) => code.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)] ?? d);

let gw: TestGateway;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  base = gw.url();
  browser = await launchBrowser();
  await gw.auth.createOfficer({ email: EMAIL, displayName: 'نورة العتيبي', role: 'officer', password: PASSWORD });
  await createOfficerWithTotp(gw, { email: 'admin2@example.org', displayName: 'عبدالعزيز المالكي', role: 'admin', password: 'admin password 2026' });
}, 90_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await gw?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ar-SA' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

async function passwordStep(page: Page): Promise<void> {
  await page.goto(`${base}/inbox`);
  await page.getByTestId('signin-email').fill(EMAIL);
  await page.getByTestId('signin-password').fill(PASSWORD);
  await page.getByTestId('signin-submit').click();
}

describe('the authenticator app walk-through', () => {
  let secret = '';

  it('after the password: QR and key in Arabic, a wrong code refused, the right one gives 10 recovery codes, then the inbox', async () => {
    const page = await newPage();
    await passwordStep(page);
    const setup = page.getByTestId('totp-setup');
    await setup.waitFor({ timeout: 15_000 });
    expect(await setup.locator('h1').textContent()).toBe(ar.totpTitle);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    // The QR code is a real picture the browser decoded.
    await expect.poll(() => page.getByTestId('totp-qr').evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(50);
    secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.screenshot({ path: artifactPath('totp-setup.png'), fullPage: true });
    // Nothing else is open yet: the inbox's sections are not shown.
    expect(await page.getByTestId('queue-waiting').count()).toBe(0);

    await page.getByTestId('totp-code').fill(totpCode(secret, new Date(Date.now() - 10 * 60_000)));
    await page.getByTestId('totp-confirm').click();
    await expect.poll(() => page.getByTestId('error').textContent(), { timeout: 10_000 }).toBe(`${ar.errTotp}×`);

    // Typed as an Arabic keyboard gives it.
    await page.getByTestId('totp-code').fill(toArabicDigits(totpCode(secret, new Date())));
    await page.getByTestId('totp-confirm').click();
    const codes = page.getByTestId('totp-recovery-codes').locator('li');
    await codes.first().waitFor({ timeout: 10_000 });
    expect(await codes.count()).toBe(10);
    const recoveryCodes = await codes.allTextContents();
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    rememberFactor(gw, (await gw.auth.findByEmail(EMAIL))?.id ?? '', { secret, recoveryCodes });
    await page.screenshot({ path: artifactPath('totp-recovery-codes.png'), fullPage: true });
    await page.getByTestId('totp-done').click();
    await page.getByTestId('queue-waiting').waitFor({ timeout: 15_000 });
    await page.getByTestId('signout').waitFor();
  }, 90_000);

  it('the next sign-in asks for the code after the password, refuses a wrong one, and opens the inbox with the right one', async () => {
    const page = await newPage();
    await passwordStep(page);
    const code = page.getByTestId('signin-totp');
    await code.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await page.getByTestId('error').textContent()).toBe(`${ar.totpNeeded}×`);
    await code.fill('000000');
    await page.getByTestId('signin-submit').click();
    await expect.poll(() => page.getByTestId('error').textContent(), { timeout: 10_000 }).toBe(`${ar.errTotp}×`);
    // The walk-through used this step's code: the app's next one.
    await code.fill(totpCode(secret, new Date(Date.now() + 30_000)));
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('queue-waiting').waitFor({ timeout: 15_000 });
  }, 60_000);

  it('when the session ends (the admin resets the second factor in the admin screen), the open inbox returns to sign-in', async () => {
    const officer = await newPage();
    await signInInbox(officer, gw, base, EMAIL, PASSWORD);
    await officer.getByTestId('queue-waiting').waitFor({ timeout: 15_000 });

    const admin = await newPage();
    await signInInbox(admin, gw, base, 'admin2@example.org', 'admin password 2026');
    await admin.goto(`${base}/inbox#/admin`);
    const row = admin.locator(`[data-testid="officer-row"]`, { hasText: EMAIL });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getByTestId('officer-totp').textContent()).toBe(ar.totpOn);
    await row.getByTestId('officer-totp-reset').click();
    await row.getByTestId('confirm-yes').click();
    await admin.getByTestId('totp-reset-done').waitFor({ timeout: 10_000 });
    await expect.poll(() => row.getByTestId('officer-totp').textContent(), { timeout: 10_000 }).toBe(ar.totpOff);
    expect(gw.audit.list({ limit: 20, action: 'auth.totp_reset' })).toHaveLength(1);

    // Nobody touches the officer's page: the live feed loses its session and the page goes back to sign-in.
    await officer.getByTestId('signin-email').waitFor({ timeout: 20_000 });
    expect(await officer.getByTestId('queue-waiting').count()).toBe(0);
    // And the password alone now leads to the walk-through again.
    await passwordStep(officer);
    await officer.getByTestId('totp-setup').waitFor({ timeout: 15_000 });
    // Without the phone at hand the officer can leave and come back later.
    await officer.getByTestId('totp-signout').click();
    await officer.getByTestId('signin-email').waitFor({ timeout: 10_000 });
    expect((await officer.context().cookies()).some((c) => c.name === 'tawasul_session')).toBe(false);
  }, 90_000);
});
