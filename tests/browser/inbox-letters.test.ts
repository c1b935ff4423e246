// In Chromium: an officer opens an application and finds its official letters; «تنزيل» downloads the PDF and
// «إرسال للمستفيد» sends it into the beneficiary's web chat, where it arrives as a PDF file.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyViaWebchat } from '../applications/helpers.ts';
import { compact, officerSession, pdfText } from '../letters/support.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
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

/** A page signed in as a new officer of this role (the session from the shared sign-in helper, as a cookie). */
async function pageAs(role: 'officer' | 'committee') {
  const headers = await officerSession(gw, role);
  const [name = '', value = ''] = (headers.cookie ?? '').split('=');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ar-SA', acceptDownloads: true });
  await context.addCookies([{ name, value, url: gw.url() }]);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return { page, context };
}

describe('letters in the application view', () => {
  it('downloads the receipt as a PDF and sends it into the beneficiary\'s web chat', async () => {
    const applicant = await applyViaWebchat(gw, 'ar', { name: 'ريم عبدالله' });
    const { page, context } = await pageAs('officer');
    try {
      await page.goto(`${gw.url()}/inbox#/applications/${applicant.applicationId}`);
      await page.getByTestId('letter').first().waitFor({ timeout: 15_000 });
      // No visit and no decision yet: only the receipt and the documents letters are offered.
      expect(await page.getByTestId('letter').allTextContents()).toEqual([expect.stringContaining('إشعار استلام الطلب'), expect.stringContaining('المستندات المطلوبة')]);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('letter-download-receipt').click()]);
      expect(download.suggestedFilename()).toBe(`خطاب ${applicant.reference}-REC.pdf`);
      const saved = artifactPath('letter-download.pdf');
      await download.saveAs(saved);
      expect(compact(pdfText(fs.readFileSync(saved)))).toContain(compact(`${applicant.reference}/REC`));

      await page.getByTestId('letter-send-receipt').click();
      await expect.poll(() => page.getByTestId('letter-status').textContent(), { timeout: 15_000 }).toContain('أُرسل «إشعار استلام الطلب»');
      expect(await page.getByTestId('letter-status').textContent()).toContain('الموقع');
      await page.getByTestId('letter-status').scrollIntoViewIfNeeded();
      await page.screenshot({ path: artifactPath('inbox-letters.png') });

      const file = await eventually(async () => {
        const res = await gw.app.inject({ method: 'GET', url: '/api/webchat/messages?after=0', headers: { authorization: `Bearer ${applicant.token}` } });
        const messages = (res.json() as { messages: { direction: string; attachment?: { name?: string; mime?: string } }[] }).messages;
        return messages.find((m) => m.direction === 'out' && m.attachment?.mime === 'application/pdf');
      }, 8000);
      expect(file.attachment?.name).toBe(`خطاب ${applicant.reference}-REC.pdf`);
    } finally {
      await context.close();
    }
  });

  it('lets the committee download but not send', async () => {
    const applicant = await applyViaWebchat(gw, 'ar', { name: 'سلمى فهد' });
    const { page, context } = await pageAs('committee');
    try {
      await page.goto(`${gw.url()}/inbox#/applications/${applicant.applicationId}`);
      await page.getByTestId('letter-download-receipt').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('letter-send-receipt').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
