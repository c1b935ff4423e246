// The inbox's API layer: the server's JSON read into the UI's shapes, the exact calls made, and errors as sentences.
import { describe, expect, it } from 'vitest';
import { adaptApplicationDetail, adaptAudit, adaptConversationDetail, adaptConversationList, adaptReport, adaptSession } from '../../web/inbox/src/adapt.ts';
import { allowedFromError, ApiError, apiError, createApi, holderFromError, query, type Method } from '../../web/inbox/src/api.ts';
import type { ConversationDetail, ConversationListPage } from '../../src/api/inbox.ts';
import type { AuditEntry, SessionInfo } from '../../src/api/auth.ts';
import type { Report as ApiReport } from '../../src/api/reports.ts';
import { errorText } from '../../web/inbox/src/ctx.ts';
import { inboxMessage } from './contract-fixtures.ts';
import { STRINGS } from './strings.ts';

const NOW = Date.parse('2024-09-14T12:00:00Z');

function fake(answers: Record<string, unknown> = {}) {
  const calls: { method: Method; path: string; body?: unknown }[] = [];
  const api = createApi(async (method, path, body) => {
    calls.push(body === undefined ? { method, path } : { method, path, body });
    return answers[`${method} ${path.replace(/\?.*$/, '')}`];
  }, () => NOW);
  return { api, calls };
}

const REPORT: ApiReport = {
  period: { from: '2024-09-14', to: '2024-09-15', timeZone: 'Asia/Riyadh' },
  conversations: { total: 4, channels: ['telegram', 'webchat'], totals: { telegram: 2, webchat: 2 }, days: [{ day: '2024-09-14', total: 3, channels: { telegram: 2, webchat: 1 } }, { day: '2024-09-15', total: 1, channels: { telegram: 0, webchat: 1 } }] },
  waitingTime: { count: 12, unanswered: 1, medianSeconds: 120, p90Seconds: 600 },
  recognition: { messages: 10, recognised: 9, rate: 0.9, weeks: [{ week: '2024-09-08', messages: 10, recognised: 9, rate: 0.9 }, { week: '2024-09-15', messages: 0, recognised: 0, rate: null }] },
  satisfaction: { average: 4.25, count: 8, distribution: { 1: 0, 2: 1, 3: 1, 4: 2, 5: 4 }, byServiceType: [{ serviceType: 'food_basket', count: 3, average: 4.67 }] },
  applications: { byStatus: { new: 2, committee: 1 }, total: 3, created: 2, overdue: 1, bySource: { channel: 2, phone: 1 }, byBranch: [{ branchId: null, count: 2 }, { branchId: 'kharj', count: 1 }] },
};

