/// <reference lib="dom" />
// In Chromium on the demo page: an application notice (an appointment) arrives as a distinct card, not a faint
// system line; its reference stays on one line at a narrow width; the date is Hijri with Gregorian, with the place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations } from '../../src/db/schema.ts';
import { desc, eq } from 'drizzle-orm';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { artifactPath, launchBrowser } from './support.ts';
import type { Browser } from 'playwright-core';

let gw: TestGateway;
let browser: Browser;

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

describe('notices in the widget', () => {
  it('renders an appointment as a card with the reference on one line, Hijri and Gregorian date, and the place', async () => {
    const context = await browser.newContext({ viewport: { width: 340, height: 720 }, locale: 'ar-SA' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${gw.url()}/`);
    await page.locator('[data-testid="launcher"]').click();
    await page.locator('[data-choice-id="apply"]').first().waitFor({ timeout: 10_000 });
    const conv = gw.db.select().from(conversations).where(eq(conversations.channel, 'webchat')).orderBy(desc(conversations.createdAt)).get();
    if (!conv) throw new Error('no web chat conversation');

    // The real notice path (the application service's notify), as a scheduled interview sends it.
    await gw.conversations.notify(conv.contactId, 'notify.interview_scheduled', {
      kind: { t: 'notify.kind_interview' },
      reference: 'TW-1448-00001',
      when: { datetime: '2026-12-06T07:30:00.000Z' },
      place: 'مقر الجمعية — حي الملز، الرياض',
    });
    const card = page.locator('[data-testid="message"][data-notice="appointment"]');
    await card.waitFor({ timeout: 10_000 });
    // A card, not a grey system line: it has a border and its own head.
    expect(await card.evaluate((el) => el.classList.contains('nt') && !el.classList.contains('sys'))).toBe(true);
    expect(await card.evaluate((el) => getComputedStyle(el).borderInlineStartWidth)).toBe('4px');
    expect(await card.locator('[data-testid="notice-head"]').textContent()).toContain('موعد');

    // Every reference in the card (the head and the text) keeps to one line.
    const refs = card.locator('bdi[data-testid="reference"]');
    expect(await refs.count()).toBeGreaterThanOrEqual(2);
    for (const box of await refs.evaluateAll((els) => els.map((e) => ({ rects: e.getClientRects().length, text: e.textContent, lh: parseFloat(getComputedStyle(e).lineHeight), h: e.getBoundingClientRect().height })))) {
      expect(box.text).toBe('TW-1448-00001');
      expect(box.rects).toBe(1);
      // One line box: an inline box broken over two lines would be about two line heights tall.
      expect(box.h).toBeLessThan(box.lh * 1.6);
    }
    const when = (await card.locator('[data-testid="notice-when"]').textContent()) ?? '';
    expect(when).toContain('هـ');
    expect(when).toContain('ديسمبر');
    expect(await card.locator('[data-testid="notice-place"]').textContent()).toContain('حي الملز');
    await card.screenshot({ path: artifactPath('widget-notice-card.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
