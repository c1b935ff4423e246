// In Chromium: a researcher assigned a case sees the live alert (a polite live region) and the case in «حالاتي»;
// the first admin without a name is asked for it at first sign-in, and the inbox opens once it is saved.
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/auth/first-admin.ts';
import { officers } from '../../src/db/schema.ts';
import { applyViaWebchat } from '../applications/helpers.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { createOfficerWithTotp, enrolTotp, signInOfficer } from '../support/officers.ts';
import { silentLogger } from '../auth/support.ts';
import { artifactPath, launchBrowser, signInInbox } from './support.ts';

const PASSWORD = 'correct horse battery';
let gw: TestGateway;
let browser: Browser;

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  browser = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ar-SA' });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

describe('assignment in the inbox', () => {
  it('alerts the researcher live and shows the case in «حالاتي»', async () => {
    const researcher = await createOfficerWithTotp(gw, { email: 'reem@charity.test', displayName: 'ريم الحربي', role: 'researcher', grammaticalGender: 'f', password: PASSWORD });
    await createOfficerWithTotp(gw, { email: 'huda@charity.test', displayName: 'هدى الشمري', role: 'officer', password: PASSWORD });
    const officer = await signInOfficer(gw, 'huda@charity.test', PASSWORD);
    const applicant = await applyViaWebchat(gw, 'ar', { name: 'نورة سعد' });
    const page = await newPage();
    try {
      await signInInbox(page, gw, gw.url(), 'reem@charity.test', PASSWORD);
      // The live feed is open once the server holds this researcher's stream.
      await page.locator('[data-live="true"]').waitFor({ state: 'attached', timeout: 15_000 });
      const res = await gw.app.inject({ method: 'PUT', url: `/api/applications/${applicant.applicationId}/assignee`, headers: officer, payload: { officerId: researcher.id } });
      expect(res.statusCode, res.body).toBe(200);

      const alert = page.getByTestId('assignment-alert');
      await alert.waitFor({ state: 'visible', timeout: 15_000 });
      expect(await alert.getAttribute('aria-live')).toBe('polite');
      expect(await alert.textContent()).toContain(applicant.reference);
      await page.screenshot({ path: artifactPath('inbox-assignment-alert.png') });
      await page.getByTestId('assignment-open').click();
      await page.getByTestId('application-row').first().waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('app-tab-mine').getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByTestId('application-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual([applicant.applicationId]);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('asks the first admin for a name at first sign-in and stores it', async () => {
    const first = await ensureFirstAdmin({ auth: gw.auth, logger: silentLogger });
    // Officers exist already in this gateway: create the placeholder-named admin the way a fresh install does.
    const email = first?.email ?? 'admin@localhost.test';
    if (!first) await createOfficerWithTotp(gw, { email, displayName: 'Administrator', role: 'admin', password: PASSWORD });
    const id = gw.db.select().from(officers).where(eq(officers.email, email)).get()?.id ?? '';
    if (first) {
      await gw.auth.changePassword(id, first.oneTimePassword, PASSWORD);
      await enrolTotp(gw, id);
    }
    const headers = await signInOfficer(gw, email, PASSWORD);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ar-SA' });
    const [name = '', value = ''] = headers.cookie.split('=');
    await context.addCookies([{ name, value, url: gw.url() }]);
    const page = await context.newPage();
    try {
      await page.goto(`${gw.url()}/inbox`);
      const ask = page.getByTestId('ask-name');
      await ask.waitFor({ timeout: 15_000 });
      expect(await page.locator('h1').textContent()).toBe('مرحبًا بك في تواصل');
      await ask.fill('سارة العتيبي');
      await page.getByTestId('ask-name-submit').click();
      await page.getByTestId('signout').waitFor({ timeout: 15_000 });
      expect(await page.locator('.who').textContent()).toContain('سارة العتيبي');
      expect(gw.db.select().from(officers).where(eq(officers.id, id)).get()?.displayName).toBe('سارة العتيبي');
    } finally {
      await context.close();
    }
  }, 60_000);
});
