// In Chromium: what officers read. The application page names every field, value, status and channel in the page's
// language (no snake_case key, no channel id); the header keeps «تواصل» a word of its own; the audit log reads as
// sentences with names, in the officer's grammatical gender, and filters by action and beneficiary.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyViaWebchat, type Applicant } from '../applications/helpers.ts';
import { addOfficer, signIn, type AuthTestApp } from '../auth/support.ts';
import { officerSession } from '../letters/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { artifactPath, launchBrowser } from './support.ts';

let gw: TestGateway;
let browser: Browser;
let applicant: Applicant;

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  browser = await launchBrowser();
  applicant = await applyViaWebchat(gw, 'ar', { name: 'سلمى فهد' });
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

async function pageWith(headers: Record<string, string>, locale = 'ar-SA'): Promise<{ page: Page; done: () => Promise<void> }> {
  const [name = '', value = ''] = (headers.cookie ?? '').split('=');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  await context.addCookies([{ name, value, url: gw.url() }]);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return { page, done: () => context.close() };
}

/** The text as laid out (innerText: block boundaries become line breaks), which is what an officer reads. */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text, not the DOM's, is under test
const rendered = (l: Locator) => l.innerText();

const SNAKE = /\b[A-Za-z]+(?:_[A-Za-z]+)+\b/g;

describe('the application page', () => {
  it('shows every field, value, status and channel in Arabic, then in English, with no key on the page', { timeout: 60_000 }, async () => {
    const { page, done } = await pageWith(await officerSession(gw, 'officer'));
    try {
      await page.goto(`${gw.url()}/inbox#/applications/${applicant.applicationId}`);
      await page.getByTestId('application-status').waitFor({ timeout: 15_000 });
      await page.getByTestId('history-row').first().waitFor();
      const ar = await rendered(page.locator('main'));
      expect(ar.match(SNAKE) ?? []).toEqual([]);
      expect(ar).not.toMatch(/\bwebchat\b|\bchannel\b|\bcity\b|\btrue\b/);
      for (const words of ['المدينة', 'عدد أفراد الأسرة', 'دخل الأسرة الشهري', '٢٬٥٠٠ ريال', 'نوع السكن', 'إيجار', 'نوع الاحتياج', 'قناة التقديم', 'محادثة الموقع', 'سيرسلها المستفيد لاحقًا']) expect(ar).toContain(words);
      await page.screenshot({ path: artifactPath('inbox-application-words-ar.png'), fullPage: true });

      await page.getByTestId('lang-toggle').click();
      await expect.poll(() => rendered(page.locator('main')), { timeout: 10_000 }).toContain('Family size');
      const en = await rendered(page.locator('main'));
      expect(en.match(SNAKE) ?? []).toEqual([]);
      expect(en).not.toMatch(/\bwebchat\b/);
      for (const words of ['City', 'Family monthly income', 'SAR 2,500', 'Rented', 'Medical support', 'Applied through']) expect(en).toContain(words);
      expect(en).not.toContain('إيجار');
    } finally {
      await done();
    }
  });
});

describe('the header', () => {
  it('keeps the brand «تواصل» a word of its own on a desktop screen', { timeout: 60_000 }, async () => {
    const { page, done } = await pageWith(await officerSession(gw, 'officer'));
    try {
      await page.goto(`${gw.url()}/inbox`);
      const brand = page.getByTestId('brand');
      await brand.waitFor({ timeout: 15_000 });
      const text = await rendered(page.locator('header'));
      expect(text.split(/\s+/)).toContain('تواصل');
      // Isolated: the letters of the next word cannot join it.
      expect(await brand.locator('bdi').first().textContent()).toBe('تواصل');
    } finally {
      await done();
    }
  });
});

describe('the audit log', () => {
  it('reads as sentences with names, in her gender, and filters by action and by beneficiary', { timeout: 90_000 }, async () => {
    const t: AuthTestApp = { app: gw.app, db: gw.db, dir: gw.dir, auth: gw.auth, audit: gw.audit, advance: () => undefined, close: () => gw.close() };
    const admin = await officerSession(gw, 'admin');
    const email = `reem-${Date.now()}@birr.example.org`;
    const reem = await addOfficer(t, email, 'officer');
    await gw.app.inject({ method: 'PATCH', url: `/api/admin/officers/${reem.id}`, headers: admin, payload: { displayName: 'ريم الحربي', grammaticalGender: 'f' } });
    const s = await signIn(t, email);
    const asReem = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    const other = await applyViaWebchat(gw, 'ar', { name: 'خالد العتيبي' });
    for (const a of [applicant, other]) expect((await gw.app.inject({ method: 'GET', url: `/api/applications/${a.applicationId}`, headers: asReem })).statusCode).toBe(200);
    // A checklist item set: the log names the item and its state, not its id.
    expect((await gw.app.inject({ method: 'PUT', url: `/api/applications/${applicant.applicationId}/checklist/family_record`, headers: asReem, payload: { state: 'verified' } })).statusCode).toBe(200);

    // Her own header says «موظفة علاقات».
    const reemPage = await pageWith(asReem);
    try {
      await reemPage.page.goto(`${gw.url()}/inbox`);
      await reemPage.page.getByTestId('brand').waitFor({ timeout: 15_000 });
      expect(await rendered(reemPage.page.locator('header .who'))).toContain('موظفة علاقات');
    } finally {
      await reemPage.done();
    }

    const { page, done } = await pageWith(admin);
    try {
      await page.goto(`${gw.url()}/inbox#/admin/audit`);
      const sentences = page.getByTestId('audit-sentence');
      await sentences.first().waitFor({ timeout: 15_000 });
      const all = (await sentences.allInnerTexts()).join('\n');
      expect(all).toContain(`فتحت ريم الحربي الطلب ${applicant.reference} للمستفيد س*** ف**`);
      expect(all).toContain('دخلت ريم الحربي إلى النظام');
      expect(all).toContain(`حدّثت ريم الحربي قائمة التحقق في الطلب ${applicant.reference} للمستفيد س*** ف**: بند «سجل الأسرة» — تم التحقق`);
      expect(all).not.toContain('family_record');
      const list = await rendered(page.getByTestId('audit-list'));
      expect(list).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|application\.view|\{"/);
      expect(list).not.toContain('سلمى');

      await page.getByTestId('audit-filter-action').selectOption('application.view');
      await expect.poll(async () => (await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).every((a) => a === 'application.view'), { timeout: 10_000 }).toBe(true);

      await page.getByTestId('audit-row').filter({ hasText: applicant.reference }).getByTestId('audit-by-beneficiary').first().click();
      await expect.poll(() => rendered(page.getByTestId('audit-list')), { timeout: 10_000 }).not.toContain(other.reference);
      expect(await rendered(page.getByTestId('audit-filter-beneficiary'))).toContain('س*** ف**');
      expect(await rendered(page.getByTestId('audit-list'))).toContain(applicant.reference);
      await page.screenshot({ path: artifactPath('inbox-audit-sentences.png'), fullPage: true });
    } finally {
      await done();
    }
  });
});
