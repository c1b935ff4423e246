// In Chromium: an admin finds the example charity's shipped tools on the admin pages, edits one and deletes another.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerSession } from '../letters/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { artifactPath, launchBrowser } from './support.ts';

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

async function adminPage(): Promise<{ page: Page; done: () => Promise<void> }> {
  const headers = await officerSession(gw, 'admin');
  const [name = '', value = ''] = (headers.cookie ?? '').split('=');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ar-SA' });
  await context.addCookies([{ name, value, url: gw.url() }]);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return { page, done: () => context.close() };
}

describe('the shipped officer tools on the admin pages', () => {
  it('lists the four tools of the policy; an admin edits one and deletes another', { timeout: 60_000 }, async () => {
    const { page, done } = await adminPage();
    try {
      await page.goto(`${gw.url()}/inbox#/admin/knowledge`);
      const rows = page.getByTestId('knowledge-row');
      await rows.first().waitFor({ timeout: 15_000 });
      const text = (await rows.allTextContents()).join('\n');
      for (const t of ['اللائحة الأساسية للجمعية', 'دليل خدمات البحث الاجتماعي', 'دليل سياسة الدعم للمستفيدين', 'طلب دعم مستفيد']) expect(text).toContain(t);
      // The category column speaks Arabic, never the stored key.
      expect(text).toContain('النماذج');
      expect(text).not.toMatch(/research_guide|support_policy|\bforms\b/);
      const total = await rows.count();

      const bylaws = rows.filter({ hasText: 'اللائحة الأساسية للجمعية' });
      await bylaws.getByRole('button', { name: 'تعديل' }).click();
      await page.getByTestId('knowledge-title').fill('اللائحة الأساسية للجمعية (معدّلة ١٤٤٨هـ)');
      await page.getByTestId('knowledge-save').click();
      await expect.poll(() => rows.filter({ hasText: 'معدّلة ١٤٤٨هـ' }).count(), { timeout: 10_000 }).toBe(1);

      const form = rows.filter({ hasText: 'طلب دعم مستفيد' });
      await form.getByRole('button', { name: 'حذف' }).click();
      await page.getByTestId('confirm-yes').click();
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(total - 1);
      expect(await rows.filter({ hasText: 'طلب دعم مستفيد' }).count()).toBe(0);
      await page.screenshot({ path: artifactPath('inbox-shipped-knowledge.png') });

      await page.goto(`${gw.url()}/inbox#/admin/canned`);
      const canned = page.getByTestId('canned-row');
      await canned.first().waitFor({ timeout: 15_000 });
      expect(await canned.count()).toBeGreaterThanOrEqual(10);
      expect((await canned.allTextContents()).join('\n')).toContain('لا تقل عن أسبوعين');
    } finally {
      await done();
    }
    // What the page did is what the server keeps.
    const headers = await officerSession(gw, 'admin');
    const articles = (await gw.app.inject({ method: 'GET', url: '/api/admin/knowledge', headers })).json().articles as { title: string }[];
    expect(articles.map((a) => a.title)).toContain('اللائحة الأساسية للجمعية (معدّلة ١٤٤٨هـ)');
    expect(articles.map((a) => a.title)).not.toContain('طلب دعم مستفيد');
  });
});
