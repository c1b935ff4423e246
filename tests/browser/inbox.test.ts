/// <reference lib="dom" />
// The officer inbox and the widget together in Chromium: live handoff, take over, reply, note, close, survey,
// report; then an application from submission to the committee's approval, notified to the beneficiary.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNationalId } from '../privacy/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { artifactPath, launchBrowser, signInInbox } from './support.ts';

let gw: TestGateway;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  base = gw.url();
  browser = await launchBrowser();
  await gw.auth.createOfficer({ email: 'noura@example.org', displayName: 'نورة العتيبي', role: 'officer', password: 'officer password 2026' });
  await gw.auth.createOfficer({ email: 'salem@example.org', displayName: 'لجنة البحث', role: 'committee', password: 'committee password 2026' });
  await gw.auth.createOfficer({ email: 'admin2@example.org', displayName: 'عبدالعزيز المالكي', role: 'admin', password: 'admin password 2026' });
}, 90_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await gw?.close();
});

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 860 }, locale: 'ar-SA' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${base}/inbox`);
  await signInInbox(page, gw, base, email, password);
}

const widgetBot = (page: Page) => page.locator('[data-testid="message"][data-direction="out"]');

async function widgetSays(page: Page, pattern: RegExp, timeout = 10_000): Promise<string> {
  const end = Date.now() + timeout;
  for (;;) {
    const texts = await widgetBot(page).allTextContents();
    const hit = texts.reverse().find((t) => pattern.test(t));
    if (hit !== undefined) return hit;
    if (Date.now() > end) throw new Error(`widget never showed ${pattern}; last: ${texts.slice(0, 3).join(' | ')}`);
    await page.waitForTimeout(50);
  }
}

describe('the officer inbox', () => {
  it('a visitor asking for an officer appears live; the officer takes over, replies, notes and closes; the rating reaches the report', async () => {
    const officer = await newPage();
    await signIn(officer, 'noura@example.org', 'officer password 2026');
    await officer.getByTestId('queue-waiting').click();
    const before = await officer.getByTestId('conversation-row').count();

    const visitor = await newPage();
    await visitor.goto(`${base}/`);
    await visitor.locator('[data-testid="launcher"]').click();
    await visitor.locator('[data-choice-id="officer"]').first().click();
    await widgetSays(visitor, /موظف/);

    // No reload: the waiting conversation arrives over the live stream.
    await expect.poll(() => officer.getByTestId('conversation-row').count(), { timeout: 10_000 }).toBeGreaterThan(before);
    await officer.getByTestId('conversation-row').first().click();
    await officer.getByTestId('take').click();
    await officer.getByTestId('reply-text').waitFor({ state: 'visible' });
    await officer.getByTestId('reply-text').fill('وعليكم السلام، معك نورة. كيف أقدر أخدمك؟');
    await officer.getByTestId('reply-send').click();

    const reply = await widgetSays(visitor, /معك نورة/);
    expect(reply).toContain('نورة العتيبي'); // the officer's display name is shown with the message

    await officer.getByTestId('note-text').fill('الأسرة تحتاج زيارة ميدانية قريبًا');
    await officer.getByTestId('note-save').click();
    await officer.getByTestId('note').first().waitFor();
    await officer.screenshot({ path: artifactPath('inbox-conversation.png') });

    await officer.getByTestId('close').click();
    await officer.getByTestId('close-confirm').click();
    await widgetSays(visitor, /تقييم|قيّم|رضا/);
    expect((await widgetBot(visitor).allTextContents()).join('\n')).not.toContain('زيارة ميدانية قريبًا'); // the note stayed private
    await visitor.locator('[data-testid="choice"][data-choice-id="5"]:not([disabled])').last().click();
    await visitor.locator('[data-testid="choice"][data-choice-id="no"]:not([disabled])').last().click();
    await widgetSays(visitor, /شكر/);

    await officer.goto(`${base}/inbox#/reports`);
    const average = officer.getByTestId('report-satisfaction-average');
    await average.waitFor({ timeout: 10_000 });
    await expect.poll(() => average.getAttribute('data-value')).toBe('5');
    expect(await officer.getByTestId('report-satisfaction-count').getAttribute('data-value')).toBe('1');
    await officer.screenshot({ path: artifactPath('inbox-reports.png') });
  }, 120_000);

  it('moves an application from submission to approval, and the beneficiary is told in Arabic', async () => {
    // The beneficiary applies over the web chat API (the widget's own test covers the typing).
    const session = (await (await fetch(`${base}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"locale":"ar"}' })).json()) as { token: string };
    const say = (body: object) =>
      fetch(`${base}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` }, body: JSON.stringify(body) });
    for (const body of [{ choice: 'apply' }, { choice: 'privacy_accept' }, { text: 'خالد بن فهد' }, { text: '1077777777' }, { text: '0551112222' }, { text: 'الخبر' }, { text: '4' }, { text: '1800' }, { choice: 'rented' }, { choice: 'food' }, { choice: 'later' }, { choice: 'later' }, { choice: 'confirm' }, { choice: 'accept' }]) {
      expect((await say(body)).status).toBe(202);
    }
    const app = gw.db.$client.prepare(`select id, reference from applications where national_id = '1077777777'`).get() as { id: string; reference: string };
    expect(app.reference).toMatch(/^TW-/);

    const officer = await newPage();
    await signIn(officer, 'noura@example.org', 'officer password 2026');
    await officer.goto(`${base}/inbox#/applications/${app.id}`);
    const statusOf = () => gw.db.$client.prepare('select status from applications where id = ?').pluck().get(app.id);
    const move = async (status: string) => {
      await officer.getByTestId('status-select').selectOption(status);
      await officer.getByTestId('status-submit').click();
    };
    // «ناقص»: the dialog offers the checklist's documents; the beneficiary is asked for exactly those ticked.
    await officer.getByTestId('status-select').selectOption('incomplete');
    await expect.poll(() => officer.getByTestId('missing-items').isVisible()).toBe(true);
    expect(await officer.getByTestId('missing-national_id').isChecked()).toBe(true);
    for (const id of ['national_id', 'housing_contract', 'medical_reports']) await officer.getByTestId(`missing-${id}`).uncheck();
    await officer.getByTestId('status-submit').click();
    await expect.poll(statusOf, { timeout: 10_000 }).toBe('incomplete');
    const asked = (await (await fetch(`${base}/api/webchat/messages`, { headers: { authorization: `Bearer ${session.token}` } })).json()) as { messages: { text: string }[] };
    const notice = asked.messages.map((m) => m.text).join('\n');
    expect(notice).toContain('• سجل الأسرة\n• ما يثبت الدخل');
    expect(notice).not.toContain('عقد الإيجار');

    await move('under_study');
    await expect.poll(statusOf, { timeout: 10_000 }).toBe('under_study');
    // The committee waits for the checklist: the refusal names what is missing, on the page.
    await move('committee');
    await officer.getByTestId('checklist-missing').waitFor({ timeout: 10_000 });
    const missing = await officer.getByTestId('checklist-missing').textContent();
    for (const name of ['سجل الأسرة', 'المقابلة الشخصية']) expect(missing).toContain(name);
    expect(missing).not.toContain('الزيارة الميدانية');
    expect(statusOf()).toBe('under_study');
    // Verify the ID copy; waive the rest, each with its reason.
    await officer.getByTestId('checklist-national_id').getByTestId('checklist-verified').click();
    await expect.poll(() => officer.getByTestId('checklist-national_id').getAttribute('data-state'), { timeout: 10_000 }).toBe('verified');
    for (const id of ['family_record', 'housing_contract', 'income_proof', 'medical_reports', 'interview']) {
      const row = officer.getByTestId(`checklist-${id}`);
      await row.getByTestId('checklist-waive').click();
      await row.getByTestId('checklist-waive-confirm').click();
      // No reason, no waiver.
      expect(await officer.getByTestId(`checklist-${id}`).getAttribute('data-state')).not.toBe('waived');
      await row.getByTestId('checklist-waive-reason').fill('قُدّم في طلب سابق وتحقق منه الباحث');
      await row.getByTestId('checklist-waive-confirm').click();
      await expect.poll(() => officer.getByTestId(`checklist-${id}`).getAttribute('data-state'), { timeout: 10_000 }).toBe('waived');
    }
    expect(await officer.getByTestId('checklist-interview').getByTestId('checklist-note').textContent()).toBe('قُدّم في طلب سابق وتحقق منه الباحث');
    await officer.screenshot({ path: artifactPath('inbox-application-checklist.png'), fullPage: true });
    await move('committee');
    await expect.poll(statusOf, { timeout: 10_000 }).toBe('committee');

    const committee = await newPage();
    await signIn(committee, 'salem@example.org', 'committee password 2026');
    await committee.goto(`${base}/inbox#/applications/${app.id}`);
    await committee.getByTestId('decision-approve').check();
    await committee.getByTestId('decision-reasons').fill('استوفى الطلب شروط الاستحقاق بعد الدراسة');
    await committee.getByTestId('decision-submit').click();
    await expect.poll(() => gw.db.$client.prepare('select status from applications where id = ?').pluck().get(app.id), { timeout: 10_000 }).toBe('approved');
    await committee.screenshot({ path: artifactPath('inbox-application-approved.png') });

    // The beneficiary's own chat now holds the status updates and the approval, in Arabic.
    const history = (await (await fetch(`${base}/api/webchat/messages`, { headers: { authorization: `Bearer ${session.token}` } })).json()) as { messages: { text: string }[] };
    const texts = history.messages.map((m) => m.text).join('\n');
    expect(texts).toContain(app.reference);
    expect(texts).toMatch(/وافقت/);
    expect(texts).toContain('قيد الدراسة');
  }, 120_000);

  it('marks an application made with an ID that already has another beneficiary’s open request, for the researcher', async () => {
    const id = freshNationalId();
    const apply = async (name: string) => {
      const session = (await (await fetch(`${base}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"locale":"ar"}' })).json()) as { token: string };
      for (const body of [{ choice: 'apply' }, { choice: 'privacy_accept' }, { text: name }, { text: id }, { text: '0551112222' }, { text: 'الخبر' }, { text: '4' }, { text: '1800' }, { choice: 'rented' }, { choice: 'food' }, { choice: 'later' }, { choice: 'later' }, { choice: 'confirm' }, { choice: 'accept' }]) {
        const res = await fetch(`${base}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` }, body: JSON.stringify(body) });
        expect(res.status).toBe(202);
      }
    };
    await apply('سلمان الدوسري');
    await apply('شخص يستخدم هوية غيره');
    const [first, second] = gw.db.$client.prepare('select id, reference from applications where national_id = ? order by created_at, rowid').all(id) as { id: string; reference: string }[];
    if (!first || !second) throw new Error('both applications should be stored');

    const officer = await newPage();
    await signIn(officer, 'noura@example.org', 'officer password 2026');
    await officer.goto(`${base}/inbox#/applications`);
    const row = officer.locator(`[data-testid="application-row"][data-id="${second.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getByTestId('possible-duplicate').textContent()).toBe('احتمال تكرار');
    expect(await officer.locator(`[data-testid="application-row"][data-id="${first.id}"] [data-testid="possible-duplicate"]`).count()).toBe(0);
    await row.click();
    const card = officer.getByTestId('same-national-id');
    await card.waitFor({ timeout: 10_000 });
    expect(await card.textContent()).toContain('برقم هوية له طلب مفتوح لدى مستفيد آخر');
    expect(await card.locator('a').textContent()).toBe(first.reference);
    await officer.screenshot({ path: artifactPath('inbox-possible-duplicate.png') });
  }, 60_000);
});
