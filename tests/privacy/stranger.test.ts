// From a stranger's side, over the real web chat API: typing an applicant's ID or reference in the intake or the
// status flow shows exactly what a never-seen one shows; only the applicant's own identity is told their reference.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, messages, statusRequests } from '../../src/db/schema.ts';
import { applyViaWebchat, officerApp, type Applicant, type OfficerApp } from '../applications/helpers.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { applyAs, freshNationalId, open, visitor, type Seen } from './support.ts';

const REFERENCE = /TW-\d{4}-[0-9A-HJKMNP-TV-Z]{7}/g;
let gw: TestGateway;
let officers: OfficerApp;
const applicants: Record<'ar' | 'en', Applicant | undefined> = { ar: undefined, en: undefined };

beforeAll(async () => {
  gw = await startGateway({}, { now: () => new Date('2026-11-19T07:00:00Z') });
  officers = await officerApp(gw);
  applicants.ar = await applyViaWebchat(gw, 'ar');
  applicants.en = await applyViaWebchat(gw, 'en');
});
afterAll(async () => {
  await officers?.app.close();
  await gw?.close();
});

const applicant = (locale: 'ar' | 'en'): Applicant => {
  const a = applicants[locale];
  if (!a) throw new Error('no applicant');
  return a;
};

/** A new visitor who opens the status flow and types `query`: everything the bot shows for that query. */
async function askStatus(locale: 'ar' | 'en', query: string): Promise<Seen[]> {
  const v = await visitor(gw, locale);
  await open(v, { choice: 'status' });
  return v.send(query);
}

const messagesOf = (contactId: string) => gw.db.select().from(messages).where(eq(messages.contactId, contactId)).all().length;

describe.each(['ar', 'en'] as const)('a stranger (%s)', (locale) => {
  it('gets the very same words in the status flow for an applicant’s ID or reference as for ones nobody has', async () => {
    const a = applicant(locale);
    const unknownReference = a.reference.replace(/-.{7}$/, '-0000000');
    const answers = {
      applicantsId: await askStatus(locale, a.nationalId),
      freshId: await askStatus(locale, freshNationalId()),
      applicantsReference: await askStatus(locale, a.reference),
      applicantsReferenceTyped: await askStatus(locale, a.reference.toLowerCase().replace(/-/g, ' ')),
      wellFormedUnknown: await askStatus(locale, unknownReference),
      oldFormUnknown: await askStatus(locale, 'TW-1448-00077'),
    };
    const first = JSON.stringify(answers.applicantsId);
    for (const [name, seen] of Object.entries(answers)) expect(JSON.stringify(seen), name).toBe(first);
    // No SMS channel in this gateway: the honest answer, without the promise to text the registered mobile.
    expect(answers.applicantsId.at(-1)?.step).toBe('private_unreachable');
    expect(first).not.toContain(a.reference);
    // The applicant was asked about three times (ID, reference, reference as typed); each request is on record.
    const requests = gw.db.select().from(statusRequests).where(eq(statusRequests.applicationId, a.applicationId)).all();
    expect(requests).toHaveLength(3);
  });

  it('goes through the intake with an applicant’s ID exactly as with a new one, and the researcher sees the flag', async () => {
    const a = applicant(locale);
    const before = messagesOf(a.contactId);
    const fresh = freshNationalId();
    const withTheirs = await applyAs(await visitor(gw, locale), locale, a.nationalId);
    const withNew = await applyAs(await visitor(gw, locale), locale, fresh);
    const same = (seen: Seen[], id: string) => JSON.stringify(seen).replaceAll(id, '<ID>').replace(REFERENCE, '<REF>');
    expect(same(withTheirs, a.nationalId)).toBe(same(withNew, fresh));
    expect(withTheirs.map((m) => m.step)).toContain('confirmation');
    expect(JSON.stringify(withTheirs)).not.toContain(a.reference);
    // Nobody wrote to the applicant about it.
    expect(messagesOf(a.contactId)).toBe(before);

    const rows = gw.db.select().from(applications).where(eq(applications.nationalId, a.nationalId)).all();
    expect(rows).toHaveLength(2);
    const second = rows.find((r) => r.id !== a.applicationId);
    expect(second?.possibleDuplicateOf).toBe(a.applicationId);
    const other = gw.db.select().from(applications).where(eq(applications.nationalId, fresh)).get();
    expect(other?.possibleDuplicateOf).toBeNull();

    const list = (await officers.as(officers.staff.researcher, 'GET', '/api/applications?limit=200')).json() as { items: { id: string; possibleDuplicate: boolean }[] };
    expect(list.items.find((i) => i.id === second?.id)?.possibleDuplicate).toBe(true);
    expect(list.items.find((i) => i.id === a.applicationId)?.possibleDuplicate).toBe(false);
    expect(list.items.find((i) => i.id === other?.id)?.possibleDuplicate).toBe(false);
    const detail = (await officers.as(officers.staff.researcher, 'GET', `/api/applications/${second?.id}`)).json() as {
      possibleDuplicate: boolean;
      possibleDuplicateOf: { reference: string } | null;
      sameNationalId: { reference: string; sameBeneficiary: boolean }[];
    };
    expect(detail.possibleDuplicate).toBe(true);
    expect(detail.possibleDuplicateOf?.reference).toBe(a.reference);
    expect(detail.sameNationalId).toEqual([expect.objectContaining({ reference: a.reference, sameBeneficiary: false })]);
    const original = (await officers.as(officers.staff.researcher, 'GET', `/api/applications/${a.applicationId}`)).json() as { sameNationalId: { id: string }[]; possibleDuplicateOf: unknown };
    expect(original.possibleDuplicateOf).toBeNull();
    expect((original as { possibleDuplicate?: boolean }).possibleDuplicate).toBe(false);
    expect(original.sameNationalId.map((x) => x.id)).toEqual([second?.id]);
  });
});

describe('the applicant’s own identity', () => {
  it('is told the reference and status, however the reference is typed', async () => {
    const a = applicant('ar');
    const arabicDigits = (s: string) => s.replace(/\d/g, (d) => String.fromCodePoint(0x660 + Number(d)));
    const code = a.reference.slice(8).toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    const typed = arabicDigits(`tw ${a.reference.slice(3, 7)} ${code}`);
    const me = await visitor(gw, a.locale, { token: a.token });
    await me.send({ choice: 'status' });
    const byReference = await me.send(typed);
    expect(byReference.map((m) => m.step)).toContain('show');
    expect(JSON.stringify(byReference)).toContain(a.reference);
    await me.send({ choice: 'status' });
    expect(JSON.stringify(await me.send(arabicDigits(a.nationalId)))).toContain(a.reference);
  });

  it('is reminded of the open request when starting the intake again with the same ID', async () => {
    const a = applicant('en');
    const me = await visitor(gw, a.locale, { token: a.token });
    await me.send({ choice: 'apply' });
    await me.send('Sarah Al-Qahtani');
    const seen = await me.send(a.nationalId);
    expect(seen.map((m) => m.step)).toContain('existing');
    expect(JSON.stringify(seen)).toContain(a.reference);
  });
});

