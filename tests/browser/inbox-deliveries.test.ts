/// <reference lib="dom" />
// Delivery in the officer inbox, in Chromium: the dead-letters page and its retry, the line under a message that
// was rerouted from WhatsApp to SMS, and an officer sending a PDF from the reply box.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, outbox } from '../../src/db/schema.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { recordingAdapter, type RecordingAdapter } from '../support/recording-adapter.ts';
import { artifactPath, launchBrowser, signInInbox } from './support.ts';

let gw: TestGateway;
let base: string;
let browser: Browser;
let telegram: RecordingAdapter;
let officer: { id: string; displayName: string };
const contexts: BrowserContext[] = [];
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

beforeAll(async () => {
  gw = await startGateway();
  // A fake Telegram provider that records what it is given and refuses on demand (the worker's only way out).
  telegram = recordingAdapter('telegram');
  gw.adapters.set('telegram', telegram);
  await gw.listen();
  base = gw.url();
  browser = await launchBrowser();
  const created = await gw.auth.createOfficer({ email: 'noura@example.org', displayName: 'نورة العتيبي', role: 'officer', password: 'officer password 2026' });
  officer = { id: created.officer.id, displayName: created.officer.displayName };
}, 90_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await gw?.close();
});

async function signedIn(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ar-SA' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await signInInbox(page, gw, base, 'noura@example.org', 'officer password 2026');
  return page;
}

const pendingRows = () => gw.db.$client.prepare(`select count(*) from outbox where status = 'pending'`).pluck().get() as number;

