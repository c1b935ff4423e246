// The inbox queues: what each holds, in which order, paging, counts, and search by name, mobile, ID and reference.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, contacts } from '../../src/db/schema.ts';
import { askForOfficer, list, post, startInbox, telegram, type Harness } from './support.ts';

let h: Harness;
let me: string;
let other: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  h = await startInbox();
  me = h.officer('officer', 'نورة القحطاني');
  other = h.officer('officer', 'سارة العتيبي');
  // Three beneficiaries ask for an officer a minute apart; a fourth stays with the bot.
  ids.ahmad = await askForOfficer(h, '7001', { displayName: 'أحمد إبراهيم' });
  h.clock.advance(60);
  ids.mustafa = await askForOfficer(h, '7002', { displayName: 'مصطفى الحربي', phone: '+966551234567' });
  h.clock.advance(60);
  ids.fatima = await askForOfficer(h, '7003', { displayName: 'فاطمة الزهراني' });
  h.clock.advance(60);
  ids.bot = (await h.gw.conversations.receive(telegram('7004', 'السلام عليكم', { displayName: 'خالد' }))).conversationId;
  h.clock.advance(30);
});
afterAll(async () => {
  await h.close();
});

const idsOf = (items: { id: string }[]) => items.map((i) => i.id);

describe('inbox queues', () => {
  it('waiting lists the oldest request first, with how long each has waited and the counts', async () => {
    const page = await list(h, me, { queue: 'waiting' });
    expect(idsOf(page.items)).toEqual([ids.ahmad, ids.mustafa, ids.fatima]);
    expect(page.items.map((i) => i.waitingSeconds)).toEqual([210, 150, 90]);
    const first = page.items[0];
    expect(first).toMatchObject({ status: 'waiting', channel: 'telegram', contact: { displayName: 'أحمد إبراهيم' }, waitingSince: '2026-03-01T07:00:00.000Z' });
    expect(first?.lastMessage).toMatchObject({ direction: 'out' });
    expect(first?.unread).toBe(1);
    // Lists carry masked mobiles (the audited conversation view has the whole number).
    expect(page.items[1]?.contact.phone).toBe('********4567');
    expect(page.counts).toEqual({ waiting: 3, mine: 0, open: 4 });
  });

  it('pages with a cursor, without repeats or gaps', async () => {
    const one = await list(h, me, { queue: 'waiting', limit: '2' });
    expect(idsOf(one.items)).toEqual([ids.ahmad, ids.mustafa]);
    expect(one.nextCursor).toBeTypeOf('string');
    const two = await list(h, me, { queue: 'waiting', limit: '2', cursor: one.nextCursor ?? '' });
    expect(idsOf(two.items)).toEqual([ids.fatima]);
    expect(two.nextCursor).toBeUndefined();
    const bad = await h.app.inject({ method: 'GET', url: '/api/inbox/conversations?cursor=nonsense', headers: h.as(me) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'ERR_VALIDATION' } });
  });

  it('open holds bot, waiting and officer conversations; mine only what I took; closed the most recent first', async () => {
    expect((await post(h, me, `/api/inbox/conversations/${ids.fatima}/take`)).statusCode).toBe(200);
    expect((await post(h, other, `/api/inbox/conversations/${ids.mustafa}/take`)).statusCode).toBe(200);
    const mine = await list(h, me, { queue: 'mine' });
    expect(idsOf(mine.items)).toEqual([ids.fatima]);
    expect(mine.items[0]?.assignedOfficer).toEqual({ id: me, displayName: 'نورة القحطاني' });
    expect(mine.counts).toEqual({ waiting: 1, mine: 1, open: 4 });
    expect(idsOf((await list(h, me, { queue: 'waiting' })).items)).toEqual([ids.ahmad]);
    expect(idsOf((await list(h, me, { queue: 'open' })).items).sort()).toEqual([ids.ahmad, ids.mustafa, ids.fatima, ids.bot].sort());

    expect((await post(h, me, `/api/inbox/conversations/${ids.fatima}/close`)).statusCode).toBe(200);
    h.clock.advance(60);
    expect((await post(h, other, `/api/inbox/conversations/${ids.mustafa}/close`)).statusCode).toBe(200);
    const closed = await list(h, me, { queue: 'closed' });
    expect(idsOf(closed.items)).toEqual([ids.mustafa, ids.fatima]);
    expect((await list(h, me, { queue: 'open' })).counts).toEqual({ waiting: 1, mine: 0, open: 2 });
  });

  it('rejects an unknown queue and a limit out of range', async () => {
    for (const url of ['/api/inbox/conversations?queue=everything', '/api/inbox/conversations?limit=0', '/api/inbox/conversations?limit=1000']) {
      const res = await h.app.inject({ method: 'GET', url, headers: h.as(me) });
      expect(res.statusCode, url).toBe(400);
    }
  });
});

describe('inbox search', () => {
  beforeAll(async () => {
    // Ahmad has an application (reference and national ID) on record.
    const contactId = h.gw.db.$client.prepare('select contact_id from conversations where id = ?').pluck().get(ids.ahmad) as string;
    h.gw.db.update(contacts).set({ nationalId: '1058529940' }).where(eq(contacts.id, contactId)).run();
    h.gw.db
      .insert(applications)
      .values({
        id: randomUUID(),
        reference: 'TW-1448-00042',
        contactId,
        applicantName: 'أحمد إبراهيم السبيعي',
        nationalId: '1058529940',
        mobile: '+966501112223',
        answers: {},
        declarationVersion: '1',
        declarationAcceptedAt: '2026-02-01T00:00:00Z',
        committeeDueAt: '2026-02-15T00:00:00Z',
      })
      .run();
  });

  const search = async (q: string, queue = 'open') => idsOf((await list(h, me, { queue, q })).items);

  it('finds an Arabic name whatever the alef, ya or ta marbuta form', async () => {
    expect(await search('احمد')).toEqual([ids.ahmad]);
    expect(await search('ابراهيم')).toEqual([ids.ahmad]);
    expect(await search('السبيعي')).toEqual([ids.ahmad]); // the name on the application
    expect(await search('مصطفي', 'closed')).toEqual([ids.mustafa]);
    expect(await search('فاطمه الزهراني', 'closed')).toEqual([ids.fatima]);
    expect(await search('خالد')).toEqual([ids.bot]);
    expect(await search('عبدالله')).toEqual([]);
  });

  it('finds a mobile in local, international and Arabic-Indic forms', async () => {
    for (const q of ['0551234567', '+966 55 123 4567', '966551234567', '٠٥٥١٢٣٤٥٦٧']) expect(await search(q, 'closed'), q).toEqual([ids.mustafa]);
    expect(await search('0501112223')).toEqual([ids.ahmad]); // the mobile on the application
    expect(await search('0559999999', 'closed')).toEqual([]);
  });

  it('finds a national ID, also typed in Arabic-Indic digits', async () => {
    expect(await search('1058529940')).toEqual([ids.ahmad]);
    expect(await search('١٠٥٨٥٢٩٩٤٠')).toEqual([ids.ahmad]);
    expect(await search('2000000006')).toEqual([]);
  });

  it('finds an application reference in any case', async () => {
    expect(await search('tw-1448-00042')).toEqual([ids.ahmad]);
    expect(await search('TW-1448-00042', 'waiting')).toEqual([ids.ahmad]);
    expect(await search('tw-1448-00043')).toEqual([]);
  });
});
