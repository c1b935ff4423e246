/// <reference lib="dom" />
// In Chromium: an admin opens «رسائل لم يفهمها البوت», sees what visitors typed grouped with its count, picks the
// intent it meant and adds it with one click; the next visitor typing it is answered, without a restart. In English
// the same page reads left to right. Steps that collect personal data show only the step and a count.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { artifactPath, launchBrowser, signInInbox } from './support.ts';

let gw: TestGateway;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** A new web chat visitor types each text (or presses each choice) in turn; returns the bot's texts. */
async function visitorSays(...inputs: (string | { choice: string })[]): Promise<string[]> {
  const session = await fetch(`${base}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'ar' }) });
  const { token } = (await session.json()) as { token: string };
  for (const input of inputs) {
    const body = JSON.stringify(typeof input === 'string' ? { text: input } : input);
    const res = await fetch(`${base}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    expect(res.status).toBe(202);
  }
  const history = await fetch(`${base}/api/webchat/messages`, { headers: { authorization: `Bearer ${token}` } });
  return ((await history.json()) as { messages: { direction: string; text: string }[] }).messages.filter((m) => m.direction === 'out').map((m) => m.text);
}

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  base = gw.url();
  browser = await launchBrowser();
  await gw.auth.createOfficer({ email: 'admin2@example.org', displayName: 'عبدالعزيز المالكي', role: 'admin', password: 'admin password 2026' });
}, 90_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await gw?.close();
});

async function signedIn(email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ar-SA' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await signInInbox(page, gw, base, email, password);
  return page;
}

describe('misses page', () => {
  it('lists what the bot missed, grouped, and one click teaches it to the running bot', async () => {
    const first = await visitorSays('السلام عليكم', 'كم عمر المبنى؟');
    expect(first.at(-2)).toContain('لم تتضح لي رسالتك');
    await visitorSays('مرحبا', 'كـم عُمر المبنى');
    // The intake shows the privacy notice (flows/privacy.yaml) before the name question; the visitor presses «أوافق».
    const intake = await visitorSays('السلام عليكم', 'ابي اقدم طلب', { choice: 'privacy_accept' }, 'محمد ١٠٥٨٥٢٩٩٤٠');
    expect(intake.join('\n')).toContain('بياناتك الشخصية');

    const page = await signedIn('admin2@example.org', 'admin password 2026');
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-misses').click();
    const row = page.getByTestId('miss-row').filter({ hasText: 'المبنى' });
    await row.waitFor({ timeout: 10_000 });
    expect(await page.locator('h1').textContent()).toBe('الإدارة — رسائل لم يفهمها البوت');
    expect(await row.getByTestId('miss-count').textContent()).toBe('٢');
    expect(await page.getByTestId('miss-personal').textContent()).toContain('apply.ask_name');
    expect(await page.locator('body').textContent()).not.toContain('١٠٥٨٥٢٩٩٤٠');

    const add = row.getByTestId('miss-add');
    expect(await add.isDisabled()).toBe(true);
    await row.getByTestId('miss-intent').selectOption('about');
    await add.click();
    await page.getByTestId('miss-added').filter({ hasText: 'عن الجمعية' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('miss-row').filter({ hasText: 'المبنى' }).count()).toBe(0);
    await page.screenshot({ path: artifactPath('inbox-misses.png') });

    // The bot learnt it while running: the next visitor gets the answer about the charity, not «لم تتضح لي».
    const after = await visitorSays('السلام عليكم', 'كم عمر المبنى؟');
    expect(after.join('\n')).not.toContain('لم تتضح لي رسالتك');
    expect(after.join('\n')).toContain('تخدم الأسر المحتاجة في حي الروضة');

    // The reports show how many typed messages the bot understood this week (admins see reports too).
    await page.getByTestId('nav-reports').click();
    const recognition = page.getByTestId('report-recognition');
    await recognition.waitFor({ timeout: 10_000 });
    const rows = await recognition.locator('tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const rates = await recognition.locator('tbody td[data-value]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
    expect(rates.some((r) => r > 0 && r < 1)).toBe(true);
    expect(await recognition.locator('tbody').textContent()).toMatch(/[٠-٩]+٪/);
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-misses').click();

    // The same page in English reads left to right.
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('admin-misses').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Admin — Messages the bot missed');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
  });
});
