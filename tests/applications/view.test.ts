// Reading applications: the list (masked IDs, filters, paging), the overdue flag with an injected clock,
// the full view in words, and the document download with its audit.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, attachments } from '../../src/db/schema.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { applyViaWebchat, officerApp, type Applicant, type OfficerApp } from './helpers.ts';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');

let gw: TestGateway;
let oa: OfficerApp;
let withDoc: Applicant;
let plain: Applicant;
let english: Applicant;
beforeAll(async () => {
  gw = await startGateway();
  oa = await officerApp(gw);
  withDoc = await applyViaWebchat(gw, 'ar', { idCopy: { bytes: PDF, name: 'هوية وطنية.pdf' } });
  plain = await applyViaWebchat(gw, 'ar', { name: 'فهد ناصر' });
  english = await applyViaWebchat(gw, 'en');
});
afterAll(async () => {
  await oa.app.close();
  await gw.close();
});

interface Item {
  id: string;
  reference: string;
  applicantName: string;
  nationalId: string;
  status: string;
  committeeDueAt: string;
  overdue: boolean;
  researcher: { id: string; name: string | null } | null;
}
const list = async (query: string, who = oa.staff.committee) => {
  const res = await oa.as(who, 'GET', `/api/applications${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Item[]; nextCursor: string | null };
};

describe('the list', () => {
  it('shows every application with the ID masked but its last four digits', async () => {
    const { items } = await list('');
    expect(items.map((i) => i.reference)).toEqual([english.reference, plain.reference, withDoc.reference]);
    const first = items.find((i) => i.id === withDoc.applicationId);
    expect(first).toMatchObject({ applicantName: 'نورة سعد العتيبي', status: 'new', overdue: false, researcher: null });
    expect(first?.nationalId).toBe(`******${withDoc.nationalId.slice(-4)}`);
    expect(JSON.stringify(items)).not.toContain(withDoc.nationalId);
  });

  it('filters by status and by a search on reference, name or ID, and pages with a cursor', async () => {
    expect((await list(`?q=${encodeURIComponent('فهد')}`)).items.map((i) => i.id)).toEqual([plain.applicationId]);
    expect((await list(`?q=${english.reference.slice(-5)}`)).items.map((i) => i.id)).toEqual([english.applicationId]);
    expect((await list(`?q=${withDoc.nationalId}`)).items.map((i) => i.id)).toEqual([withDoc.applicationId]);
    expect((await list('?q=%25')).items).toEqual([]);
    expect((await list('?status=under_study')).items).toEqual([]);
    expect((await list('?status=new,under_study')).items).toHaveLength(3);
    expect((await oa.as(oa.staff.officer, 'GET', '/api/applications?status=pending')).statusCode).toBe(400);
    expect((await oa.as(oa.staff.officer, 'GET', '/api/applications?limit=0')).statusCode).toBe(400);
    expect((await oa.as(oa.staff.officer, 'GET', '/api/applications?cursor=garbage')).statusCode).toBe(400);

    const page1 = await list('?limit=2');
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await list(`?limit=2&cursor=${page1.nextCursor}`);
    expect(page2.items.map((i) => i.id)).toEqual([withDoc.applicationId]);
    expect(page2.nextCursor).toBeNull();
  });

  it('flags overdue cases with the injected clock and lists them oldest due first', async () => {
    // Stagger the due dates; one case is decided (final) and never overdue.
    const set = (a: Applicant, due: string, status?: 'rejected') => gw.db.update(applications).set({ committeeDueAt: due, ...(status ? { status } : {}) }).where(eq(applications.id, a.applicationId)).run();
    set(withDoc, '2026-12-10T09:00:00.000Z');
    set(plain, '2026-12-05T09:00:00.000Z');
    set(english, '2026-12-01T09:00:00.000Z', 'rejected');
    try {
      oa.clock.now = new Date('2026-12-04T09:00:00.000Z');
      expect((await list('/overdue')).items).toEqual([]);
      oa.clock.now = new Date('2026-12-20T09:00:00.000Z');
      const flagged = await list('/overdue');
      expect(flagged.items.map((i) => [i.id, i.overdue])).toEqual([
        [plain.applicationId, true],
        [withDoc.applicationId, true],
      ]);
      expect((await list('?overdue=true&limit=1')).items.map((i) => i.id)).toEqual([plain.applicationId]);
      const next = await list(`?overdue=true&limit=1&cursor=${(await list('?overdue=true&limit=1')).nextCursor}`);
      expect(next.items.map((i) => i.id)).toEqual([withDoc.applicationId]);
      const all = await list('');
      expect(all.items.find((i) => i.id === english.applicationId)?.overdue).toBe(false);
    } finally {
      set(english, '2026-12-01T09:00:00.000Z');
      gw.db.update(applications).set({ status: 'new' }).where(eq(applications.id, english.applicationId)).run();
      oa.clock.now = new Date();
    }
  });
});

describe('one application in full', () => {
  it('shows the answers in words, the declaration, documents, history and channels, and audits the view', async () => {
    const res = await oa.as(oa.staff.researcher, 'GET', `/api/applications/${withDoc.applicationId}`);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({
      reference: withDoc.reference,
      nationalId: withDoc.nationalId,
      mobile: '+966551234567',
      status: 'new',
      allowedNext: ['incomplete', 'under_study', 'closed'],
      declaration: { version: '2026-1', acceptedAt: expect.any(String) },
      documentsCheck: { checkedAt: null, checkedBy: null },
    });
    expect(d.answers).toMatchObject({
      city: 'الرياض',
      family_size: 4,
      monthly_income: 2500,
      housing_type: { id: 'rented', label: { ar: 'إيجار', en: 'Rented' } },
      need_type: { id: 'medical', label: { ar: 'مساعدة علاجية', en: 'Medical support' } },
    });
    expect(d.documents).toEqual([{ id: expect.any(String), name: 'هوية وطنية.pdf', mime: 'application/pdf', size: PDF.length, createdAt: expect.any(String), checklistItemId: 'national_id', checked: false }]);
    expect(d.history).toMatchObject([{ from: null, to: 'new', by: { kind: 'beneficiary', name: 'beneficiary' } }]);
    expect(d.contact.channels).toMatchObject([{ channel: 'webchat' }]);
    expect(d.contact.locale).toBe('ar');
    expect(oa.audit.events.at(-1)).toMatchObject({ officerId: oa.staff.researcher, action: 'application.view', targetType: 'application', targetId: withDoc.applicationId });

    await oa.as(oa.staff.officer, 'POST', `/api/applications/${withDoc.applicationId}/status`, { status: 'under_study', note: 'بدء الدراسة' });
    const after = (await oa.as(oa.staff.researcher, 'GET', `/api/applications/${withDoc.applicationId}`)).json();
    expect(after.history.at(-1)).toMatchObject({ from: 'new', to: 'under_study', by: { kind: 'officer', id: oa.staff.officer, name: 'هدى الشمري' }, note: 'بدء الدراسة', at: expect.any(String) });
  });
});

describe('document download', () => {
  it('streams the right bytes with safe headers, audited; other applications’ files are not found', async () => {
    const detail = (await oa.as(oa.staff.committee, 'GET', `/api/applications/${withDoc.applicationId}`)).json();
    const docId = detail.documents[0].id as string;
    const res = await oa.as(oa.staff.committee, 'GET', `/api/applications/${withDoc.applicationId}/documents/${docId}`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="____ _____.pdf"; filename*=UTF-8''${encodeURIComponent('هوية وطنية.pdf')}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Someone else's bytes never run as a page on our origin, whatever they claim to be.
    expect(res.headers['content-security-policy']).toBe("default-src 'none';sandbox");
    const row = gw.db.select().from(attachments).where(eq(attachments.id, docId)).get();
    expect(createHash('sha256').update(res.rawPayload).digest('hex')).toBe(row?.sha256);
    expect(oa.audit.events.at(-1)).toMatchObject({ officerId: oa.staff.committee, action: 'attachment.view', targetType: 'attachment', targetId: docId, details: { applicationId: withDoc.applicationId } });

    const events = oa.audit.events.length;
    expect((await oa.as(oa.staff.committee, 'GET', `/api/applications/${plain.applicationId}/documents/${docId}`)).statusCode).toBe(404);
    expect((await oa.as(oa.staff.committee, 'GET', `/api/applications/${withDoc.applicationId}/documents/not-an-id`)).statusCode).toBe(404);
    expect((await oa.as(undefined, 'GET', `/api/applications/${withDoc.applicationId}/documents/${docId}`)).statusCode).toBe(401);
    expect(oa.audit.events).toHaveLength(events);
  });
});
