/// <reference lib="dom" />
// «طلب جديد» in Chromium, typed by keyboard alone in Arabic by an officer with a caller on the line: a mistyped
// national ID is flagged as it is typed, corrected, then the summary and declaration, and the saved reference.
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications } from '../../src/db/schema.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { artifactPath, launchBrowser, signInInbox } from './support.ts';

let gw: TestGateway;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  browser = await launchBrowser();
  await gw.auth.createOfficer({ email: 'huda@example.org', displayName: 'هدى الشمري', role: 'officer', password: 'officer password 2026' });
}, 90_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await gw?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'ar-SA' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await signInInbox(page, gw, gw.url(), email, password);
}

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? '');

describe('«طلب جديد» in the inbox', () => {
  it('is filled by keyboard in Arabic: a mistyped ID is flagged as typed, then summary, declaration, saved', async () => {
    const page = await newPage();
    await signIn(page, 'huda@example.org', 'officer password 2026');
    await page.getByTestId('nav-intake').click();
    await page.getByTestId('intake-form').waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await focusedTestId(page)).toBe('intake-fullName');

    await page.keyboard.type('مريم صالح الحربي');
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('intake-nationalId');
    // One digit wrong (the valid number is ١٠٥٨٥٢٩٩٤٠).
    await page.keyboard.type('١٠٥٨٥٢٩٩٤١');
    const idError = page.getByTestId('intake-error-nationalId');
    await expect.poll(() => idError.textContent(), { timeout: 5000 }).toMatch(/أحد أرقام الهوية كُتب خطأً/);
    expect(await page.getByTestId('intake-nationalId').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: artifactPath('inbox-intake-mistyped-id.png'), fullPage: true });
    await page.keyboard.press('Backspace');
    await page.keyboard.type('٠');
    await expect.poll(() => idError.textContent(), { timeout: 5000 }).toBe('');
    expect(await page.getByTestId('intake-nationalId').getAttribute('aria-invalid')).toBeNull();

    await page.keyboard.press('Tab');
    await page.keyboard.type('٠٥٥ ١٢٣ ٤٥٦٧');
    await page.keyboard.press('Tab');
    await page.keyboard.type('الرياض');
    await page.keyboard.press('Tab');
    await page.keyboard.type('٥');
    await page.keyboard.press('Tab');
    await page.keyboard.type('٣٠٠٠');
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('intake-housingType');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('intake-needType');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.type('اتصلت من جوال ابنها');
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('intake-continue');
    await page.keyboard.press('Enter');

    // The summary shows what will be stored (the mobile as E.164) and the declaration in the applicant's language.
    await page.getByTestId('intake-summary').waitFor();
    expect(await focusedTestId(page)).toBe('intake-summary-title');
    expect(await page.getByTestId('intake-summary-mobile').textContent()).toBe('+966551234567');
    expect(await page.getByTestId('intake-declaration').textContent()).toContain('أُقرّ بأن جميع البيانات التي قدّمتها صحيحة');
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('intake-method');
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('intake-agreed');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('intake-save');
    await page.screenshot({ path: artifactPath('inbox-intake-summary.png'), fullPage: true });
    await page.keyboard.press('Enter');

    const reference = page.getByTestId('intake-reference');
    await reference.waitFor({ timeout: 10_000 });
    const ref = (await reference.textContent()) ?? '';
    expect(ref).toMatch(/^TW-\d{4}-/);
    expect(await focusedTestId(page)).toBe('intake-open');
    const row = gw.db.select().from(applications).where(eq(applications.reference, ref)).get();
    expect(row).toMatchObject({ nationalId: '1058529940', mobile: '+966551234567', source: 'phone', declarationMethod: 'verbal_recorded', applicantName: 'مريم صالح الحربي' });
    expect(row?.answers).toMatchObject({ family_size: 5, monthly_income: 3000, housing_type: 'rented', need_type: 'food', notes: 'اتصلت من جوال ابنها' });
    // No SMS channel in this gateway: the officer is told to give the reference themselves.
    expect(await page.getByTestId('intake-notice').textContent()).toContain('بلّغه رقم الطلب');

    // Its page says how it came in and how, and by whom, the declaration was taken.
    await page.keyboard.press('Enter');
    await page.getByTestId('declaration-method').waitFor();
    expect(await page.getByTestId('declaration-method').textContent()).toBe('طريقة أخذ الإقرار: موافقة شفهية مسجّلة — هدى الشمري');
    expect(await page.getByTestId('application-source').textContent()).toBe('اتصال هاتفي');

    // The list marks how it came in and filters by it; the report counts it per way in and per branch.
    await page.getByTestId('nav-applications').click();
    await page.getByTestId('app-filter-source').selectOption('phone');
    await expect.poll(() => page.getByTestId('application-row').count(), { timeout: 5000 }).toBe(1);
    expect(await page.getByTestId('application-source').textContent()).toBe('اتصال هاتفي');
    await page.getByTestId('app-filter-source').selectOption('letter');
    await expect.poll(() => page.getByTestId('application-row').count(), { timeout: 5000 }).toBe(0);
    await page.getByTestId('app-filter-source').selectOption('');
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('report-by-source').waitFor();
    expect(await page.getByTestId('report-by-source').textContent()).toContain('اتصال هاتفي');
    expect(await page.getByTestId('report-by-branch').textContent()).toContain('بلا فرع (المقر)');

    // The caller's conversation (their notices) shows a call recorded from the pane, with who recorded it.
    const conv = gw.db.$client.prepare('select id from conversations where contact_id = ?').pluck().get(row?.contactId) as string;
    await page.goto(`${gw.url()}/inbox#/inbox/${conv}`);
    await page.getByTestId('interaction-summary').fill('اتصلت مرة أخرى تسأل عن المستندات');
    await page.getByTestId('interaction-summary').press('Enter');
    const item = page.getByTestId('interaction');
    await item.waitFor({ timeout: 10_000 });
    expect(await item.textContent()).toContain('مكالمة هاتفية');
    expect(await item.textContent()).toContain('هدى الشمري');
    expect(await item.textContent()).toContain('اتصلت مرة أخرى تسأل عن المستندات');
    await page.screenshot({ path: artifactPath('inbox-intake-interaction.png'), fullPage: true });

    // The same form in English.
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('nav-intake').click();
    await page.getByTestId('intake-form').waitFor();
    expect(await page.locator('label[for]').allTextContents()).toContain('Full name');
    await page.getByTestId('intake-nationalId').fill('1058529940');
    await page.getByTestId('intake-continue').click();
    await expect.poll(() => page.getByTestId('intake-error-mobile').textContent(), { timeout: 5000 }).toMatch(/^[^\u0600-\u06ff]*[A-Za-z]{3}/);
    await page.screenshot({ path: artifactPath('inbox-intake-en.png'), fullPage: true });

    // A walk-in who signed the paper form: saved, then the scan attached from the same screen.
    await page.getByTestId('intake-source').selectOption('walk_in');
    await page.getByTestId('intake-locale').selectOption('en');
    await page.getByTestId('intake-fullName').fill('Sarah Ahmed Alqahtani');
    await page.getByTestId('intake-nationalId').fill('2000000006');
    await page.getByTestId('intake-mobile').fill('+966 55 765 4321');
    await page.getByTestId('intake-city').fill('Dammam');
    await page.getByTestId('intake-familySize').fill('3');
    await page.getByTestId('intake-monthlyIncome').fill('0');
    await page.getByTestId('intake-housingType').selectOption('other');
    await page.getByTestId('intake-needType').selectOption('medical');
    await page.getByTestId('intake-continue').click();
    await page.getByTestId('intake-summary').waitFor();
    expect(await page.getByTestId('intake-method').inputValue()).toBe('signed_form');
    expect(await page.getByTestId('intake-declaration').textContent()).toContain('I declare that all the information');
    await page.getByTestId('intake-agreed').check();
    await page.getByTestId('intake-save').click();
    await page.getByTestId('intake-scan').setInputFiles({ name: 'declaration.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% signed\n%%EOF\n') });
    await expect.poll(() => page.getByTestId('intake-scan-status').textContent(), { timeout: 5000 }).toContain('scan was attached');
    const walkIn = gw.db.select().from(applications).where(eq(applications.nationalId, '2000000006')).get();
    expect(walkIn).toMatchObject({ source: 'walk_in', declarationMethod: 'signed_form', mobile: '+966557654321' });
    expect(walkIn?.declarationScanId).toBeTruthy();
  }, 90_000);
});
