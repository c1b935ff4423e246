// Issue 11 through the real WhatsApp Cloud webhook (signed payloads, the fake Graph API): what beneficiaries actually
// write — dialect questions, courtesy, a problem with a request, numbers in words, stickers and emoji, English — is
// understood turn by turn, what nothing placed is kept to learn from, and Arabic texts carry one digit style.
import { and, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages, nluMisses } from '../../src/db/schema.ts';
import { FakeWhatsappGraph, signed, waButtonReply, waText, type GraphCall } from '../fakes/whatsapp-graph.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { APP_SECRET, TOKEN, VERIFY_TOKEN, fixture } from './support.ts';

let fake: FakeWhatsappGraph;
let gw: TestGateway;

beforeAll(async () => {
  fake = new FakeWhatsappGraph({ token: TOKEN });
  await fake.start();
  gw = await startGateway({
    WHATSAPP_ACCESS_TOKEN: TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_GRAPH_URL: fake.url,
  });
  await gw.listen();
});
afterAll(async () => {
  await gw?.close();
  await fake.stop();
});

interface Turn {
  keys: string[];
  texts: string[];
  /** The choice ids offered by the last message of the turn. */
  choices: string[];
}

const lastId = () => gw.db.select({ id: messages.id }).from(messages).orderBy(messages.id).all().at(-1)?.id ?? 0;
const textOf = (c: GraphCall | undefined) => {
  const b = c?.body as { text?: { body?: string }; interactive?: { body?: { text?: string } } } | undefined;
  return b?.text?.body ?? b?.interactive?.body?.text ?? '';
};

/**
 * Posts one signed webhook and reads the bot's answer, committed before the 200 (what the phone is sent; the Graph
 * API gets it at WhatsApp's pace of one message per 6 s per recipient after a burst of 4, so most turns read it here).
 */
