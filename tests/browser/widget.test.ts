/// <reference lib="dom" />
// The widget in a real browser (Debian Chromium via playwright-core) against the real gateway on 127.0.0.1.
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { artifactPath, launchBrowser } from './support.ts';

let gw: TestGateway;
let base: string;
let browser: Browser;

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  base = gw.url();
  browser = await launchBrowser();
}, 60_000);

// Aggressive page CSS that a careless site might ship; the widget must look and work the same under it.
const HOSTILE_CSS = `<style id="hostile-css">
* { font-size: 40px !important; color: red !important; box-sizing: content-box !important }
button { display: none !important }
div { border: 5px solid lime !important }
</style>`;

/** The demo page as the gateway serves it (same headers and CSP), with HOSTILE_CSS added to its head. */
async function hostileDemo(page: Page): Promise<void> {
  await page.route(`${base}/`, async (route) => {
    const res = await route.fetch();
    const html = await res.text();
    if (!html.includes('</head>')) throw new Error('the demo page has no </head>');
    await route.fulfill({ response: res, body: html.replace('</head>', `${HOSTILE_CSS}\n</head>`) });
  });
  await page.goto(`${base}/`);
  // The fixture is really in force on the host page.
  expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('40px');
}

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

/** A real (tiny) PNG: the server checks the content, not the name. */
function png(): Buffer {
  const crc = (buf: Buffer) => {
    let c = ~0;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const raw = Buffer.from([0, 255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255, 0, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const bot = (page: Page) => page.locator('[data-testid="message"][data-direction="out"]');
const all = (page: Page) => page.locator('[data-testid="message"]');

async function botSays(page: Page, pattern: RegExp, timeout = 8000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const texts = await bot(page).allTextContents();
    const hit = texts.reverse().find((t) => pattern.test(t));
    if (hit !== undefined) return hit;
    if (Date.now() - started > timeout) throw new Error(`bot never said ${pattern}; last: ${texts.slice(0, 3).join(' | ')}`);
    await page.waitForTimeout(50);
  }
}

async function type(page: Page, text: string): Promise<void> {
  const before = await bot(page).count();
  await page.locator('[data-testid="composer"]').fill(text);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (n) => {
      const host = document.querySelector('tawasul-widget');
      return (host?.shadowRoot?.querySelectorAll('[data-testid="message"][data-direction="out"]').length ?? 0) > n;
    },
    before,
    { timeout: 8000 },
  );
}

async function choose(page: Page, id: string): Promise<void> {
  const before = await bot(page).count();
  await page.locator(`[data-testid="choice"][data-choice-id="${id}"]:not([disabled])`).last().click();
  await page.waitForFunction(
    (n) => (document.querySelector('tawasul-widget')?.shadowRoot?.querySelectorAll('[data-testid="message"][data-direction="out"]').length ?? 0) > n,
    before,
    { timeout: 8000 },
  );
}

describe('the widget on the demo page', () => {
  it('takes a whole Arabic application, keeps it across a reload, then checks its status in English', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ar-SA' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');

    await page.locator('[data-testid="launcher"]').click();
    await expect.poll(() => page.locator('[data-testid="panel"]').isVisible()).toBe(true);
    await page.locator('[data-choice-id="apply"]').first().waitFor({ timeout: 10_000 });
    // The composer takes the focus when the panel opens.
    expect(await page.evaluate(() => document.querySelector('tawasul-widget')?.shadowRoot?.activeElement?.getAttribute('data-testid'))).toBe('composer');

    await choose(page, 'apply');
    // The privacy notice (flows/privacy.yaml) comes before the first personal question: the visitor presses «أوافق».
    await botSays(page, /بياناتك الشخصية/);
    await choose(page, 'privacy_accept');
    await botSays(page, /اسمك/);
    await type(page, 'عبدالرحمن سعد القحطاني');
    await botSays(page, /رقم الهوية/);
    // A wrong national ID typed in Arabic-Indic digits is refused with the reason, then the right one is accepted.
    await type(page, '١٢٣٤٥٦٧٨٩٠');
    await botSays(page, /خطأ/);
    await type(page, '١٠٥٨٥٢٩٩٤٠');
    await botSays(page, /جوالك/);
    await type(page, '٠٥٥١٢٣٤٥٦٧');
    await botSays(page, /مدينة/);
    await type(page, 'الرياض');
    await botSays(page, /أفراد/);
    await type(page, '٥');
    await botSays(page, /دخل/);
    await type(page, '٢٥٠٠');
    await botSays(page, /السكن/);
    await choose(page, 'rented');
    await choose(page, 'food');
    await botSays(page, /الهوية الوطنية أو الإقامة لرب الأسرة/);

    // Upload the ID copy: the bot asks for a document, the upload goes through the file input.
    const beforeUpload = await bot(page).count();
    await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'هوية.png', mimeType: 'image/png', buffer: png() });
    await page.locator('[data-testid="attachment"]').first().waitFor({ timeout: 8000 });
    await expect.poll(() => bot(page).count(), { timeout: 8000 }).toBeGreaterThan(beforeUpload);
    await botSays(page, /يثبت دخل/);
    await choose(page, 'later');
    await botSays(page, /راجع بياناتك/);
    await choose(page, 'confirm');
    await botSays(page, /إقرار/);
    await choose(page, 'accept');
    const confirmation = await botSays(page, /TW-\d{4}-[0-9A-HJKMNP-TV-Z]{7}/);
    const reference = confirmation.match(/TW-\d{4}-[0-9A-HJKMNP-TV-Z]{7}/)?.[0] ?? '';
    expect(confirmation).toContain('لجنة البحث');
    // Inside the Arabic bubble the reference is its own left-to-right run that never breaks at a dash.
    const shown = await page.locator('[data-testid="reference"]').last();
    expect(await shown.textContent()).toBe(reference);
    expect(await shown.evaluate((el) => [el.tagName, el.getAttribute('dir'), getComputedStyle(el).whiteSpace])).toEqual(['BDI', 'ltr', 'nowrap']);

    // Stored for real: the application, with the uploaded ID copy linked to it.
    const app = gw.db.$client.prepare('select id, national_id from applications where reference = ?').get(reference) as { id: string; national_id: string };
    expect(app.national_id).toBe('1058529940');
    const docs = gw.db.$client.prepare('select mime from attachments where application_id = ?').all(app.id) as { mime: string }[];
    expect(docs).toEqual([{ mime: 'image/png' }]);

    await page.screenshot({ path: artifactPath('widget-open-ar.png') });

    // Reload: the whole history comes back.
    const count = await all(page).count();
    await page.reload();
    if (!(await page.locator('[data-testid="panel"]').isVisible())) await page.locator('[data-testid="launcher"]').click();
    await expect.poll(() => all(page).count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
    expect(await bot(page).allTextContents()).toContain(confirmation);

    // Switch to English, then check the status of the application.
    await page.locator('[data-testid="language-toggle"]').click();
    await botSays(page, /How can we help/);
    expect(await page.locator('tawasul-widget').evaluate((el) => el.shadowRoot?.querySelector('[dir]')?.getAttribute('dir'))).toBe('ltr');
    await choose(page, 'status');
    await botSays(page, /request number/i);
    await type(page, reference.toLowerCase());
    const status = await botSays(page, new RegExp(reference));
    expect(status).toMatch(/Status/);
    await page.screenshot({ path: artifactPath('widget-status-en.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('keeps working and looking right on a page with aggressive global CSS', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    await hostileDemo(page);
    const launcher = page.locator('[data-testid="launcher"]');
    await launcher.waitFor({ state: 'visible' });
    const box = await launcher.boundingBox();
    expect(box?.width).toBeGreaterThan(30);
    expect(box?.width).toBeLessThan(120);
    await launcher.click();
    await page.locator('[data-choice-id="enquiries"]').first().waitFor({ timeout: 10_000 });
    // The host's "* { font-size: 40px !important; color: red !important }" does not reach inside.
    const style = await page.locator('[data-testid="composer"]').evaluate((el) => {
      const s = getComputedStyle(el);
      return { size: s.fontSize, color: s.color };
    });
    expect(style.size).not.toBe('40px');
    expect(style.color).not.toBe('rgb(255, 0, 0)');
    await choose(page, 'enquiries');
    await botSays(page, /.+/);
    await page.screenshot({ path: artifactPath('widget-hostile-page.png') });
    await context.close();
  }, 60_000);

  it('fits a 360-px phone, works by keyboard alone and shows text as text', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.locator('[data-testid="launcher"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-choice-id="apply"]').first().waitFor({ timeout: 10_000 });
    const panel = await page.locator('[data-testid="panel"]').boundingBox();
    expect(panel?.width).toBeLessThanOrEqual(360);
    expect((panel?.x ?? -1) >= 0).toBe(true);
    await page.keyboard.type('<img src=x onerror="window.__pwned=1"> مرحبا');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="message"][data-direction="in"]').first().waitFor();
    const inbound = await page.locator('[data-testid="message"][data-direction="in"]').first().textContent();
    expect(inbound).toContain('<img src=x');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('tawasul-widget').evaluate((el) => el.shadowRoot?.querySelectorAll('img').length ?? 0)).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid="panel"]').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.querySelector('tawasul-widget')?.shadowRoot?.activeElement?.getAttribute('data-testid'))).toBe('launcher');
    await page.screenshot({ path: artifactPath('widget-phone-360.png') });
    await context.close();
  }, 60_000);
});
