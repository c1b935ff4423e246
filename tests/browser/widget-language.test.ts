/// <reference lib="dom" />
// The widget follows the conversation's language: typing «عربي» in an English chat (or "English" in an Arabic one)
// switches the bot and the widget's own frame — its strings and direction — in a real Chromium on the demo page.
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

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

const bot = (page: Page) => page.locator('[data-testid="message"][data-direction="out"]');
const frameDir = (page: Page) => page.locator('tawasul-widget').evaluate((el) => el.shadowRoot?.querySelector('[dir]')?.getAttribute('dir'));
const placeholder = (page: Page) => page.locator('[data-testid="composer"]').getAttribute('placeholder');
const toggle = (page: Page) => page.locator('[data-testid="language-toggle"]').textContent();

async function type(page: Page, text: string, reply: RegExp): Promise<void> {
  await page.locator('[data-testid="composer"]').fill(text);
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await bot(page).allTextContents()).some((t) => reply.test(t)), { timeout: 8000 }).toBe(true);
}

describe('the widget follows the conversation language', () => {
  it('switches its frame to Arabic when «عربي» is typed in an English chat, and back on "English"', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    await page.locator('[data-testid="launcher"]').click();
    await page.locator('[data-choice-id="apply"]').first().waitFor({ timeout: 10_000 });
    expect(await frameDir(page)).toBe('rtl');

    // Typed, not the language button: the bot switches, and the frame follows it.
    await type(page, 'English', /How can we help/);
    await expect.poll(() => frameDir(page), { timeout: 5000 }).toBe('ltr');
    expect(await placeholder(page)).toBe('Type your message…');
    expect(await toggle(page)).toBe('ع');

    await type(page, 'عربي', /كيف يمكننا خدمتك/);
    await expect.poll(() => frameDir(page), { timeout: 5000 }).toBe('rtl');
    expect(await placeholder(page)).toBe('اكتب رسالتك…');
    expect(await toggle(page)).toBe('EN');
    await page.screenshot({ path: artifactPath('widget-follows-arabic.png') });

    // A reload keeps the conversation's language.
    await page.reload();
    if (!(await page.locator('[data-testid="panel"]').isVisible())) await page.locator('[data-testid="launcher"]').click();
    await expect.poll(() => frameDir(page), { timeout: 8000 }).toBe('rtl');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('exposes the conversation language in the history and on each bot message', async () => {
    const session = await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: { locale: 'en' } });
    const headers = { authorization: `Bearer ${(session.json() as { token: string }).token}` };
    const read = async () => (await gw.app.inject({ method: 'GET', url: '/api/webchat/messages', headers })).json() as { locale?: string; messages: { direction: string; locale?: string; text: string }[] };
    expect((await read()).locale).toBe('en');
    expect((await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers, payload: { text: 'عربي' } })).statusCode).toBe(202);
    const after = await read();
    expect(after.locale).toBe('ar');
    const out = after.messages.filter((m) => m.direction === 'out');
    expect(out[0]?.locale).toBe('en');
    expect(out.at(-1)?.locale).toBe('ar');
    expect(out.at(-1)?.text).toMatch(/[\u0600-\u06FF]/);
  });
});