/** A web chat visitor who asked for an officer (through the public web chat API). */
async function webVisitor(): Promise<{ conversationId: string; token: string }> {
  const session = (await (await fetch(`${base}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"locale":"ar"}' })).json()) as { token: string; conversationId: string };
  const res = await fetch(`${base}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` }, body: JSON.stringify({ text: 'موظف' }) });
  expect(res.status).toBe(202);
  return session;
}

describe('delivery in the inbox', () => {
  it('shows a message the channel refused on the dead-letters page, and a retry after the channel healed delivers it', async () => {
    const address = '5550004567';
    const { conversationId } = await gw.conversations.receive({ channel: 'telegram', externalId: 'dl-1', address, sender: { displayName: 'هند' }, content: { type: 'text', text: 'السلام عليكم' }, receivedAt: new Date(), raw: null });
    await eventually(() => pendingRows() === 0 || undefined, 5000);
    // The channel refuses the officer's reply for good (a permanent error from the provider), then heals.
    telegram.failNext('permanent');
    const reply = await gw.conversations.reply(conversationId, officer, 'سنتواصل معك غدًا بإذن الله');
    await eventually(() => gw.db.$client.prepare(`select status from outbox where message_id = ?`).pluck().get(reply.id) === 'failed' || undefined, 5000);

    const page = await signedIn();
    await page.getByTestId('nav-deliveries').click();
    const row = page.locator(`[data-testid="failed-row"][data-id="${reply.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-channel')).toBe('telegram');
    expect(await row.getByTestId('failed-address').textContent()).toBe('•••4567');
    expect(await row.getByTestId('failed-error').textContent()).toContain('fake permanent failure');
    expect(await row.textContent()).toContain('سنتواصل معك غدًا');
    expect(await row.textContent()).toMatch(/هـ الموافق .*م/); // Hijri with the Gregorian date beside it
    expect(await row.getByTestId('failed-conversation').getAttribute('href')).toBe(`#/inbox/${encodeURIComponent(conversationId)}`);
    await page.screenshot({ path: artifactPath('inbox-dead-letters.png') });

    const before = telegram.sent.length;
    await row.getByTestId('failed-retry').click();
    await row.getByTestId('failed-requeued').waitFor();
    expect(await row.getByTestId('failed-requeued').textContent()).toBe('أعيدت إلى قائمة الإرسال');
    const delivered = await eventually(() => telegram.sent.slice(before).find((x) => x.message.text.includes('سنتواصل معك غدًا')), 8000);
    expect(delivered.address).toBe(address);
    await expect.poll(() => page.locator(`[data-testid="failed-row"][data-id="${reply.id}"]`).count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('failed-empty').waitFor();
  }, 120_000);

  it('a retry the server refuses says why in Arabic', async () => {
    const { conversationId } = await gw.conversations.receive({ channel: 'telegram', externalId: 'dl-2', address: '5550009999', sender: {}, content: { type: 'text', text: 'مرحبا' }, receivedAt: new Date(), raw: null });
    await eventually(() => pendingRows() === 0 || undefined, 5000);
    telegram.failNext('permanent');
    const reply = await gw.conversations.reply(conversationId, officer, 'رسالة ستُعاد من زميل');
    await eventually(() => gw.db.$client.prepare(`select status from outbox where message_id = ?`).pluck().get(reply.id) === 'failed' || undefined, 5000);
    const page = await signedIn();
    await page.goto(`${base}/inbox#/deliveries`);
    const row = page.locator(`[data-testid="failed-row"][data-id="${reply.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    // A colleague sends it again first: this officer's retry finds nothing to requeue.
    expect(await gw.conversations.retryDelivery(reply.id)).toBe(1);
    await row.getByTestId('failed-retry').click();
    await row.getByTestId('failed-retry-error').waitFor();
    expect(await row.getByTestId('failed-retry-error').textContent()).toContain('لم تعد هذه الرسالة ضمن المتعثرة');
  }, 120_000);

  it('shows under a rerouted message that WhatsApp could not deliver and SMS carried it', async () => {
    const { conversationId } = await webVisitor();
    const contactId = gw.db.$client.prepare('select contact_id from conversations where id = ?').pluck().get(conversationId) as string;
    // Test setup in the database: the message's WhatsApp row was rerouted (window closed) and its SMS row sent.
    const m = gw.db
      .insert(messages)
      .values({ conversationId, contactId, channel: 'whatsapp', direction: 'out', senderKind: 'officer', senderId: officer.id, text: 'موعد الزيارة الميدانية الأحد', deliveryStatus: 'sent' })
      .returning()
      .get();
    const error = 'outside the 24-hour window: WhatsApp allows only an approved template, and none is configured (WHATSAPP_TEMPLATE_NAME)';
    gw.db.insert(outbox).values({ messageId: m.id, part: 0, channel: 'whatsapp', address: '966551234567', body: { text: m.text }, status: 'rerouted', attempts: 1, lastError: error }).run();
    gw.db.insert(outbox).values({ messageId: m.id, part: 0, channel: 'sms', address: '+966551234567', body: { text: m.text }, status: 'sent', attempts: 1, externalId: 'SM-1' }).run();

    const page = await signedIn();
    await page.goto(`${base}/inbox#/inbox/${encodeURIComponent(conversationId)}`);
    const line = page.locator(`[data-testid="message"][data-id="${m.id}"] [data-testid="reroute"]`);
    await line.waitFor({ timeout: 10_000 });
    const text = (await line.textContent()) ?? '';
    expect(text).toContain('تعذّر الإرسال عبر واتساب (انتهت مهلة ٢٤ ساعة)، فأُرسلت برسالة نصية إلى');
    expect(text).toContain('•••4567');
    expect(await line.getAttribute('title')).toBe(error);
    expect(await page.getByTestId('reroute').count()).toBe(1); // only the rerouted message has a line
    await page.screenshot({ path: artifactPath('inbox-rerouted.png') });

    await page.getByTestId('lang-toggle').click();
    await expect.poll(async () => (await page.locator(`[data-testid="message"][data-id="${m.id}"] [data-testid="reroute"]`).textContent()) ?? '', { timeout: 10_000 }).toContain(
      'Could not send on WhatsApp (the 24-hour window had closed), so it was sent by SMS to',
    );
  }, 120_000);

  it('sends a PDF from the reply box with a caption, showing the file before it goes', async () => {
    const { conversationId, token } = await webVisitor();
    const page = await signedIn();
    await page.goto(`${base}/inbox#/inbox/${encodeURIComponent(conversationId)}`);
    await page.getByTestId('take').click();
    await page.getByTestId('reply-text').waitFor({ state: 'visible' });
    await expect.poll(() => page.getByTestId('attach').isEnabled(), { timeout: 10_000 }).toBe(true);

    // A program dressed as a PDF is refused, in Arabic.
    await page.getByTestId('attach-input').setInputFiles({ name: 'كشف.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 not a pdf') });
    await page.getByTestId('reply-send').click();
    await expect.poll(() => page.getByTestId('error').textContent(), { timeout: 10_000 }).toContain('نوع الملف غير مقبول');

    await page.getByTestId('attach-remove').click();
    expect(await page.getByTestId('attach-chip').isHidden()).toBe(true);
    await page.getByTestId('attach-input').setInputFiles({ name: 'نموذج الطلب.pdf', mimeType: 'application/pdf', buffer: PDF });
    expect(await page.getByTestId('attach-name').textContent()).toContain('نموذج الطلب.pdf');
    await page.getByTestId('reply-text').fill('تفضّل نموذج الطلب، عبّئه وأرسله لنا');
    await page.screenshot({ path: artifactPath('inbox-file-chosen.png') });
    await page.getByTestId('reply-send').click();

    const sent = page.locator('[data-testid="message"][data-sender="officer"] [data-testid="attachment"]');
    await sent.first().waitFor({ timeout: 10_000 });
    expect(await sent.first().textContent()).toContain('نموذج الطلب.pdf');
    expect(await page.getByTestId('attach-chip').isHidden()).toBe(true);
    expect(await page.getByTestId('reply-text').inputValue()).toBe('');
    expect(await page.getByTestId('reply-send').textContent()).toBe('إرسال');
    await page.screenshot({ path: artifactPath('inbox-file-sent.png') });

    const row = gw.db.$client
      .prepare(`select a.original_name as name, a.mime, m.text from attachments a join messages m on m.id = a.message_id where a.conversation_id = ? and m.sender_kind = 'officer'`)
      .get(conversationId) as { name: string; mime: string; text: string };
    expect(row).toEqual({ name: 'نموذج الطلب.pdf', mime: 'application/pdf', text: 'تفضّل نموذج الطلب، عبّئه وأرسله لنا' });
    // The beneficiary has it in their web chat.
    const history = (await (await fetch(`${base}/api/webchat/messages`, { headers: { authorization: `Bearer ${token}` } })).json()) as { messages: { text: string }[] };
    expect(history.messages.map((x) => x.text)).toContain('تفضّل نموذج الطلب، عبّئه وأرسله لنا');
  }, 120_000);
});