describe('adapters', () => {
  it('reads the session', () => {
    const answer: SessionInfo = { officer: { id: 'o1', email: 'a@b.sa', displayName: 'سارة', role: 'committee', grammaticalGender: 'f', mustChangePassword: true, totpEnabled: false, totpSetupRequired: true, nameNeeded: false }, csrfToken: 't', totpEnabled: false, totpSetupRequired: true };
    expect(adaptSession(answer)).toEqual({ officer: { id: 'o1', email: 'a@b.sa', displayName: 'سارة', role: 'committee', gender: 'f', mustChangePassword: true, totpEnabled: false, totpSetupRequired: true, nameNeeded: false }, csrfToken: 't' });
    expect(adaptSession({ ...answer, officer: { ...answer.officer, nameNeeded: true } }).officer.nameNeeded).toBe(true);
    expect(adaptSession({ ...answer, officer: { ...answer.officer, grammaticalGender: 'm', totpEnabled: true } }).officer).toMatchObject({ gender: 'm', totpEnabled: true });
  });

  it('reads the conversation list, waiting time from waitingSince or waitingSeconds, and the counts', () => {
    const page: ConversationListPage = {
      items: [
        { id: 'c1', status: 'waiting', channel: 'telegram', contact: { id: 'k1', displayName: 'أحمد', phone: '+966551234567' }, waitingSince: '2024-09-14T11:55:00Z', lastMessage: { text: 'موظف', direction: 'in', createdAt: '2024-09-14T11:55:00Z' } },
        { id: 'c2', status: 'officer', channel: 'webchat', contact: { id: 'k2', displayName: 'Mona' }, assignedOfficer: { id: 'o1', displayName: 'سارة' }, waitingSeconds: 90, lastMessage: null },
        { id: 'c3', status: 'officer', channel: 'webchat', contact: { id: 'k3', displayName: null }, assignedOfficer: { id: 'o2', displayName: 'Ali' }, lastMessage: null },
      ],
      counts: { waiting: 3, mine: 1, open: 7 },
    };
    const r = adaptConversationList(page, NOW);
    expect(r.counts).toEqual({ waiting: 3, mine: 1, open: 7 });
    expect(r.conversations[0]).toEqual({
      id: 'c1',
      status: 'waiting',
      channel: 'telegram',
      contact: { id: 'k1', displayName: 'أحمد', phone: '+966551234567', nationalId: undefined },
      assignedOfficer: undefined,
      waitingSinceMs: Date.parse('2024-09-14T11:55:00Z'),
      lastMessage: { text: 'موظف', direction: 'in', createdAt: '2024-09-14T11:55:00Z' },
    });
    expect(r.conversations[1]?.waitingSinceMs).toBe(NOW - 90_000);
    expect(r.conversations[1]?.assignedOfficer).toEqual({ id: 'o1', displayName: 'سارة' });
    expect(r.conversations[2]?.assignedOfficer).toEqual({ id: 'o2', displayName: 'Ali' });
    expect(r.conversations[2]?.waitingSinceMs).toBeUndefined();
    expect(r.conversations[2]?.contact.displayName).toBe('');
    expect(r.conversations[1]?.lastMessage).toBeUndefined();
  });

  it('reads a conversation with messages, notes and applications', () => {
    const answer: ConversationDetail = {
      conversation: { id: 'c1', status: 'officer', channel: 'telegram', assignedOfficer: { id: 'o1', displayName: 'سارة' }, locale: 'ar', createdAt: '2024-09-14T10:00:00Z' },
      contact: { id: 'k1', displayName: 'أحمد', nationalId: '1000000008', locale: 'ar', identities: [{ id: 'i1', channel: 'telegram', address: '12345' }], preferredChannel: null, reachableChannels: ['telegram'] },
      history: [
        inboxMessage({ id: 1, text: 'السلام عليكم' }),
        inboxMessage({ id: 2, direction: 'out', sender: 'officer', senderName: 'سارة', text: 'أهلًا', status: 'delivered', createdAt: '2024-09-14T11:01:00Z', attachment: { id: 'a1', name: 'صك.pdf', mime: 'application/pdf', size: 2048 }, deliveries: [] }),
        inboxMessage({ id: 3, direction: 'out', sender: 'bot', text: 'x', attachment: { id: 'a2', mime: 'image/png', size: 10 } }),
      ],
      historyTruncated: false,
      notes: [{ id: 9, conversationId: 'c1', officer: { id: 'o1', displayName: 'سارة' }, text: 'يحتاج متابعة', createdAt: '2024-09-14T11:02:00Z' }],
      applications: [{ id: 'a1', reference: 'TW-1446-00001', status: 'committee', createdAt: '2024-09-01T10:00:00Z', committeeDueAt: '2024-09-15T10:00:00Z', overdue: true }],
      interactions: [],
    };
    const d = adaptConversationDetail(answer);
    expect(d.conversation).toEqual({ id: 'c1', status: 'officer', channel: 'telegram', assignedOfficer: { id: 'o1', displayName: 'سارة' }, locale: 'ar' });
    expect(d.contact.identities).toEqual([{ channel: 'telegram', address: '12345' }]);
    expect(d.contact.reachableChannels).toEqual(['telegram']);
    expect(d.messages[0]).toMatchObject({ id: '1', conversationId: 'c1', direction: 'in', sender: 'beneficiary', status: 'received' });
    expect(d.messages[1]).toMatchObject({ id: '2', conversationId: 'c1', sender: 'officer', senderName: 'سارة', status: 'delivered', deliveries: [] });
    expect(d.messages[1]?.attachment).toEqual({ id: 'a1', name: 'صك.pdf', mime: 'application/pdf', size: 2048, url: '/api/inbox/conversations/c1/attachments/a1' });
    // A file without a name is shown by its id.
    expect(d.messages[2]?.attachment?.name).toBe('a2');
    expect(d.notes).toEqual([{ id: '9', officer: { id: 'o1', displayName: 'سارة' }, text: 'يحتاج متابعة', createdAt: '2024-09-14T11:02:00Z' }]);
    expect(d.applications[0]).toMatchObject({ id: 'a1', reference: 'TW-1446-00001', overdue: true });
  });

  it('reads an application with answers as an object or a list, history, visits, decisions and allowed next statuses', () => {
    const d = adaptApplicationDetail({
      application: { id: 'a1', reference: 'TW-1', applicantName: 'أحمد', nationalId: '10******08', status: 'under_study', createdAt: '2024-09-01T10:00:00Z', overdue: false, documentsCheckedAt: '2024-09-02T10:00:00Z', documentsCheckedBy: { displayName: 'سارة' }, declarationVersion: 'v1', declarationAcceptedAt: '2024-09-01T10:00:00Z' },
      answers: { family_size: 5, needs: ['rent', 'food'], employed: false },
      documents: [{ id: 'd1', name: 'id.jpg', mime: 'image/jpeg', size: 1000 }],
      history: [{ fromStatus: 'new', toStatus: 'under_study', officer: { displayName: 'سارة' }, note: 'تم', createdAt: '2024-09-02T10:00:00Z' }],
      visits: [{ id: 'v1', kind: 'field_visit', scheduledAt: '2024-09-20T07:00:00Z', place: 'الرياض', status: 'scheduled' }],
      decisions: [{ id: 1, decision: 'approved', reasons: 'مستحق', decidedBy: { displayName: 'اللجنة' }, createdAt: '2024-09-21T10:00:00Z' }],
      allowedNextStatuses: ['incomplete', 'committee'],
    });
    expect(d.application).toMatchObject({ id: 'a1', reference: 'TW-1', status: 'under_study', documentsCheckedBy: 'سارة' });
    expect(d.answers).toEqual([
      { key: 'family_size', label: 'family_size', value: '5', raw: 5 },
      { key: 'needs', label: 'needs', value: 'rent، food', raw: ['rent', 'food'] },
      { key: 'employed', label: 'employed', value: '✗', raw: false },
    ]);
    expect(d.declaration).toEqual({ version: 'v1', acceptedAt: '2024-09-01T10:00:00Z', text: undefined });
    expect(d.documents[0]?.url).toBe('/api/applications/a1/documents/d1');
    expect(d.history).toEqual([{ from: 'new', to: 'under_study', by: 'سارة', note: 'تم', at: '2024-09-02T10:00:00Z' }]);
    expect(d.visits[0]).toMatchObject({ id: 'v1', kind: 'field_visit', place: 'الرياض', status: 'scheduled' });
    expect(d.decisions).toEqual([{ id: '1', decision: 'approved', reasons: 'مستحق', by: 'اللجنة', at: '2024-09-21T10:00:00Z' }]);
    expect(d.allowedNext).toEqual(['incomplete', 'committee']);
    const listed = adaptApplicationDetail({ application: { id: 'a2' }, answers: [{ key: 'k', label: 'عدد الأفراد', value: 4 }] });
    expect(listed.answers).toEqual([{ key: 'k', label: 'عدد الأفراد', value: '4', raw: 4 }]);
    expect(listed.allowedNext).toBeUndefined();
  });

  it('reads the report: one row per day and channel, the 1–5 distribution, applications per status, way in and branch', () => {
    expect(adaptReport(REPORT)).toEqual({
      conversations: [
        { day: '2024-09-14', channel: 'telegram', count: 2 },
        { day: '2024-09-14', channel: 'webchat', count: 1 },
        { day: '2024-09-15', channel: 'telegram', count: 0 },
        { day: '2024-09-15', channel: 'webchat', count: 1 },
      ],
      waiting: { median: 120, p90: 600, count: 12 },
      satisfaction: { average: 4.25, count: 8, distribution: [0, 1, 1, 2, 4], byServiceType: [{ serviceType: 'food_basket', count: 3, average: 4.67 }] },
      applications: [
        { status: 'new', count: 2 },
        { status: 'committee', count: 1 },
      ],
      bySource: [
        { source: 'channel', count: 2 },
        { source: 'phone', count: 1 },
      ],
      byBranch: [
        { branchId: null, count: 2 },
        { branchId: 'kharj', count: 1 },
      ],
      overdue: 1,
      recognition: [
        { week: '2024-09-08', messages: 10, recognised: 9, rate: 0.9 },
        { week: '2024-09-15', messages: 0, recognised: 0, rate: null },
      ],
    });
  });

  it('reads audit entries with the names the server joined: who, on what, for which beneficiary', () => {
    const entry: AuditEntry = { id: 4, officerId: 'o1', officerEmail: 'reem@charity.org', officerName: 'ريم الحربي', officerGender: 'f', action: 'application.status_change', targetType: 'application', targetId: 'a9', target: { type: 'application', id: 'a9', reference: 'TW-1448-00001', officerName: null, beneficiary: 'س*** ف**', contactId: 'c3' }, details: { from: 'new', to: 'under_study' }, ip: '10.0.0.1', createdAt: '2024-09-14T10:00:00Z' };
    expect(adaptAudit({ entries: [entry] })).toEqual([
      { id: '4', who: 'ريم الحربي', whoId: 'o1', whoGender: 'f', action: 'application.status_change', target: { type: 'application', reference: 'TW-1448-00001', officer: undefined, beneficiary: 'س*** ف**', contactId: 'c3' }, ip: '10.0.0.1', at: '2024-09-14T10:00:00Z', from: 'new', to: 'under_study', decision: undefined },
    ]);
    // A checklist event: the item's label in both languages and its state, for the sentence.
    const checklist: AuditEntry = { ...entry, id: 5, action: 'application.checklist', details: { itemId: 'family_record', item: { ar: 'سجل الأسرة', en: 'Family record' }, state: 'verified' } };
    expect(adaptAudit({ entries: [checklist] })[0]).toMatchObject({ action: 'application.checklist', item: { ar: 'سجل الأسرة', en: 'Family record' }, state: 'verified' });
  });
});

