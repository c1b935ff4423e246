// Official letters as PDF from the real gateway: the text pdftotext reads back (letterhead, number, Hijri and
// Gregorian dates, recipient, body, signature, in reading order), page 1 as an image, each kind's refusals, the roles.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.ts';
import { formatDualDate } from '../../src/dates/hijri.ts';
import { applyViaWebchat, waiveChecklist, type Applicant } from '../applications/helpers.ts';
import { artifactPath } from '../browser/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { tempDir } from '../support/temp-db.ts';
import { compact, isPdf, officerSession, pdfText, renderPage, type Headers } from './support.ts';

let gw: TestGateway;
let officer: Headers;
let committee: Headers;
let ar: Applicant;
let en: Applicant;

beforeAll(async () => {
  gw = await startGateway();
  officer = await officerSession(gw, 'officer');
  committee = await officerSession(gw, 'committee');
  ar = await applyViaWebchat(gw, 'ar', { name: 'نورة سعد العتيبي' });
  en = await applyViaWebchat(gw, 'en', { name: 'Sarah Al-Qahtani' });
});
afterAll(async () => {
  await gw?.close();
});

const letter = (id: string, kind: string, headers: Headers = officer) => gw.app.inject({ method: 'GET', url: `/api/applications/${id}/letters/${kind}`, headers });
const post = (url: string, payload: object, headers: Headers) => gw.app.inject({ method: 'POST', url, headers, payload });
const createdAt = (a: Applicant) => new Date(gw.db.$client.prepare('select created_at from applications where id = ?').pluck().get(a.applicationId) as string);

/** Each needle's position in the text; every one must be found, in this order. */
function inOrder(letterText: string, needles: string[]): number[] {
  const text = compact(letterText);
  const at = needles.map((n) => text.indexOf(compact(n)));
  for (const [i, pos] of at.entries()) expect(pos, `«${needles[i]}» in the letter:\n${letterText}`).toBeGreaterThanOrEqual(0);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
  return at;
}

