// One conversation in the inbox: the full view (audited), take-over races, replies, notes, refer, hand back, close.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, contactIdentities } from '../../src/db/schema.ts';
import { askForOfficer, post, startInbox, telegram, type Harness } from './support.ts';

let h: Harness;
let officer: string;
let officer2: string;
let researcher: string;
let committee: string;
let admin: string;

beforeAll(async () => {
  h = await startInbox();
  officer = h.officer('officer', 'نورة القحطاني');
  officer2 = h.officer('officer', 'سارة العتيبي');
  researcher = h.officer('researcher', 'د. منصور الشهري');
  committee = h.officer('committee', 'عضو اللجنة');
  admin = h.officer('admin', 'المشرف');
});
afterAll(async () => {
  await h.close();
});

interface WebView {
  direction: string;
  sender: string;
  senderName?: string;
  text: string;
  flow?: string;
}

/** A web chat visitor (through the real web chat API) who asks for an officer. */
async function webVisitor(): Promise<{ token: string; conversationId: string }> {
  const res = await h.gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: {} });
  const session = res.json() as { token: string; conversationId: string };
  const sent = await h.gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${session.token}` }, payload: { text: 'أبي أكلم موظف' } });
  expect(sent.statusCode).toBe(202);
  return session;
}

async function webHistory(token: string): Promise<WebView[]> {
  const res = await h.gw.app.inject({ method: 'GET', url: '/api/webchat/messages', headers: { authorization: `Bearer ${token}` } });
  return (res.json() as { messages: WebView[] }).messages;
}

const state = (id: string) => h.gw.db.$client.prepare('select status, assigned_officer_id as assignedOfficerId from conversations where id = ?').get(id) as { status: string; assignedOfficerId: string | null };
const outCount = (id: string) => h.gw.db.$client.prepare(`select count(*) from messages where conversation_id = ? and direction = 'out'`).pluck().get(id) as number;
const url = (id: string, action = '') => `/api/inbox/conversations/${id}${action ? `/${action}` : ''}`;

describe('the conversation view', () => {
  it('shows the beneficiary on every channel, their whole history, notes and applications, and audits the view', async () => {
    const { token, conversationId } = await webVisitor();
    const contactId = h.gw.db.$client.prepare('select contact_id from conversations where id = ?').pluck().get(conversationId) as string;
    // The same person also writes on Telegram: a second identity of the same contact.
    h.gw.db.insert(contactIdentities).values({ id: randomUUID(), contactId, channel: 'telegram', address: '555123456789', displayName: 'ريم' }).run();
    h.clock.advance(5);
    const tg = await h.gw.conversations.receive(telegram('555123456789', 'السلام عليكم'));
    const appIds = new Map<string, string>();
    for (const [reference, status, due] of [
      ['TW-1448-00001', 'rejected', '2026-01-01T00:00:00.000Z'],
      ['TW-1448-00002', 'under_study', '2026-02-20T00:00:00.000Z'],
    ] as const) {
      appIds.set(reference, randomUUID());
      h.gw.db
        .insert(applications)
        .values({ id: appIds.get(reference) ?? '', reference, contactId, applicantName: 'ريم', nationalId: '1000000008', mobile: '+966551234567', answers: {}, declarationVersion: '1', declarationAcceptedAt: '2026-01-01T00:00:00Z', status, committeeDueAt: due, createdAt: due })
        .run();
    }
    expect((await post(h, officer, url(conversationId, 'notes'), { text: 'تحتاج متابعة الدخل' })).statusCode).toBe(201);

    const res = await h.app.inject({ method: 'GET', url: url(conversationId), headers: h.as(officer) });
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view.conversation).toMatchObject({ id: conversationId, status: 'waiting', channel: 'webchat' });
    expect(view.contact.identities).toHaveLength(2);
    expect(view.contact.identities.find((i: { channel: string }) => i.channel === 'telegram').address).toBe('********6789');
    expect(view.contact.identities.every((i: { address: string }) => i.address.startsWith('*'))).toBe(true);
    const channels = new Set(view.history.map((m: { channel: string }) => m.channel));
    expect(channels).toEqual(new Set(['webchat', 'telegram']));
    expect(view.history.map((m: { id: number }) => m.id)).toEqual([...view.history.map((m: { id: number }) => m.id)].sort((a, b) => a - b));
    expect(tg.conversationId).not.toBe(conversationId);
    expect(view.history.find((m: { text: string }) => m.text === 'أبي أكلم موظف')).toMatchObject({ direction: 'in', sender: 'beneficiary', channel: 'webchat', status: 'received', conversationId });
    expect(view.history.find((m: { text: string }) => m.text === 'السلام عليكم')).toMatchObject({ channel: 'telegram', conversationId: tg.conversationId });
    expect(view.notes).toEqual([expect.objectContaining({ text: 'تحتاج متابعة الدخل', officer: { id: officer, displayName: 'نورة القحطاني' } })]);
    expect(view.applications).toEqual([
      // The id opens the application from the contact panel.
      { id: appIds.get('TW-1448-00002'), reference: 'TW-1448-00002', status: 'under_study', createdAt: '2026-02-20T00:00:00.000Z', committeeDueAt: '2026-02-20T00:00:00.000Z', overdue: true },
      { id: appIds.get('TW-1448-00001'), reference: 'TW-1448-00001', status: 'rejected', createdAt: '2026-01-01T00:00:00.000Z', committeeDueAt: '2026-01-01T00:00:00.000Z', overdue: false },
    ]);
    expect(h.audits.at(-1)).toEqual({ officerId: officer, action: 'conversation.view', targetType: 'conversation', targetId: conversationId, ip: '127.0.0.1' });
    // Notes are officers' data: never in the beneficiary's chat.
    expect((await webHistory(token)).some((m) => m.text.includes('الدخل'))).toBe(false);
  });

  it('answers 404 for an unknown conversation', async () => {
    const res = await h.app.inject({ method: 'GET', url: url('no-such-id'), headers: h.as(officer) });
    expect(res.statusCode).toBe(404);
    expect((await post(h, officer, url('no-such-id', 'take'))).statusCode).toBe(404);
    expect((await post(h, officer, url('no-such-id', 'notes'), { text: 'x' })).statusCode).toBe(404);
  });
});

describe('officer actions', () => {
  it('two officers take at once: exactly one wins, the other is told who has it', async () => {
    const id = await askForOfficer(h, '8101', { displayName: 'سلمان' });
    const [a, b] = await Promise.all([post(h, officer, url(id, 'take')), post(h, officer2, url(id, 'take'))]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const winner = a.statusCode === 200 ? officer : officer2;
    const loser = a.statusCode === 200 ? b : a;
    expect(loser.json()).toMatchObject({ error: { code: 'ERR_CONFLICT' } });
    expect(loser.json().error.message).toContain(winner === officer ? 'نورة القحطاني' : 'سارة العتيبي');
    expect(state(id)).toEqual({ status: 'officer', assignedOfficerId: winner });
    expect(h.audits.filter((e) => e.action === 'conversation.take' && e.targetId === id)).toEqual([{ officerId: winner, action: 'conversation.take', targetType: 'conversation', targetId: id, ip: '127.0.0.1' }]);
  });

  it('a reply goes out on the beneficiary own channel, shows the officer name in the web chat, and only the holder may reply', async () => {
    const { token, conversationId } = await webVisitor();
    expect((await post(h, officer, url(conversationId, 'take'))).json()).toEqual({ conversation: { id: conversationId, status: 'officer', assignedOfficerId: officer } });
    const res = await post(h, officer, url(conversationId, 'reply'), { text: '  أهلًا بك، كيف أخدمك؟  ' });
    expect(res.statusCode).toBe(201);
    const { message } = res.json();
    expect(message).toMatchObject({ direction: 'out', sender: 'officer', senderName: 'نورة القحطاني', text: 'أهلًا بك، كيف أخدمك؟', channel: 'webchat', status: 'queued' });
    const identityAddress = h.gw.db.$client.prepare('select i.address from conversations c join contact_identities i on i.id = c.identity_id where c.id = ?').pluck().get(conversationId);
    expect(h.gw.db.$client.prepare('select channel, address from outbox where message_id = ?').all(message.id)).toEqual([{ channel: 'webchat', address: identityAddress }]);
    expect((await webHistory(token)).at(-1)).toMatchObject({ sender: 'officer', senderName: 'نورة القحطاني', text: 'أهلًا بك، كيف أخدمك؟' });

    const taken = await post(h, officer2, url(conversationId, 'reply'), { text: 'مرحبا' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('ERR_CONFLICT');
    expect((await post(h, officer, url(conversationId, 'reply'), { text: '   ' })).statusCode).toBe(400);
    expect((await post(h, officer, url(conversationId, 'reply'), {})).statusCode).toBe(400);
    expect((await post(h, officer, url(conversationId, 'reply'), { text: 'x'.repeat(4001) })).statusCode).toBe(413);
    expect(h.audits.at(-1)).toMatchObject({ action: 'conversation.reply', officerId: officer, details: { messageId: message.id } });
  });

  it('a Telegram reply is queued for that chat', async () => {
    const id = await askForOfficer(h, '8202');
    const res = await post(h, officer, url(id, 'reply'), { text: 'تفضل' });
    expect(res.statusCode).toBe(201);
    expect(h.gw.db.$client.prepare('select channel, address from outbox where message_id = ?').all(res.json().message.id)).toEqual([{ channel: 'telegram', address: '8202' }]);
    expect(state(id)).toEqual({ status: 'officer', assignedOfficerId: officer });
  });

  it('a note is stored for officers and never sent', async () => {
    const id = await askForOfficer(h, '8303');
    const before = outCount(id);
    const outbox = h.gw.db.$client.prepare('select count(*) from outbox').pluck().get();
    const res = await post(h, officer2, url(id, 'notes'), { text: 'اتصل بالمستفيد غدًا' });
    expect(res.statusCode).toBe(201);
    expect(res.json().note).toMatchObject({ conversationId: id, text: 'اتصل بالمستفيد غدًا', officer: { id: officer2, displayName: 'سارة العتيبي' } });
    expect(outCount(id)).toBe(before);
    expect(h.gw.db.$client.prepare('select count(*) from outbox').pluck().get()).toBe(outbox);
    expect(h.audits.at(-1)).toMatchObject({ action: 'conversation.note', officerId: officer2, targetId: id });
    expect(JSON.stringify(h.audits.at(-1))).not.toContain('غدًا');
  });

  it('refer hands the conversation to an active researcher, tells the beneficiary and keeps the note private', async () => {
    const id = await askForOfficer(h, '8404');
    await post(h, officer, url(id, 'take'));
    expect((await post(h, officer, url(id, 'refer'), { researcherId: officer2 })).statusCode).toBe(400);
    const retired = h.officer('researcher', 'باحث سابق', false);
    expect((await post(h, officer, url(id, 'refer'), { researcherId: retired })).statusCode).toBe(400);
    expect((await post(h, officer2, url(id, 'refer'), { researcherId: researcher })).statusCode).toBe(409);
    const res = await post(h, officer, url(id, 'refer'), { researcherId: researcher, note: 'دخل الأسرة غير واضح' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ conversation: { id, status: 'officer', assignedOfficerId: researcher } });
    const last = h.gw.db.$client.prepare(`select text from messages where conversation_id = ? and direction = 'out' order by id desc limit 1`).pluck().get(id) as string;
    expect(last).toContain('د. منصور الشهري');
    const notes = h.gw.db.$client.prepare('select text, officer_id as officerId from conversation_notes where conversation_id = ?').all(id);
    expect(notes).toEqual([{ text: 'دخل الأسرة غير واضح', officerId: officer }]);
    expect(h.gw.db.$client.prepare(`select count(*) from messages where conversation_id = ? and text like '%غير واضح%'`).pluck().get(id)).toBe(0);
    expect(h.audits.filter((e) => e.targetId === id).map((e) => e.action)).toEqual(['conversation.take', 'conversation.refer', 'conversation.note']);
    // The researcher now holds it and can reply.
    expect((await post(h, researcher, url(id, 'reply'), { text: 'أنا الباحث، سأتابع طلبك' })).statusCode).toBe(201);
  });

  it('hand back returns the beneficiary to the bot at the main menu', async () => {
    const id = await askForOfficer(h, '8505');
    await post(h, officer, url(id, 'take'));
    expect((await post(h, officer2, url(id, 'hand-back'))).statusCode).toBe(409);
    const res = await post(h, officer, url(id, 'hand-back'));
    expect(res.json()).toEqual({ conversation: { id, status: 'bot', assignedOfficerId: null } });
    const payloads = (h.gw.db.$client.prepare(`select payload from messages where conversation_id = ? and direction = 'out' order by id asc`).pluck().all(id) as string[]).map((p) => JSON.parse(p) as { key?: string; flow?: string });
    const handedBack = payloads.findIndex((p) => p.key === 'inbox.handed_back');
    expect(handedBack).toBeGreaterThan(0);
    expect(payloads.slice(handedBack + 1).map((p) => p.key)).toContain('main.menu');
    expect(h.audits.at(-1)).toMatchObject({ action: 'conversation.hand_back', officerId: officer, targetId: id });
  });

  it('close ends the conversation and asks the beneficiary the satisfaction survey; an admin may close anyone', async () => {
    const id = await askForOfficer(h, '8606');
    await post(h, officer, url(id, 'take'));
    const res = await post(h, admin, url(id, 'close'));
    expect(res.statusCode).toBe(200);
    expect(res.json().conversation.status).toBe('closed');
    const survey = JSON.parse(h.gw.db.$client.prepare(`select payload from messages where conversation_id = ? and direction = 'out' order by id desc limit 1`).pluck().get(id) as string) as { flow?: string };
    expect(survey.flow).toBe('survey');
    expect(h.audits.at(-1)).toMatchObject({ action: 'conversation.close', officerId: admin, targetId: id });
    expect((await post(h, officer, url(id, 'reply'), { text: 'مرحبا' })).statusCode).toBe(409);
    expect((await post(h, officer, url(id, 'take'))).statusCode).toBe(409);
  });
});

describe('who may use the inbox', () => {
  it('committee members get 403, strangers 401, and writes without the CSRF token 403', async () => {
    const id = await askForOfficer(h, '8707');
    const asCommittee = h.as(committee);
    for (const [method, path] of [
      ['GET', '/api/inbox/conversations'],
      ['GET', url(id)],
      ['POST', url(id, 'take')],
      ['GET', '/api/inbox/canned-replies'],
      ['GET', '/api/inbox/officers'],
      ['GET', '/api/inbox/events'],
    ] as const) {
      const res = await h.app.inject({ method, url: path, headers: asCommittee });
      expect(res.statusCode, `${method} ${path}`).toBe(403);
      expect(res.json().error.code).toBe('ERR_FORBIDDEN');
      expect((await h.app.inject({ method, url: path })).statusCode, `${method} ${path} anonymous`).toBe(401);
    }
    const noCsrf = await h.app.inject({ method: 'POST', url: url(id, 'take'), headers: { 'x-test-officer': officer } });
    expect(noCsrf.statusCode).toBe(403);
    expect(state(id).status).toBe('waiting');
    const researcherView = await h.app.inject({ method: 'GET', url: url(id), headers: h.as(researcher) });
    expect(researcherView.statusCode).toBe(200);
  });
});