async function send(_from: string, payload: unknown): Promise<Turn> {
  const before = lastId();
  const { body, signature } = signed(payload, APP_SECRET);
  const res = await fetch(`${gw.url()}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
  expect(res.status).toBe(200);
  const out = gw.db.select().from(messages).where(and(gt(messages.id, before), eq(messages.direction, 'out'))).orderBy(messages.id).all();
  const payloads = out.map((m) => (m.payload ?? {}) as { key?: string; choices?: { id: string }[] });
  return { keys: payloads.map((p) => p.key ?? '?'), texts: out.map((m) => m.text), choices: payloads.at(-1)?.choices?.map((c) => c.id) ?? [] };
}

/** What the Graph API was asked to deliver to this number, waiting for `n` calls. */
async function delivered(to: string, n: number): Promise<string[]> {
  await eventually(() => fake.sentTo(to).length >= n || undefined, 4000);
  return fake.sentTo(to).map(textOf);
}
const say = (from: string, text: string) => send(from, waText({ from, text }));
const press = (from: string, buttonId: string, title: string) => send(from, waButtonReply({ from, buttonId, title }));

/**
 * A turn that ended on the privacy notice (flows/privacy.yaml, before a flow's first personal question), answered
 * with its «أوافق» / «I agree» button as the beneficiary does; returns both turns together.
 */
async function accepting(from: string, turn: Turn, title = 'أوافق'): Promise<Turn> {
  expect(turn.keys.at(-1)).toBe('privacy.notice');
  expect(turn.choices).toEqual(['privacy_accept', 'privacy_decline']);
  const next = await press(from, 'privacy_accept', title);
  return { keys: [...turn.keys, ...next.keys], texts: [...turn.texts, ...next.texts], choices: next.choices };
}

describe('understanding over WhatsApp', () => {
  it('answers dialect questions at the menu and after an answer, with the courtesy each greeting calls for', async () => {
    const from = '966551300001';
    const hi = await say(from, 'صباح الخير');
    expect(hi.keys[0]).toBe('intents.reply.morning');
    // «صباح الخير» wants «صباح النور», and the phone gets it first, before the welcome and the menu.
    expect((await delivered(from, 3))[0]).toContain('صباح النور');
    const where = await say(from, 'وين مقركم؟');
    expect(where.keys).toContain('enquiries.hours_location');
    expect(where.texts.join('\n')).toContain('حي الروضة');
    expect(where.keys).not.toContain('engine.not_understood');
    // A new question right after an answer is understood, without pressing «استفسار آخر».
    const donate = await say(from, 'كيف أتبرع؟');
    expect(donate.keys).toContain('enquiries.donate');
    const thanks = await say(from, 'شكرا جزاكم الله خير');
    expect(thanks.keys).toContain('intents.reply.thanks');
    expect(thanks.texts.join('\n')).toContain('وإياكم');
    const staff = await say(from, 'ممكن احد من الموظفين');
    expect(staff.keys).not.toContain('engine.not_understood');
    // Handed to an officer (the answer says when one replies: now, or when the office opens).
    expect(staff.keys.some((k) => k === 'handoff.waiting_open' || k === 'handoff.waiting_closed')).toBe(true);
  });

  it('treats a problem with a request as the existing request, never a new application', async () => {
    const from = '966551300002';
    await say(from, 'السلام عليكم');
    const problem = await say(from, 'عندي مشكلة في الطلب');
    expect(problem.keys).toContain('intents.request_problem_ask');
    expect(problem.keys).not.toContain('apply.ask_name');
    expect(problem.choices).toEqual(['nlu_status', 'nlu_complaint', 'nlu_officer']);
    const status = await accepting(from, await press(from, 'nlu_status', 'متابعة طلب'));
    expect(status.keys).toContain('status.ask_query');
  });

  it('reads names, numbers in words and amounts as people write them during an application', async () => {
    const from = '966551300003';
    await say(from, 'السلام عليكم');
    expect((await accepting(from, await say(from, 'ابي اقدم طلب مساعدة'))).keys).toContain('apply.ask_name');
    // A question typed where the name is asked is answered, not taken as the name; digits are refused with a reason.
    expect((await say(from, 'هل تصرفون سلال رمضان؟')).keys).not.toContain('apply.ask_national_id');
    expect((await say(from, '١٠٥٨٥٢٩٩٤٠')).keys).toContain('validation.name_digits');
    expect((await say(from, 'محمد')).keys).toContain('validation.name_two_words');
    const id = await say(from, 'محمد عبدالله العتيبي');
    expect(id.keys).toContain('apply.ask_national_id');
    // One digit style in Arabic: the «(10 أرقام)» of the question is written «(١٠ أرقام)».
    expect(id.texts.join('\n')).toContain('(١٠ أرقام)');
    expect((await say(from, '١٠١٢٣٤٥٦٧٢')).keys).toContain('apply.ask_mobile');
    expect((await say(from, '+966 55 123 4567')).keys).toContain('apply.ask_city');
    expect((await say(from, 'الرياض')).keys).toContain('apply.ask_family_size');
    expect((await say(from, 'ستة')).keys).toContain('apply.ask_income');
    expect((await say(from, '٣٬٥٠٠ ريال')).keys).toContain('apply.ask_housing');
    const vars = gw.db
      .select()
      .from(conversations)
      .all()
      .map((c) => (c.flowState as { vars?: Record<string, unknown> } | null)?.vars ?? {})
      .find((v) => v.family_size === 6);
    expect(vars?.monthly_income).toBe(3500);
    // The refused answers were kept as misses at their steps — without what was typed (personal data).
    const kept = gw.db.select().from(nluMisses).where(eq(nluMisses.channel, 'whatsapp')).all().filter((m) => m.flow === 'apply');
    expect(kept.length).toBeGreaterThanOrEqual(2);
    for (const m of kept) expect(m).toMatchObject({ personal: true, text: null });
  });

  it('answers a sticker and an emoji-only message kindly, and keeps the pending question', async () => {
    const sticker = fixture('sticker') as { entry: { changes: { value: { messages: { from: string }[] } }[] }[] };
    const from = sticker.entry[0]?.changes[0]?.value.messages[0]?.from ?? '';
    const first = await send(from, sticker);
    expect(first.keys).toContain('engine.emoji_reply');
    expect(first.keys).not.toContain('common.media_unsupported');
    expect((await delivered(from, first.keys.length)).join('\n')).toContain('كيف نقدر نخدمك');
    const emoji = await say(from, '👍🌹');
    expect(emoji.keys).toContain('engine.emoji_reply');
    expect(emoji.keys).not.toContain('engine.not_understood');
  });

  it('does the same in English: greetings in kind, numbers in words, and «عربي» back to Arabic', async () => {
    const from = '966551300004';
    await say(from, 'English');
    const hello = await say(from, 'hello');
    expect(hello.keys[0]).toBe('intents.reply.hello');
    expect(hello.texts.join('\n')).not.toContain('Peace be upon you too');
    expect((await say(from, 'where are you located?')).keys).toContain('enquiries.hours_location');
    expect((await accepting(from, await say(from, 'I want to apply for help'), 'I agree')).keys).toContain('apply.ask_name');
    await say(from, 'Sarah Al-Qahtani');
    await say(from, '2111222333');
    await say(from, '0501234567');
    await say(from, 'Dammam');
    expect((await say(from, 'six people')).keys).toContain('apply.ask_income');
    expect((await say(from, 'three thousand five hundred')).keys).toContain('apply.ask_housing');
    const back = await say(from, 'عربي');
    expect(back.texts.join('\n')).toMatch(/[\u0600-\u06FF]/);
  });

  it('keeps what nothing placed at the menu, with its text, for the admins\' misses page', async () => {
    const from = '966551300005';
    await say(from, 'السلام عليكم');
    expect((await say(from, 'كم عمر المبنى؟')).keys).toContain('engine.not_understood');
    const miss = gw.db.select().from(nluMisses).where(eq(nluMisses.channel, 'whatsapp')).all().find((m) => m.text === 'كم عمر المبنى؟');
    expect(miss).toMatchObject({ flow: 'main', step: 'menu', personal: false, normalized: 'كم عمر المبني' });
  });
});