describe('the receipt letter in Arabic', () => {
  it('is a PDF whose text reads in order: letterhead, number, dual date, recipient, body, signature', async () => {
    const res = await letter(ar.applicationId, 'receipt');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none';sandbox");
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=.*\.pdf"?; filename\*=UTF-8''/);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(isPdf(res)).toBe(true);
    const text = pdfText(res.rawPayload);
    const dual = formatDualDate(createdAt(ar), 'ar');
    const [hijri, gregorian] = dual.split(' الموافق ');
    inOrder(text, [
      'جمعية البر الخيرية النموذجية بحي الروضة',
      'برقم ٤٨٢١',
      'الرياض، حي الروضة',
      `${ar.reference}/REC`,
      hijri ?? '',
      gregorian ?? '',
      'نورة سعد العتيبي',
      'إشعار باستلام طلب دعم',
      // (Not «الله»: poppler reads the font's ligature for it back as «اهلل».)
      'السلام عليكم ورحمة',
      'استلمت طلبكم رقم',
      'لا تقل عن أسبوعين',
      'وتقبلوا خالص التحية والتقدير',
      'إدارة علاقات المستفيدين',
    ]);
    // Arabic-Indic digits as the example profile says; the Hijri year and the Gregorian one both present.
    expect(hijri).toMatch(/[١٤]{2}[٠-٩]{2}هـ$/);
    expect(gregorian).toMatch(/[٠-٩]{4}م$/);
    // The national ID only masked, its last four digits in the profile's digits.
    const last4 = ar.nationalId.slice(-4).replace(/\d/g, (d) => String.fromCodePoint(0x660 + Number(d)));
    expect(text).toContain(last4);
    expect(text).not.toContain(ar.nationalId);
  });

  it('renders page 1 to a non-blank A4 image (test artifact)', async () => {
    const res = await letter(ar.applicationId, 'receipt');
    const page = renderPage(res.rawPayload, artifactPath('letter-receipt-ar.png'));
    // A4 at 60 dpi is about 496 × 702.
    expect([Math.round(page.width / 10), Math.round(page.height / 10)]).toEqual([50, 70]);
    expect(page.ink).toBeGreaterThan(0.01);
    expect(page.ink).toBeLessThan(0.3);
  });

  it('keeps the same letter number on every download, and audits each download', async () => {
    const a = pdfText((await letter(ar.applicationId, 'receipt')).rawPayload);
    const b = pdfText((await letter(ar.applicationId, 'receipt')).rawPayload);
    expect(a).toBe(b);
    const rows = gw.db.$client.prepare(`select action, details from audit_log where target_id = ? and action = 'application.letter'`).all(ar.applicationId) as { details: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(JSON.parse(rows.at(-1)?.details ?? '{}')).toEqual({ kind: 'receipt', number: `${ar.reference}/REC` });
  });
});

describe('the letter in English', () => {
  it('is left-to-right English with Latin digits and the Hijri date beside the Gregorian one', async () => {
    const res = await letter(en.applicationId, 'receipt');
    expect(res.statusCode).toBe(200);
    const text = pdfText(res.rawPayload);
    const dual = formatDualDate(createdAt(en), 'en');
    inOrder(text, ['Al-Birr Model Charity Association', 'No. 4821', `${en.reference}/REC`, dual.split(' (')[0] ?? '', 'Sarah Al-Qahtani', 'Acknowledgement of your support application', 'Dear Sarah Al-Qahtani', 'no less than two weeks', 'Beneficiary Relations Department']);
    expect(text).toMatch(/AH \(\d{1,2} [A-Z][a-z]+ \d{4}\)/);
    expect(text).not.toMatch(/[٠-٩]/);
    expect(renderPage(res.rawPayload, artifactPath('letter-receipt-en.png')).ink).toBeGreaterThan(0.01);
  });
});

describe('letters that follow the case', () => {
  it('documents: lists what the officer asked for', async () => {
    const asked = await post(`/api/applications/${ar.applicationId}/status`, { status: 'incomplete', documents: ['صورة صك الملكية', 'تعريف بالراتب'], note: 'نحتاجها خلال أسبوع' }, officer);
    expect(asked.statusCode, asked.body).toBe(200);
    const text = pdfText((await letter(ar.applicationId, 'documents')).rawPayload);
    inOrder(text, [`${ar.reference}/DOC`, 'طلب استكمال مستندات', 'صورة صك الملكية', 'تعريف بالراتب', 'نحتاجها خلال أسبوع', 'إدارة علاقات المستفيدين']);
  });

  it('appointment: 409 before a visit is scheduled, then the interview time and place', async () => {
    const none = await letter(ar.applicationId, 'appointment');
    expect(none.statusCode).toBe(409);
    expect(none.json().error).toMatchObject({ code: 'ERR_CONFLICT', message: expect.stringContaining('no scheduled interview') });
    expect((await post(`/api/applications/${ar.applicationId}/status`, { status: 'under_study' }, officer)).statusCode).toBe(200);
    const when = new Date(Date.now() + 3 * 86_400_000);
    const visit = await post(`/api/applications/${ar.applicationId}/visits`, { kind: 'interview', scheduledAt: when.toISOString(), place: 'مقر الجمعية - الدور الثاني', confirm: true, confirmReason: 'موعد يناسب المستفيد' }, officer);
    expect(visit.statusCode, visit.body).toBe(201);
    const text = pdfText((await letter(ar.applicationId, 'appointment')).rawPayload);
    inOrder(text, [`${ar.reference}/APT`, 'إشعار بموعد المقابلة الشخصية', formatDualDate(when, 'ar').split(' الموافق ')[0] ?? '', 'مقر الجمعية - الدور الثاني', 'أصل الهوية الوطنية']);
  });

  it('decision: 409 with a clear message while undecided, then the committee decision with its reasons', async () => {
    const undecided = await letter(ar.applicationId, 'decision');
    expect(undecided.statusCode).toBe(409);
    expect(undecided.json().error.message).toMatch(/no committee decision yet \(status: under_study\)/);
    await waiveChecklist((method, url, payload) => gw.app.inject({ method, url, headers: officer, ...(payload ? { payload: payload as object } : {}) }), ar.applicationId);
    expect((await post(`/api/applications/${ar.applicationId}/status`, { status: 'committee' }, officer)).statusCode).toBe(200);
    const decided = await post(`/api/applications/${ar.applicationId}/decision`, { decision: 'rejected', reasons: 'الدخل يتجاوز حد الاستحقاق' }, committee);
    expect(decided.statusCode, decided.body).toBe(200);
    const res = await letter(ar.applicationId, 'decision', committee);
    expect(res.statusCode).toBe(200);
    fs.writeFileSync(artifactPath('letter-decision-ar.pdf'), res.rawPayload);
    inOrder(pdfText(res.rawPayload), [`${ar.reference}/DEC`, 'إشعار بنتيجة دراسة طلب دعم', 'تعذر قبوله', 'الأسباب: الدخل يتجاوز حد الاستحقاق', 'إدارة علاقات المستفيدين']);
  });
});

describe('refusals', () => {
  it('401 without a session; an unknown kind or application is 404 with the error shape', async () => {
    const anon = await gw.app.inject({ method: 'GET', url: `/api/applications/${ar.applicationId}/letters/receipt` });
    expect(anon.statusCode).toBe(401);
    const kind = await letter(ar.applicationId, 'invoice');
    expect(kind.statusCode).toBe(404);
    expect(kind.json()).toEqual({ error: { code: 'ERR_NOT_FOUND', message: 'No letter of kind "invoice"; one of receipt, documents, appointment, decision.' } });
    const app = await letter('00000000-0000-4000-8000-000000000000', 'receipt');
    expect(app.statusCode).toBe(404);
    expect(app.json().error.code).toBe('ERR_NOT_FOUND');
    expect((await letter('not-a-uuid', 'receipt')).statusCode).toBe(404);
  });
});

describe('a charity whose profile says Latin digits', () => {
  let latin: TestGateway;
  beforeAll(async () => {
    const profile = path.join(tempDir(), 'latin.yaml');
    const yaml = fs.readFileSync(path.join(ROOT_DIR, 'profiles/example.yaml'), 'utf8').replace(/^digits: arabic$/m, 'digits: latin');
    expect(yaml).toContain('digits: latin');
    fs.writeFileSync(profile, yaml);
    latin = await startGateway({ ORG_PROFILE: profile });
  });
  afterAll(async () => {
    await latin?.close();
  });

  it('prints the Arabic letter with Latin digits in the dates, the licence number and the phone', async () => {
    const headers = await officerSession(latin, 'officer');
    const applicant = await applyViaWebchat(latin, 'ar', { name: 'هند علي' });
    const res = await latin.app.inject({ method: 'GET', url: `/api/applications/${applicant.applicationId}/letters/receipt`, headers });
    const text = pdfText(res.rawPayload);
    expect(text).not.toMatch(/[٠-٩]/);
    const at = new Date(latin.db.$client.prepare('select created_at from applications where id = ?').pluck().get(applicant.applicationId) as string);
    const [hijri = ''] = formatDualDate(at, 'ar').replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660)).split(' الموافق ');
    inOrder(text, ['برقم 4821', `${applicant.reference}/REC`, hijri, 'هند علي', 'بالاتصال على 0112345678']);
  });
});
