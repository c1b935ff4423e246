/// <reference lib="dom" />
// The widget in a real browser against the real gateway: the attach button only while a file is expected, a polite
// refusal otherwise, and an expired chat that restarts once with a short notice. The gateway's clock is moved forward.
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerHolds, startGateway, type TestGateway } from '../support/gateway.ts';
import { artifactPath, launchBrowser } from './support.ts';

const DAY = 86_400_000;
let gw: TestGateway;
let base: string;
let browser: Browser;
let offset = 0;

beforeAll(async () => {
  gw = await startGateway({}, { now: () => new Date(Date.now() + offset) });
  await gw.listen();
  base = gw.url();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

/** A tiny valid PNG (one filter byte and one RGB pixel per row, two rows). */
function png(): Buffer {
  const crc = (buf: Buffer) => {
    let c = ~0;
    for (const x of buf) {
      c ^= x;
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
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from([0, 9, 9, 9, 0, 9, 9, 9]))), chunk('IEND', Buffer.alloc(0))]);
}

const count = (sql: string) => gw.db.$client.prepare(sql).pluck().get() as number;
const inWidget = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

async function openChat(page: Page): Promise<void> {
  await page.goto(`${base}/`);
  await inWidget(page, 'launcher').click();
  await page.locator('[data-choice-id="apply"]').first().waitFor({ timeout: 10_000 });
}

describe('the widget and uploads', () => {
  it('offers no attach button at the menu, refuses a pasted-in file politely, and takes one once an officer holds the chat', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ar-SA' });
    const page = await context.newPage();
    await openChat(page);
    expect(await inWidget(page, 'upload-button').isVisible()).toBe(false);
    const rows = count('select count(*) from attachments');

    // A file sent anyway (pasted, or through the hidden input) is refused by the server, in the visitor's language.
    await inWidget(page, 'file-input').setInputFiles({ name: 'هوية.png', mimeType: 'image/png', buffer: png() });
    await expect.poll(() => inWidget(page, 'error-text').textContent(), { timeout: 8000 }).toContain('لا نستقبل الملفات في هذه المرحلة');
    expect(await inWidget(page, 'attachment').count()).toBe(0);
    expect(count('select count(*) from attachments')).toBe(rows);
    await page.screenshot({ path: artifactPath('widget-upload-refused.png') });

    // An officer takes the conversation over: the button appears without a reload, and the file goes through.
    const conversationId = gw.db.$client.prepare(`select id from conversations where channel = 'webchat' order by created_at desc limit 1`).pluck().get() as string;
    await officerHolds(gw, conversationId);
    await inWidget(page, 'upload-button').waitFor({ state: 'visible', timeout: 8000 });
    await inWidget(page, 'file-input').setInputFiles({ name: 'هوية.png', mimeType: 'image/png', buffer: png() });
    await inWidget(page, 'attachment').first().waitFor({ timeout: 8000 });
    await expect.poll(() => count('select count(*) from attachments'), { timeout: 8000 }).toBe(rows + 1);
    await context.close();
  }, 60_000);
});

describe('the widget and an expired chat', () => {
  it('starts a new chat once, with a notice that the previous one ended, then the new greeting', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ar-SA' });
    const page = await context.newPage();
    await openChat(page);
    await page.locator('[data-choice-id="enquiries"]').first().click();
    await expect.poll(() => page.locator('[data-testid="message"][data-direction="in"]').count(), { timeout: 8000 }).toBe(1);
    const sessions = count('select count(*) from webchat_sessions');
    expect(await inWidget(page, 'notice').isVisible()).toBe(false);

    // A month later the visitor comes back to the same page.
    offset += 31 * DAY;
    await page.reload();
    await inWidget(page, 'launcher').click();
    await expect.poll(() => inWidget(page, 'notice').textContent(), { timeout: 8000 }).toBe('انتهت محادثتك السابقة. هذه محادثة جديدة.');
    await page.locator('[data-choice-id="apply"]').first().waitFor({ timeout: 10_000 });
    // The old conversation is gone from the page; the new one is just the greeting.
    expect(await page.locator('[data-testid="message"][data-direction="in"]').count()).toBe(0);
    expect(count('select count(*) from webchat_sessions')).toBe(sessions + 1);
    expect(await inWidget(page, 'error-banner').isVisible()).toBe(false);
    await page.screenshot({ path: artifactPath('widget-chat-ended.png') });

    // No loop: a while later still exactly one new session, and the new chat works.
    await page.waitForTimeout(1500);
    expect(count('select count(*) from webchat_sessions')).toBe(sessions + 1);
    await page.locator('[data-choice-id="enquiries"]').first().click();
    await expect.poll(() => page.locator('[data-testid="message"][data-direction="in"]').count(), { timeout: 8000 }).toBe(1);
    await context.close();
  }, 60_000);

  it('restarts the same way when the token expires while the page stays open, keeping what the visitor typed', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.locator('tawasul-widget').waitFor({ state: 'attached' });
    await page.evaluate(() => (window as unknown as { TawasulWidget: { open(): void } }).TawasulWidget.open());
    await page.locator('[data-choice-id="apply"]').first().waitFor({ timeout: 10_000 });
    offset += 31 * DAY;
    await inWidget(page, 'composer').fill('مرحبا');
    await page.keyboard.press('Enter');
    await expect.poll(() => inWidget(page, 'notice').textContent(), { timeout: 8000 }).toMatch(/ended|انتهت/);
    // Nothing typed is lost: the words are back in the box (the send met the expired token), or — when the
    // server closed the expired stream first and the widget had already started over — sent in the new chat.
    await expect
      .poll(async () => (await inWidget(page, 'composer').inputValue()) === 'مرحبا' || ((await inWidget(page, 'message-list').textContent()) ?? '').includes('مرحبا'), { timeout: 8000 })
      .toBe(true);
    await page.locator('[data-choice-id="apply"]').first().waitFor({ timeout: 10_000 });
    await context.close();
  }, 60_000);
});
