// GET /api/contacts/:id/export on the real gateway: everything held (JSON), the files (zip), a readable Arabic page,
// admins only, and each copy audited so that it lists who looked.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { applyViaWebchat, type Applicant } from '../applications/helpers.ts';
import { officerSession, type Headers } from '../letters/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { pdf } from '../support/webchat.ts';
import { unzip } from './erasure-support.ts';

let gw: TestGateway;
let admin: Headers;
let officer: Headers;
let person: Applicant;
const NAME = 'نورة سعد العتيبي';
const ID_COPY = pdf(3000);

beforeAll(async () => {
  gw = await startGateway();
  admin = await officerSession(gw, 'admin');
  officer = await officerSession(gw, 'officer');
  person = await applyViaWebchat(gw, 'ar', { name: NAME, idCopy: { bytes: ID_COPY, name: 'هوية.pdf' } });
  // An officer opens the application: the copy must say so.
  expect((await gw.app.inject({ method: 'GET', url: `/api/applications/${person.applicationId}`, headers: officer })).statusCode).toBe(200);
}, 120_000);
afterAll(() => gw.close());

type Export = { contactId: string; tables: Record<string, Record<string, unknown>[]> };

describe('GET /api/contacts/:id/export', () => {
  it('holds the contact, identities, every message, the application with its history, the files and who viewed', async () => {
    const res = await gw.app.inject({ method: 'GET', url: `/api/contacts/${person.contactId}/export`, headers: admin });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json() as Export;
    expect(body.contactId).toBe(person.contactId);
    expect(body.tables.contacts?.[0]?.id).toBe(person.contactId);
    expect(body.tables.contact_identities?.[0]).toMatchObject({ channel: 'webchat' });
    const texts = (body.tables.messages ?? []).map((m) => m.text);
    expect(texts).toContain(NAME);
    expect(texts).toContain(person.nationalId);
    expect(body.tables.applications?.[0]).toMatchObject({ id: person.applicationId, applicantName: NAME, nationalId: person.nationalId });
    expect(body.tables.application_status_history?.[0]).toMatchObject({ applicationId: person.applicationId, toStatus: 'new' });
    expect(body.tables.attachments?.[0]).toMatchObject({ originalName: 'هوية.pdf', mime: 'application/pdf' });
    expect(body.tables.attachments?.[0]).not.toHaveProperty('storagePath');
    const actions = (body.tables.audit_log ?? []).map((a) => a.action);
    expect(actions).toContain('application.view');
    expect(actions).toContain('contact.export');
  });

  it('?files=1 gives a zip of export.json and the stored files', async () => {
    const res = await gw.app.inject({ method: 'GET', url: `/api/contacts/${person.contactId}/export?files=1`, headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const entries = await unzip(res.rawPayload);
    expect((JSON.parse(entries.get('export.json')?.toString('utf8') ?? '{}') as Export).contactId).toBe(person.contactId);
    const files = [...entries.keys()].filter((n) => n.startsWith('files/'));
    expect(files).toHaveLength(1);
    expect(entries.get(files[0] ?? '')?.equals(ID_COPY)).toBe(true);
  });

  it('export.html is a readable Arabic page, right to left, with Hijri dates beside the Gregorian', async () => {
    for (const url of [`/api/contacts/${person.contactId}/export.html`, `/api/contacts/${person.contactId}/export?format=html`]) {
      const res = await gw.app.inject({ method: 'GET', url, headers: admin });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('dir="rtl"');
      expect(res.body).toContain('ملخص البيانات الشخصية المحفوظة');
      expect(res.body).toContain(NAME);
      expect(res.body).toMatch(/هـ الموافق .+م/);
      expect(res.body).toContain(person.reference);
    }
  });

  it('is for admins only, 404 for an unknown contact, and audited each time', async () => {
    expect((await gw.app.inject({ method: 'GET', url: `/api/contacts/${person.contactId}/export` })).statusCode).toBe(401);
    expect((await gw.app.inject({ method: 'GET', url: `/api/contacts/${person.contactId}/export`, headers: officer })).statusCode).toBe(403);
    expect((await gw.app.inject({ method: 'GET', url: '/api/contacts/00000000-0000-4000-8000-000000000000/export', headers: admin })).statusCode).toBe(404);
    const exports = gw.db.$client.prepare(`select details from audit_log where action = 'contact.export' and target_id = ?`).pluck().all(person.contactId) as string[];
    expect(exports.map((d) => (JSON.parse(d) as { format: string }).format).sort()).toEqual(['html', 'html', 'json', 'zip']);
  });
});
