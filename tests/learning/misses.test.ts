// Learning from misses through the real gateway: what the bot could not place is kept with its step (never the
// text where the step collects personal data), an admin sees it grouped and adds it as an example, and the very next
// message with that phrasing is understood without a restart; the reports show the recognition rate per week.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, gt } from 'drizzle-orm';
import { messages, nluMisses } from '../../src/db/schema.ts';
import { officerHeaders } from '../email/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';

const clock = { now: new Date('2026-11-19T07:00:00.000Z') };
let gw: TestGateway;
let admin: Record<string, string>;
let officer: Record<string, string>;

interface Bot {
  text: string;
  step?: string;
  choices?: { id: string }[];
}

async function visitor(): Promise<string> {
  const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: { locale: 'ar' } });
  return (res.json() as { token: string }).token;
}

const lastId = () => gw.db.select({ id: messages.id }).from(messages).orderBy(desc(messages.id)).limit(1).get()?.id ?? 0;

/** Sends one message and returns the i18n keys of the bot's answer to it (as stored for officers). */
async function say(token: string, payload: { text: string } | { choice: string }): Promise<string[]> {
  const before = lastId();
  const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${token}` }, payload });
  expect(res.statusCode).toBe(202);
  const rows = gw.db.select().from(messages).where(and(gt(messages.id, before), eq(messages.direction, 'out'))).orderBy(messages.id).all();
  return rows.flatMap((m) => {
    const key = (m.payload as { key?: string } | null)?.key;
    return key ? [key] : [];
  });
}

async function history(token: string): Promise<Bot[]> {
  const res = await gw.app.inject({ method: 'GET', url: '/api/webchat/messages', headers: { authorization: `Bearer ${token}` } });
  return (res.json() as { messages: (Bot & { direction: string })[] }).messages.filter((m) => m.direction === 'out');
}

interface Misses {
  groups: { text: string; normalized: string; count: number; step: string; locale: string; lastSeen: string }[];
  personal: { step: string; count: number }[];
  intents: { id: string; label: { ar: string; en: string } }[];
}

async function misses(headers = admin): Promise<Misses> {
  const res = await gw.app.inject({ method: 'GET', url: '/api/admin/nlu/misses', headers });
  expect(res.statusCode).toBe(200);
  return res.json() as Misses;
}

beforeAll(async () => {
  gw = await startGateway({}, { now: () => clock.now });
  admin = await officerHeaders(gw, 'admin');
  officer = await officerHeaders(gw, 'officer');
});

afterAll(async () => {
  await gw?.close();
});

// A question about the charity none of the examples covers: "how old is the building?".
const UNKNOWN = 'كم عمر المبنى؟';

describe('learning from misses', () => {
  it('keeps what nothing placed, grouped with its count and step, and lets an admin teach it to the running bot', async () => {
    const a = await visitor();
    expect(await say(a, { text: 'هلا' })).not.toContain('engine.not_understood');
    expect(await say(a, { text: UNKNOWN })).toContain('engine.not_understood');
    const b = await visitor();
    await say(b, { text: 'مرحبا' });
    clock.now = new Date('2026-11-19T08:00:00.000Z');
    // The same words with hamza, stretched letters and other punctuation are one group.
    expect(await say(b, { text: 'كــم عُمر المبنى ؟؟' })).toContain('engine.not_understood');

    const m = await misses();
    const group = m.groups.find((g) => g.normalized === 'كم عمر المبني');
    expect(group).toMatchObject({ count: 2, step: 'main.menu', locale: 'ar', text: 'كــم عُمر المبنى ؟؟', lastSeen: '2026-11-19T08:00:00.000Z' });
    expect(m.intents.map((i) => i.id)).toContain('donate');
    expect(m.intents.find((i) => i.id === 'donate')?.label).toEqual({ ar: 'التبرع والزكاة', en: 'Donations & zakat' });

    const add = await gw.app.inject({ method: 'POST', url: '/api/admin/nlu/examples', headers: admin, payload: { intent: 'about', text: group?.text } });
    expect(add.statusCode).toBe(201);
    expect(add.json()).toMatchObject({ added: true, example: { intent: 'about', locale: 'ar' } });

    // No restart: the next visitor asking the same is answered about donations and zakat.
    const c = await visitor();
    await say(c, { text: 'السلام عليكم' });
    const keys = await say(c, { text: UNKNOWN });
    expect(keys).toContain('enquiries.about');
    expect(keys).not.toContain('engine.not_understood');
    // A learnt group leaves the page.
    expect((await misses()).groups.some((g) => g.normalized === 'كم عمر المبني')).toBe(false);
    // Adding it again changes nothing.
    const again = await gw.app.inject({ method: 'POST', url: '/api/admin/nlu/examples', headers: admin, payload: { intent: 'about', text: 'كم عمر المبنى' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ added: false });
  });

  it('keeps only the step and a marker where the step collects personal data, never what was typed', async () => {
    const v = await visitor();
    await say(v, { text: 'السلام عليكم' });
    // The privacy notice (flows/privacy.yaml) comes before the intake's first personal question: accept it.
    expect(await say(v, { choice: 'apply' })).toContain('privacy.notice');
    await say(v, { choice: 'privacy_accept' });
    // Walk to the name question, whatever the intro asks first.
    expect((await history(v)).at(-1)?.step).toBe('ask_name');
    expect(await say(v, { text: 'محمد ١٠٥٨٥٢٩٩٤٠' })).toContain('validation.name_digits');
    const rows = gw.db.select().from(nluMisses).all().filter((r) => r.step === 'ask_name');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ flow: 'apply', personal: true, text: null, normalized: null });
    const m = await misses();
    expect(m.personal).toContainEqual(expect.objectContaining({ step: 'apply.ask_name', count: 1 }));
    expect(JSON.stringify(m)).not.toContain('1058529940');
    expect(JSON.stringify(m)).not.toContain('١٠٥٨٥٢٩٩٤٠');
  });

  it('masks a long number typed at a menu', async () => {
    const v = await visitor();
    await say(v, { text: 'مرحبا' });
    await say(v, { text: 'المبلغ 105852994 وصل' });
    const texts = (await misses()).groups.map((g) => g.text);
    expect(texts).toContain('المبلغ *****2994 وصل');
  });

  it('refuses an unknown intent, an officer who is not an admin, and nobody signed in', async () => {
    const bad = await gw.app.inject({ method: 'POST', url: '/api/admin/nlu/examples', headers: admin, payload: { intent: 'no_such_intent', text: 'اي شي' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'ERR_VALIDATION' } });
    const empty = await gw.app.inject({ method: 'POST', url: '/api/admin/nlu/examples', headers: admin, payload: { intent: 'donate', text: '' } });
    expect(empty.statusCode).toBe(400);
    expect((await gw.app.inject({ method: 'GET', url: '/api/admin/nlu/misses', headers: officer })).statusCode).toBe(403);
    expect((await gw.app.inject({ method: 'GET', url: '/api/admin/nlu/misses' })).statusCode).toBe(401);
    const post = await gw.app.inject({ method: 'POST', url: '/api/admin/nlu/examples', headers: officer, payload: { intent: 'donate', text: 'تبرع' } });
    expect(post.statusCode).toBe(403);
  });

  it('reports the recognition rate per week', async () => {
    const res = await gw.app.inject({ method: 'GET', url: '/api/reports?from=2026-11-15&to=2026-11-28', headers: admin });
    expect(res.statusCode).toBe(200);
    const r = (res.json() as { recognition: { messages: number; recognised: number; rate: number | null; weeks: { week: string; messages: number; recognised: number; rate: number | null }[] } }).recognition;
    expect(r.weeks.map((w) => w.week)).toEqual(['2026-11-15', '2026-11-22']);
    const [first, second] = r.weeks;
    const missed = gw.db.select().from(nluMisses).all().length;
    expect(first?.messages).toBeGreaterThan(missed);
    expect(first?.recognised).toBe((first?.messages ?? 0) - missed);
    expect(first?.rate).toBeCloseTo((first?.recognised ?? 0) / (first?.messages ?? 1), 3);
    expect(second).toEqual({ week: '2026-11-22', messages: 0, recognised: 0, rate: null });
  });
});
