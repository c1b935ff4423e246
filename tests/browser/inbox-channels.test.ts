/// <reference lib="dom" />
// In Chromium: an admin's Channels page shows WhatsApp Web's pairing QR once the (fake) client asks for a scan,
// then «متصل» when it is ready; officers don't see the page; an officer picks a beneficiary's preferred channel.
import { EventEmitter } from 'node:events';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { recordingAdapter } from '../support/recording-adapter.ts';
import { artifactPath, launchBrowser, signInInbox } from './support.ts';

class FakeClient extends EventEmitter {
  sent: { chatId: string; text: string }[] = [];
  async initialize(): Promise<void> {}
  async sendMessage(chatId: string, text: string) {
    this.sent.push({ chatId, text });
    return { id: { _serialized: `true_${chatId}_${this.sent.length}` } };
  }
  async destroy(): Promise<void> {}
}

let gw: TestGateway;
let base: string;
let browser: Browser;
const client = new FakeClient();
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  gw = await startGateway({ WHATSAPP_WEB_ENABLED: 'true' }, { channels: { whatsappWeb: { clientFactory: () => client, reconnectMs: 10 } } });
  gw.adapters.set('sms', recordingAdapter('sms'));
  await gw.listen();
  base = gw.url();
  browser = await launchBrowser();
  await gw.auth.createOfficer({ email: 'admin2@example.org', displayName: 'عبدالعزيز المالكي', role: 'admin', password: 'admin password 2026' });
  await gw.auth.createOfficer({ email: 'noura@example.org', displayName: 'نورة العتيبي', role: 'officer', password: 'officer password 2026' });
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

describe('channels in the inbox', () => {
  it('shows the WhatsApp Web QR to an admin after the client asks for a scan, then «متصل» once it is ready', async () => {
    const page = await signedIn('admin2@example.org', 'admin password 2026');
    await page.getByTestId('nav-channels').click();
    const card = page.locator('[data-testid="channel-card"][data-id="whatsapp-web"]');
    const state = card.getByTestId('channel-state');
    await card.waitFor({ timeout: 10_000 });
    expect(await page.locator('h1').textContent()).toBe('القنوات');
    expect(await state.getAttribute('data-state')).toBe('starting');
    expect(await page.locator('[data-testid="channel-card"][data-id="webchat"]').getByTestId('channel-state').textContent()).toBe('مفعّلة');

    client.emit('qr', '2@BROWSER-TEST-PAIRING-CODE,abcdefghijklmnopqrstuvwxyz0123456789,XYZ=');
    const qr = card.getByTestId('channel-qr');
    await qr.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await state.textContent()).toBe('بانتظار مسح الرمز');
    expect(await card.getByTestId('channel-qr-help').textContent()).toBe('افتح واتساب في جوال الجمعية ← الأجهزة المرتبطة ← ربط جهاز، ثم امسح الرمز');
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    // Drawn by the browser (a valid SVG), and large enough for a phone's camera.
    await expect.poll(() => qr.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).toBe(true);
    const box = await qr.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(250);
    expect(box?.height).toBeGreaterThanOrEqual(250);
    await page.screenshot({ path: artifactPath('inbox-channels-qr.png') });

    client.emit('ready');
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 10_000 }).toBe('ready');
    expect(await state.textContent()).toBe('متصل');
    expect(await card.getByTestId('channel-qr').count()).toBe(0);
    expect(await card.getByTestId('channel-since').textContent()).toMatch(/^متصل منذ /);

    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('[data-testid="channel-card"][data-id="whatsapp-web"]').getByTestId('channel-state').textContent(), { timeout: 10_000 }).toBe('Connected');
  });

  it('keeps the page from officers: no nav entry, and #/channels goes back to the inbox', async () => {
    const page = await signedIn('noura@example.org', 'officer password 2026');
    expect(await page.getByTestId('nav-channels').count()).toBe(0);
    await page.goto(`${base}/inbox#/channels`);
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/inbox');
    expect(await page.getByTestId('channel-card').count()).toBe(0);
  });

  it('lets an officer choose the beneficiary’s preferred channel for notifications in the contact panel', async () => {
    const waId = '966551239876';
    client.emit('message', {
      id: { _serialized: `false_${waId}@c.us_3EB0PREF` },
      from: `${waId}@c.us`,
      fromMe: false,
      body: 'السلام عليكم',
      type: 'chat',
      hasMedia: false,
      timestamp: Math.floor(Date.now() / 1000),
      notifyName: 'أم خالد',
    });
    const conversationId = await eventually(() => gw.db.$client.prepare(`select id from conversations where channel = 'whatsapp-web'`).pluck().get() as string | undefined, 8000);
    const contactId = gw.db.$client.prepare('select contact_id from conversations where id = ?').pluck().get(conversationId) as string;

    const page = await signedIn('noura@example.org', 'officer password 2026');
    await page.goto(`${base}/inbox#/inbox/${conversationId}`);
    const select = page.getByTestId('preferred-channel');
    await select.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('label', { hasText: 'قناة الإشعارات المفضلة' }).count()).toBe(1);
    expect(await select.locator('option').allTextContents()).toEqual(['تلقائي (آخر قناة استخدمها)', 'واتساب', 'رسالة نصية']);
    expect(await select.inputValue()).toBe('');

    await select.selectOption('sms');
    await expect.poll(() => page.getByTestId('preferred-channel-status').textContent(), { timeout: 10_000 }).toBe('تم حفظ قناة الإشعارات المفضلة.');
    expect(gw.db.$client.prepare('select preferred_channel from contacts where id = ?').pluck().get(contactId)).toBe('sms');
    await page.screenshot({ path: artifactPath('inbox-preferred-channel.png') });
    // Still chosen after the conversation is read again.
    await page.reload();
    await page.getByTestId('preferred-channel').waitFor({ state: 'visible', timeout: 10_000 });
    await expect.poll(() => page.getByTestId('preferred-channel').inputValue()).toBe('sms');

    await page.getByTestId('preferred-channel').selectOption('');
    await expect.poll(() => page.getByTestId('preferred-channel-status').textContent(), { timeout: 10_000 }).toBe('ستصل الإشعارات إلى آخر قناة استخدمها المستفيد.');
    expect(gw.db.$client.prepare('select preferred_channel from contacts where id = ?').pluck().get(contactId)).toBeNull();
  });
});
