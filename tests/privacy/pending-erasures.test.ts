// GET /api/contacts/erasures on the real gateway: the four-eyes queue. One admin asks, both see it (mine for the asker),
// the asker still cannot confirm, the other does and the queue empties; admins only, and each look is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyViaWebchat, type Applicant } from '../applications/helpers.ts';
import { officerSession, type Headers } from '../letters/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
let adminA: Headers;
let adminB: Headers;
let officer: Headers;
let dpo: Headers;
let person: Applicant;
let older: Applicant;
const NAME = 'نورة سعد العتيبي';

type Pending = { id: string; contactId: string; contactName: string | null; reason: string; requestedBy: { id: string; name: string }; requestedAt: string; mine: boolean };

beforeAll(async () => {
  gw = await startGateway();
  adminA = await officerSession(gw, 'admin');
  adminB = await officerSession(gw, 'admin');
  officer = await officerSession(gw, 'officer');
  dpo = await officerSession(gw, 'privacy');
  older = await applyViaWebchat(gw, 'ar', { name: 'هند عبدالله الحربي' });
  person = await applyViaWebchat(gw, 'ar', { name: NAME });
}, 120_000);
afterAll(() => gw.close());

const list = async (who: Headers) => {
  const res = await gw.app.inject({ method: 'GET', url: '/api/contacts/erasures', headers: who });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { erasures: Pending[] }).erasures;
};
const post = (who: Headers, url: string, payload: object = {}) => gw.app.inject({ method: 'POST', url, headers: who, payload });

describe('GET /api/contacts/erasures', () => {
  it('lists pending erasures newest first, mine for the asker; once the other admin confirms, the queue is empty', async () => {
    expect(await list(adminA)).toEqual([]);
    const first = await post(adminA, `/api/contacts/${older.contactId}/erase`, { reason: 'انتهت مدة الحفظ' });
    expect(first.statusCode, first.body).toBe(202);
    await new Promise((r) => setTimeout(r, 5));
    const asked = await post(adminA, `/api/contacts/${person.contactId}/erase`, { reason: 'طلب المستفيد عبر المحادثة' });
    expect(asked.statusCode, asked.body).toBe(202);
    const { id } = asked.json() as { id: string };
    const me = gw.db.$client.prepare(`select id, display_name from officers where id = (select requested_by from erasure_requests where id = ?)`).get(id) as { id: string; display_name: string };

    const forA = await list(adminA);
    expect(forA.map((e) => e.contactId)).toEqual([person.contactId, older.contactId]);
    expect(forA[0]).toMatchObject({ id, contactName: NAME, reason: 'طلب المستفيد عبر المحادثة', requestedBy: { id: me.id, name: me.display_name }, mine: true });
    expect(Date.parse(forA[0]?.requestedAt ?? '')).not.toBeNaN();
    const forB = await list(adminB);
    expect(forB.map((e) => [e.id, e.mine])).toEqual(forA.map((e) => [e.id, false]));

    // The asker still cannot confirm their own.
    const same = await post(adminA, `/api/contacts/erasures/${id}/confirm`);
    expect(same.statusCode).toBe(403);
    expect((same.json() as { error: { code: string } }).error.code).toBe('ERR_FOUR_EYES');
    expect((await post(adminB, `/api/contacts/erasures/${id}/confirm`)).statusCode).toBe(200);
    expect((await post(adminB, `/api/contacts/erasures/${forA[1]?.id ?? ''}/confirm`)).statusCode).toBe(200);
    expect(await list(adminA)).toEqual([]);
    expect(await list(adminB)).toEqual([]);
  });

  it('is for admins only, and each look is audited without personal values', async () => {
    expect((await gw.app.inject({ method: 'GET', url: '/api/contacts/erasures' })).statusCode).toBe(401);
    for (const who of [officer, dpo]) {
      const res = await gw.app.inject({ method: 'GET', url: '/api/contacts/erasures', headers: who });
      expect(res.statusCode).toBe(403);
      expect((res.json() as { error: { code: string } }).error.code).toBe('ERR_FORBIDDEN');
    }
    const looks = gw.db.$client.prepare(`select details from audit_log where action = 'contact.erasures_list'`).pluck().all() as string[];
    expect(looks.length).toBeGreaterThanOrEqual(5);
    for (const d of looks) expect(d).not.toContain(NAME);
  });
});
