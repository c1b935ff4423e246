/// <reference lib="dom" />
// In Chromium: the data protection officer opens «طلبات البيانات», sees a beneficiary's request with its deadline in
// Hijri and Gregorian, writes what was done and closes it; the beneficiary is told in their conversation.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/db/schema.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { launchBrowser, signInInbox } from './support.ts';

let gw: TestGateway;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  base = gw.url();
  browser = await launchBrowser();
  await gw.auth.createOfficer({ email: 'dpo@example.org', displayName: 'هند الشهري', role: 'privacy', grammaticalGender: 'f', password: 'privacy password 2026' });
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

describe('privacy requests page', () => {
  it('lists a request with its Hijri and Gregorian deadline and closes it, telling the beneficiary', async () => {
    const session = await fetch(`${base}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'ar' }) });
    const { token } = (await session.json()) as { token: string };
    const sent = await fetch(`${base}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ text: 'احذفوا بياناتي' }) });
    expect(sent.status).toBe(202);

    const page = await signedIn('dpo@example.org', 'privacy password 2026');
    await page.getByTestId('nav-privacy').click();
    const row = page.getByTestId('privacy-row');
    await row.first().waitFor();
    const text = (await row.first().textContent()) ?? '';
    expect(text).toMatch(/PR-1448-/);
    const due = (await page.getByTestId('privacy-due').first().textContent()) ?? '';
    // «… ١٤٤٨ هـ (… ٢٠٢٦ م)»: the Hijri date with the Gregorian beside it.
    expect(due).toMatch(/هـ/);
    // The deadline is 30 days from today, in the Gregorian year that day falls in (Arabic-Indic or Latin digits).
    const year = String(new Date(Date.now() + 30 * 86_400_000).getUTCFullYear());
    const arabic = year.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)] ?? d);
    expect(due).toMatch(new RegExp(`${arabic}|${year}`));
    await page.getByTestId('privacy-outcome').first().fill('حذفنا رسائلك وبيانات التواصل.');
    await page.getByTestId('privacy-close').first().click();
    await page.getByTestId('privacy-empty').waitFor({ state: 'visible' });
    expect(await page.getByTestId('privacy-closed').textContent()).toMatch(/PR-1448-/);
    const told = gw.db.select().from(messages).all().filter((m) => (m.payload as { key?: string } | null)?.key === 'privacy.closed');
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain('حذفنا رسائلك وبيانات التواصل.');
  }, 60_000);
});