describe('calls', () => {
  it('builds query strings without empty values', () => {
    expect(query({ queue: 'waiting', q: '' })).toBe('?queue=waiting');
    expect(query({ q: 'أحمد 05' })).toBe('?q=%D8%A3%D8%AD%D9%85%D8%AF%2005');
    expect(query({ overdue: false, status: undefined })).toBe('');
  });

  it('calls exactly the endpoints of the brief', async () => {
    const { api, calls } = fake({
      'GET /api/inbox/conversations': { items: [], counts: { waiting: 0, mine: 0, open: 0 } },
      'POST /api/inbox/conversations/c%201/reply': { message: inboxMessage({ id: 7, conversationId: 'c 1', direction: 'out', sender: 'officer', text: 'hi', status: 'queued' }) },
      'GET /api/inbox/officers': { officers: [] },
      'GET /api/reports': REPORT,
      // Answers in the contract's shape (src/api/library.ts): the inbox reads them as typed, without guessing.
      'GET /api/inbox/knowledge': { articles: [] },
    });
    await api.conversations('mine', 'سارة');
    await api.take('c 1');
    const m = await api.reply('c 1', 'hi');
    await api.note('c 1', 'n');
    await api.refer('c 1', 'r1');
    await api.refer('c 1', 'r1', 'please');
    await api.handBack('c 1');
    await api.close('c 1');
    await api.researchers();
    await api.knowledge('bylaws');
    await api.applications({ status: 'committee', overdue: true, q: 'TW' });
    await api.setStatus('a1', 'incomplete', { note: 'ok', messageToBeneficiary: 'سنتصل بك' });
    await api.documentsChecked('a1');
    await api.scheduleVisit('a1', { kind: 'interview', scheduledAt: '2024-09-20T07:00:00.000Z', place: 'المقر' });
    await api.updateVisit('a1', 'v1', { status: 'done' });
    await api.decide('a1', 'rejected', 'غير مستحق');
    await api.report('2024-09-01', '2024-09-14');
    await api.admin.saveCanned({ id: '', title: 't', textAr: 'ع', textEn: 'e' });
    await api.admin.saveCanned({ id: 'k1', title: 't', textAr: 'ع', textEn: 'e' });
    await api.admin.deleteKnowledge('k2');
    await api.changePassword('old', 'new');
    expect(m).toMatchObject({ id: '7', conversationId: 'c 1' });
    expect(calls).toEqual([
      { method: 'GET', path: '/api/inbox/conversations?queue=mine&q=%D8%B3%D8%A7%D8%B1%D8%A9' },
      { method: 'POST', path: '/api/inbox/conversations/c%201/take' },
      { method: 'POST', path: '/api/inbox/conversations/c%201/reply', body: { text: 'hi' } },
      { method: 'POST', path: '/api/inbox/conversations/c%201/notes', body: { text: 'n' } },
      { method: 'POST', path: '/api/inbox/conversations/c%201/refer', body: { researcherId: 'r1' } },
      { method: 'POST', path: '/api/inbox/conversations/c%201/refer', body: { researcherId: 'r1', note: 'please' } },
      { method: 'POST', path: '/api/inbox/conversations/c%201/hand-back' },
      { method: 'POST', path: '/api/inbox/conversations/c%201/close' },
      { method: 'GET', path: '/api/inbox/officers?role=researcher' },
      { method: 'GET', path: '/api/inbox/knowledge?category=bylaws' },
      { method: 'GET', path: '/api/applications?status=committee&overdue=true&q=TW' },
      { method: 'POST', path: '/api/applications/a1/status', body: { status: 'incomplete', note: 'ok', messageToBeneficiary: 'سنتصل بك' } },
      { method: 'POST', path: '/api/applications/a1/documents-checked', body: { checked: true } },
      { method: 'POST', path: '/api/applications/a1/visits', body: { kind: 'interview', scheduledAt: '2024-09-20T07:00:00.000Z', place: 'المقر' } },
      { method: 'PATCH', path: '/api/applications/a1/visits/v1', body: { status: 'done' } },
      { method: 'POST', path: '/api/applications/a1/decision', body: { decision: 'rejected', reasons: 'غير مستحق' } },
      { method: 'GET', path: '/api/reports?from=2024-09-01&to=2024-09-14' },
      { method: 'POST', path: '/api/admin/canned-replies', body: { title: 't', textAr: 'ع', textEn: 'e' } },
      { method: 'PATCH', path: '/api/admin/canned-replies/k1', body: { title: 't', textAr: 'ع', textEn: 'e' } },
      { method: 'DELETE', path: '/api/admin/knowledge/k2' },
      { method: 'POST', path: '/api/auth/password', body: { current: 'old', next: 'new' } },
    ]);
  });

  it('returns undefined for a created message when the server answers 204', async () => {
    const { api } = fake();
    expect(await api.reply('c1', 'hi')).toBeUndefined();
    expect(await api.note('c1', 'n')).toBeUndefined();
  });

  it('reads the one-time password from create and reset', async () => {
    const { api } = fake({ 'POST /api/admin/officers': { officer: { id: 'o9' }, oneTimePassword: 'x7-K' }, 'POST /api/admin/officers/o9/reset-password': { oneTimePassword: 'p2' } });
    expect(await api.admin.createOfficer({ email: 'n@c.sa', displayName: 'ن', role: 'researcher' })).toBe('x7-K');
    expect(await api.admin.resetPassword('o9')).toBe('p2');
  });

  it('sends the authenticator code at sign-in only when there is one, and reads the set-up and the recovery codes', async () => {
    const { api, calls } = fake({
      'POST /api/auth/totp/setup': { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x', qrSvg: '<svg/>' },
      'POST /api/auth/totp/confirm': { recoveryCodes: ['abcde-fghjk', 'mnpqr-stvwx'] },
      'POST /api/auth/sign-in': { officer: { id: 'o1', email: 'a@b.sa', displayName: 'س', role: 'officer', grammaticalGender: 'f', mustChangePassword: false, totpEnabled: true, totpSetupRequired: false, nameNeeded: false }, csrfToken: 't', totpEnabled: true, totpSetupRequired: false } satisfies SessionInfo,
    });
    await api.signIn('a@b.sa', 'pw');
    await api.signIn('a@b.sa', 'pw', '١٢٣ ٤٥٦');
    expect(await api.totpSetup()).toEqual({ secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x', qrSvg: '<svg/>' });
    expect(await api.totpConfirm('123456')).toEqual(['abcde-fghjk', 'mnpqr-stvwx']);
    await api.admin.resetTotp('o 9');
    expect(calls).toEqual([
      { method: 'POST', path: '/api/auth/sign-in', body: { email: 'a@b.sa', password: 'pw' } },
      { method: 'POST', path: '/api/auth/sign-in', body: { email: 'a@b.sa', password: 'pw', totp: '١٢٣ ٤٥٦' } },
      { method: 'POST', path: '/api/auth/totp/setup' },
      { method: 'POST', path: '/api/auth/totp/confirm', body: { code: '123456' } },
      { method: 'POST', path: '/api/admin/officers/o%209/totp/reset' },
    ]);
  });
});

describe('errors', () => {
  const ar = STRINGS.ar;
  const en = STRINGS.en;

  it('reads the error body, Retry-After, and the details of a 409', () => {
    const e = apiError(429, { error: { code: 'ERR_RATE_LIMITED', message: 'slow down' } }, '42');
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message, e.retryAfter]).toEqual([429, 'ERR_RATE_LIMITED', 'slow down', 42]);
    expect(apiError(502, 'not json').code).toBe('HTTP_502');
    const taken = apiError(409, { error: { code: 'ERR_CONFLICT', message: 'Already taken by Sara.', details: { assignedOfficer: { id: 'o2', displayName: 'سارة' } } } });
    expect(holderFromError(taken)).toBe('سارة');
    const status = apiError(409, { error: { code: 'ERR_CONFLICT', message: 'not allowed', details: { allowed: ['committee', 'closed'] } } });
    expect(allowedFromError(status)).toEqual(['committee', 'closed']);
    expect(allowedFromError(taken)).toBeUndefined();
    expect(allowedFromError(new Error('x'))).toBeUndefined();
  });

  it('turns failures into sentences for the officer', () => {
    expect(errorText(new ApiError(0, 'ERR_NETWORK', ''), ar, 'ar')).toBe(ar.errNetwork);
    expect(errorText(new ApiError(429, 'ERR_RATE_LIMITED', '', undefined, 30), ar, 'ar')).toBe('طلبات كثيرة في وقت قصير. حاول بعد ٣٠ ثانية.');
    expect(errorText(new ApiError(429, 'ERR_RATE_LIMITED', '', undefined, 5), ar, 'ar')).toBe('طلبات كثيرة في وقت قصير. حاول بعد ٥ ثوانٍ.');
    expect(errorText(new ApiError(429, 'ERR_RATE_LIMITED', '', undefined, 1), en, 'en')).toBe('Too many requests. Try again in 1 second.');
    expect(errorText(apiError(409, { error: { code: 'ERR_CONFLICT', message: 'Already taken by Sara.', details: { assignedOfficerName: 'Sara' } } }), en, 'en')).toBe('Sara has this conversation now.');
    // Without details the server's own message (which names the holder) is shown.
    expect(errorText(apiError(409, { error: { code: 'ERR_CONFLICT', message: 'Already taken by Sara.' } }), ar, 'ar')).toBe('Already taken by Sara.');
    expect(errorText(apiError(400, { error: { code: 'ERR_VALIDATION', message: 'text is required' } }), en, 'en')).toBe('text is required');
    expect(errorText(apiError(500, { error: { code: 'ERR_INTERNAL', message: 'boom' } }), en, 'en')).toBe(en.errGeneric);
    expect(errorText(new TypeError('x'), en, 'en')).toBe(en.errGeneric);
    expect(errorText(apiError(403, { error: { code: 'ERR_FORBIDDEN', message: 'no' } }), ar, 'ar')).toBe(ar.errForbidden);
  });
});
