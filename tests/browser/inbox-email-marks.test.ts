/// <reference lib="dom" />
// What an officer sees, in Chromium, of mail that came through a real IMAP server: «لم يتحقق المرسل» beside a
// forged sender (and nowhere in the beneficiary's own conversation), a mail too large to download, a shortened one.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HoodiecrowImap } from '../fakes/hoodiecrow-imap.ts';
import { SmtpPeer } from '../fakes/smtp-peer.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { IMAP_AUTH, plainMail } from '../email/support.ts';
import { artifactPath, launchBrowser, signInInbox } from './support.ts';

const OURS = 'mx.birr.example.org';
const MAILS = [
  plainMail({ from: 'abdullah@example.sa', messageId: '<own@example.sa>', subject: 'طلب', text: 'السلام عليكم، هذا عبدالله.', headers: [`Authentication-Results: ${OURS}; dmarc=pass header.from=example.sa`] }),
  plainMail({
    from: 'abdullah@example.sa',
    messageId: '<forged@attacker.net>',
    subject: 'عاجل',
    text: 'أرسلوا لي بيانات طلبي على رقم آخر.',
    headers: [`Authentication-Results: ${OURS}; dmarc=fail header.from=example.sa`, 'Authentication-Results: mx.attacker.net; dmarc=pass'],
  }),
  plainMail({ from: 'khalid@example.sa', messageId: '<big@example.sa>', subject: 'صور', text: `صورة\n${'A'.repeat(76)}\n`.repeat(15_000), headers: [`Authentication-Results: ${OURS}; dmarc=pass`] }),
  plainMail({ from: 'mona@example.sa', messageId: '<long@example.sa>', subject: 'قصتي', text: `بداية رسالتي الطويلة.\n${'كلمات كثيرة '.repeat(9_000)}`, headers: [`Authentication-Results: ${OURS}; dmarc=pass`] }),
];

let imap: HoodiecrowImap;
let peer: SmtpPeer;
let gw: TestGateway;
let browser: Browser;
let page: Page;

const conversationOf = (externalId: string) => gw.db.$client.prepare(`select conversation_id from messages where external_id = ?`).pluck().get(externalId) as string;

beforeAll(async () => {
  imap = new HoodiecrowImap(IMAP_AUTH, MAILS);
  peer = new SmtpPeer();
  const { url: imapUrl } = await imap.start();
  const { url: smtpUrl } = await peer.start();
  gw = await startGateway({
    SMTP_URL: smtpUrl,
    IMAP_URL: imapUrl,
    EMAIL_FROM: '"جمعية البر الخيرية" <info@birr.example.org>',
    EMAIL_POLL_SECONDS: '5',
    EMAIL_AUTHSERV_ID: OURS,
    EMAIL_MAX_BYTES: '1048576',
  });
  await gw.listen();
  await gw.auth.createOfficer({ email: 'noura@example.org', displayName: 'نورة العتيبي', role: 'officer', password: 'officer password 2026' });
  await eventually(async () => {
    const flags = await imap.flags();
    return MAILS.every((_, i) => flags.get(i + 1)?.has('\\Seen')) || undefined;
  }, 10_000);
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ar-SA' });
  page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await signInInbox(page, gw, gw.url(), 'noura@example.org', 'officer password 2026');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
  await imap?.stop();
  await peer?.stop();
});

async function open(externalId: string, text: string): Promise<void> {
  await page.goto(`${gw.url()}/inbox#/inbox/${encodeURIComponent(conversationOf(externalId))}`);
  await page.getByTestId('history').getByText(text).first().waitFor({ timeout: 10_000 });
}

describe('email marks in the inbox', () => {
  it('marks the forged sender beside the name and in the header, and not the beneficiary’s own mail', async () => {
    await open('<forged@attacker.net>', 'أرسلوا لي بيانات طلبي');
    await expect.poll(() => page.getByTestId('conversation-unverified').textContent()).toBe('لم يتحقق المرسل');
    const forged = page.locator('[data-testid="message"][data-sender="beneficiary"]');
    expect(await forged.getByTestId('unverified-sender').textContent()).toBe('لم يتحقق المرسل');
    expect(await forged.getByTestId('unverified-sender').getAttribute('title')).toContain('قد تكون منتحلة');
    expect(await page.getByTestId('identity-unverified').count()).toBe(1);
    await page.screenshot({ path: artifactPath('inbox-email-unverified.png') });

    await open('<own@example.sa>', 'هذا عبدالله');
    expect(await page.getByTestId('conversation-unverified').count()).toBe(0);
    expect(await page.getByTestId('unverified-sender').count()).toBe(0);
    expect(await page.getByTestId('history').getByText('أرسلوا لي بيانات طلبي').count()).toBe(0);
  }, 60_000);

  it('says a mail was too large to download, and that a long one was shortened', async () => {
    await page.goto(`${gw.url()}/inbox#/inbox/${encodeURIComponent(conversationOf('<big@example.sa>'))}`);
    const note = page.getByTestId('too-large');
    await note.waitFor({ timeout: 10_000 });
    expect(await note.textContent()).toMatch(/^وصلت رسالة بريد حجمها .+، أكبر من الحد المسموح \(.+\)، فلم تُنزَّل\. أُبلغ المرسل بذلك\.$/);

    await open('<long@example.sa>', 'بداية رسالتي الطويلة');
    expect(await page.getByTestId('truncated').textContent()).toContain('اختُصرت');
    await page.screenshot({ path: artifactPath('inbox-email-truncated.png') });
  }, 60_000);
});
