// In Chromium: a visit booked on the weekend asks for a confirmation with its reason (shown on the visit after); a
// future visit marked done is refused on that visit; an untagged document is tagged from a select and the checklist
// shows it received; the reports page has satisfaction per service type as a table.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyViaWebchat, waiveChecklist, type Applicant } from '../applications/helpers.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { createOfficerWithTotp, signInOfficer, type OfficerHeaders } from '../support/officers.ts';
import { artifactPath, launchBrowser, signInInbox } from './support.ts';

const PASSWORD = 'correct horse battery';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
let gw: TestGateway;
let browser: Browser;
let officer: OfficerHeaders;
let committee: OfficerHeaders;

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  await createOfficerWithTotp(gw, { email: 'huda@charity.test', displayName: 'هدى الشمري', role: 'officer', grammaticalGender: 'f', password: PASSWORD });
  await createOfficerWithTotp(gw, { email: 'khalid@charity.test', displayName: 'خالد العمري', role: 'committee', password: PASSWORD });
  officer = await signInOfficer(gw, 'huda@charity.test', PASSWORD);
  committee = await signInOfficer(gw, 'khalid@charity.test', PASSWORD);
  browser = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

const call = (headers: OfficerHeaders) => (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) =>
  gw.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

async function signedIn(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ar-SA' });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await signInInbox(page, gw, gw.url(), 'huda@charity.test', PASSWORD);
  return page;
}

/** The next Friday at least two days ahead, 23:00 in Riyadh, as the datetime-local input takes it. */
function fridayNight(): string {
  for (let d = 2; d < 10; d++) {
    const day = new Date(Date.now() + d * 86_400_000);
    const riyadh = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Riyadh', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).formatToParts(day);
    const part = (t: string) => riyadh.find((p) => p.type === t)?.value ?? '';
    if (part('weekday') === 'Fri') return `${part('year')}-${part('month')}-${part('day')}T23:00`;
  }
  throw new Error('no Friday');
}

async function openApplication(page: Page, a: Applicant): Promise<void> {
  await page.goto(`${gw.url()}/inbox#/applications/${a.applicationId}`);
  await page.getByTestId('application-reference').waitFor({ timeout: 15_000 });
}

describe('eligibility in the inbox', () => {
  it('confirms a weekend visit with a reason, shows it, and refuses marking a future visit done on that visit', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const page = await signedIn();
    try {
      await openApplication(page, a);
      await page.getByTestId('visit-kind').selectOption('field_visit');
      await page.getByTestId('visit-when').fill(fridayNight());
      await page.getByTestId('visit-place').fill('حي النسيم، الرياض');
      await page.getByTestId('visit-submit').click();
      // The server's reason, a required reason field and «تأكيد رغم ذلك».
      const box = page.getByTestId('visit-confirm-box');
      await box.waitFor({ state: 'visible', timeout: 15_000 });
      expect((await page.getByTestId('visit-confirm-message').textContent())?.trim()).not.toBe('');
      expect(await page.getByTestId('visit').count()).toBe(0);
      const confirm = page.getByTestId('visit-confirm');
      expect(await confirm.textContent()).toBe('تأكيد رغم ذلك');
      await confirm.click();
      // No reason: nothing is sent, the reason field is asked for.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('visit-confirm-reason-input');
      expect(await page.getByTestId('visit').count()).toBe(0);
      await page.getByTestId('visit-confirm-reason-input').fill('رب الأسرة لا يكون في المنزل إلا مساء الجمعة');
      await confirm.click();
      const visit = page.getByTestId('visit');
      await visit.waitFor({ timeout: 15_000 });
      expect(await visit.getByTestId('visit-confirm-reason').textContent()).toContain('رب الأسرة لا يكون في المنزل إلا مساء الجمعة');

      // Marked done before its time: the refusal shows on this visit, in words.
      await visit.getByTestId('visit-status').selectOption('done');
      await visit.getByTestId('visit-save').click();
      const refusal = visit.getByTestId('visit-error');
      await refusal.waitFor({ state: 'visible', timeout: 15_000 });
      expect((await refusal.textContent())?.trim().length).toBeGreaterThan(10);
      expect(await refusal.textContent()).not.toMatch(/ERR_|HTTP_/);
      await page.screenshot({ path: artifactPath('inbox-visit-confirm.png') });
      const detail = (await call(officer)('GET', `/api/applications/${a.applicationId}`)).json() as { visits: { status: string; confirmReason: string }[] };
      expect(detail.visits).toMatchObject([{ status: 'scheduled', confirmReason: 'رب الأسرة لا يكون في المنزل إلا مساء الجمعة' }]);
    } finally {
      await page.context().close();
    }
  }, 90_000);

  it('tags an untagged document with a checklist item, and the checklist shows it received', async () => {
    const a = await applyViaWebchat(gw, 'ar', { idCopy: { bytes: PNG, name: 'وثيقة.png' } });
    // The intake tagged the ID copy; the officer found it is the family record instead: untag it first.
    const detail = (await call(officer)('GET', `/api/applications/${a.applicationId}`)).json() as { documents: { id: string }[] };
    const docId = detail.documents[0]?.id ?? '';
    expect((await call(officer)('PUT', `/api/applications/${a.applicationId}/documents/${docId}/checklist-item`, { checklistItemId: null })).statusCode).toBe(200);
    const page = await signedIn();
    try {
      await openApplication(page, a);
      expect(await page.getByTestId('checklist-family_record').getAttribute('data-state')).toBe('pending');
      const pick = page.getByTestId('document-tag-select');
      const options = await pick.locator('option').allTextContents();
      expect(options).toContain('سجل الأسرة');
      expect(options).not.toContain('المقابلة الشخصية');
      await pick.selectOption('family_record');
      await page.locator('[data-testid="checklist-family_record"][data-state="received"]').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('document-tag').textContent()).toContain('سجل الأسرة');
      expect(await page.getByTestId('document-tag-select').count()).toBe(0);
    } finally {
      await page.context().close();
    }
  }, 90_000);

  it('shows satisfaction per service type on the reports page', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const o = call(officer);
    expect((await o('POST', `/api/applications/${a.applicationId}/status`, { status: 'under_study' })).statusCode).toBe(200);
    await waiveChecklist(o, a.applicationId);
    expect((await o('POST', `/api/applications/${a.applicationId}/status`, { status: 'committee' })).statusCode).toBe(200);
    expect((await call(committee)('POST', `/api/applications/${a.applicationId}/decision`, { decision: 'approved', reasons: 'مستوفٍ للشروط' })).statusCode).toBe(200);
    const done = await o('POST', `/api/applications/${a.applicationId}/status`, { status: 'service_delivered' });
    expect(done.statusCode, done.body).toBe(200);
    for (const payload of [{ choice: '4' }, { text: 'لا' }]) {
      expect((await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${a.token}` }, payload })).statusCode).toBe(202);
    }
    const page = await signedIn();
    try {
      await page.goto(`${gw.url()}/inbox#/reports`);
      const table = page.getByTestId('report-satisfaction-by-service');
      await table.waitFor({ timeout: 15_000 });
      expect(await table.locator('th[scope="col"]').allTextContents()).toEqual(['نوع الخدمة', 'الردود', 'المتوسط']);
      const row = table.locator('tbody tr');
      expect(await row.count()).toBe(1);
      expect(await row.locator('th').textContent()).toBe('مساعدة علاجية');
      expect(await row.locator('td').allTextContents()).toEqual(['١', '٤']);
      await page.screenshot({ path: artifactPath('inbox-satisfaction-by-service.png') });
    } finally {
      await page.context().close();
    }
  }, 90_000);
});
