// Canned replies and the knowledge base (admins keep them, the inbox reads them) and the refer dialog's officer list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannedReplies, knowledgeArticles } from '../../src/db/schema.ts';
import { startInbox, type Harness } from './support.ts';

let h: Harness;
let admin: string;
let officer: string;
let researcher: string;

beforeAll(async () => {
  h = await startInbox();
  // These tests keep the library from empty; the tools the example charity ships are tested in library-seed.test.ts.
  h.gw.db.delete(cannedReplies).run();
  h.gw.db.delete(knowledgeArticles).run();
  admin = h.officer('admin', 'المشرف');
  officer = h.officer('officer', 'نورة');
  researcher = h.officer('researcher', 'منصور');
  h.officer('researcher', 'باحث سابق', false);
  h.officer('committee', 'عضو اللجنة');
});
afterAll(async () => {
  await h.close();
});

function call(who: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) {
  return h.app.inject({ method, url, headers: h.as(who), ...(payload ? { payload } : {}) });
}

describe('canned replies', () => {
  it('an admin creates, edits and deletes them; officers read them; each change is audited', async () => {
    const created = await call(admin, 'POST', '/api/admin/canned-replies', { title: 'ترحيب', textAr: 'حياك الله، كيف نخدمك؟', textEn: 'Welcome, how can we help?' });
    expect(created.statusCode).toBe(201);
    const id = created.json().cannedReply.id as string;
    expect(h.audits.at(-1)).toEqual({ officerId: admin, action: 'canned_reply.create', targetType: 'canned_reply', targetId: id, ip: '127.0.0.1' });

    const edited = await call(admin, 'PATCH', `/api/admin/canned-replies/${id}`, { textEn: 'Welcome! How can we help?' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().cannedReply).toMatchObject({ id, title: 'ترحيب', textEn: 'Welcome! How can we help?' });
    expect(h.audits.at(-1)).toMatchObject({ action: 'canned_reply.update', details: { fields: ['textEn'] } });

    const listed = await call(officer, 'GET', '/api/inbox/canned-replies');
    expect(listed.json().cannedReplies).toEqual([expect.objectContaining({ id, textAr: 'حياك الله، كيف نخدمك؟' })]);

    expect((await call(admin, 'DELETE', `/api/admin/canned-replies/${id}`)).statusCode).toBe(204);
    expect(h.audits.at(-1)).toMatchObject({ action: 'canned_reply.delete', targetId: id });
    expect((await call(officer, 'GET', '/api/inbox/canned-replies')).json().cannedReplies).toEqual([]);
    expect((await call(admin, 'DELETE', `/api/admin/canned-replies/${id}`)).statusCode).toBe(404);
    expect((await call(admin, 'PATCH', `/api/admin/canned-replies/${id}`, { title: 'x' })).statusCode).toBe(404);
  });

  it('validates bodies and keeps CRUD for admins', async () => {
    const bad = await call(admin, 'POST', '/api/admin/canned-replies', { title: '', textAr: 'نص' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('ERR_VALIDATION');
    expect((await call(admin, 'PATCH', '/api/admin/canned-replies/any', {})).statusCode).toBe(400);
    expect((await call(officer, 'POST', '/api/admin/canned-replies', { title: 'a', textAr: 'b', textEn: 'c' })).statusCode).toBe(403);
  });
});

describe('the admin pages read what admins saved', () => {
  it('GET /api/admin/canned-replies and /api/admin/knowledge list it, for admins only', async () => {
    const canned = (await call(admin, 'POST', '/api/admin/canned-replies', { title: 'مواعيد', textAr: 'نستقبلكم من الأحد إلى الخميس', textEn: 'Sunday to Thursday' })).json().cannedReply.id as string;
    const article = (await call(admin, 'POST', '/api/admin/knowledge', { category: 'support_policy', title: 'سياسة الدعم', body: 'تصرف السلال…' })).json().article.id as string;

    const cannedList = await call(admin, 'GET', '/api/admin/canned-replies');
    expect(cannedList.statusCode).toBe(200);
    expect(cannedList.json().cannedReplies).toEqual([expect.objectContaining({ id: canned, title: 'مواعيد', textAr: 'نستقبلكم من الأحد إلى الخميس', textEn: 'Sunday to Thursday' })]);
    const articles = await call(admin, 'GET', '/api/admin/knowledge');
    expect(articles.statusCode).toBe(200);
    expect(articles.json().articles).toContainEqual(expect.objectContaining({ id: article, category: 'support_policy', title: 'سياسة الدعم' }));
    expect((await call(admin, 'GET', '/api/admin/knowledge?category=bylaws')).json().articles.map((a: { id: string }) => a.id)).not.toContain(article);

    for (const who of [officer, researcher]) {
      expect((await call(who, 'GET', '/api/admin/canned-replies')).statusCode).toBe(403);
      expect((await call(who, 'GET', '/api/admin/knowledge')).statusCode).toBe(403);
    }
    expect((await h.app.inject({ method: 'GET', url: '/api/admin/knowledge' })).statusCode).toBe(401);
    await call(admin, 'DELETE', `/api/admin/canned-replies/${canned}`);
    await call(admin, 'DELETE', `/api/admin/knowledge/${article}`);
  });
});

describe('knowledge base', () => {
  it('articles by category for the inbox; admin-only changes, audited', async () => {
    const bylaws = await call(admin, 'POST', '/api/admin/knowledge', { category: 'bylaws', title: 'اللائحة الأساسية', body: 'المادة الأولى…' });
    expect(bylaws.statusCode).toBe(201);
    const guide = await call(admin, 'POST', '/api/admin/knowledge', { category: 'research_guide', title: 'دليل خدمات البحث الاجتماعي', body: 'الزيارة الميدانية…' });
    const guideId = guide.json().article.id as string;
    expect(h.audits.at(-1)).toMatchObject({ action: 'knowledge.create', targetType: 'knowledge_article', targetId: guideId, details: { category: 'research_guide' } });

    const all = await call(researcher, 'GET', '/api/inbox/knowledge');
    expect(all.json().articles.map((a: { category: string }) => a.category)).toEqual(['bylaws', 'research_guide']);
    const some = await call(officer, 'GET', '/api/inbox/knowledge?category=research_guide');
    expect(some.json().articles).toEqual([expect.objectContaining({ id: guideId, title: 'دليل خدمات البحث الاجتماعي', body: 'الزيارة الميدانية…' })]);
    expect((await call(officer, 'GET', '/api/inbox/knowledge?category=recipes')).statusCode).toBe(400);

    expect((await call(admin, 'PATCH', `/api/admin/knowledge/${guideId}`, { category: 'support_policy' })).json().article.category).toBe('support_policy');
    expect((await call(admin, 'POST', '/api/admin/knowledge', { category: 'secrets', title: 't', body: 'b' })).statusCode).toBe(400);
    expect((await call(officer, 'DELETE', `/api/admin/knowledge/${guideId}`)).statusCode).toBe(403);
    expect((await call(admin, 'DELETE', `/api/admin/knowledge/${guideId}`)).statusCode).toBe(204);
    expect(h.audits.at(-1)).toMatchObject({ action: 'knowledge.delete', targetId: guideId });
  });
});

describe('officers for the refer dialog', () => {
  it('lists active officers, optionally by role', async () => {
    const res = await call(officer, 'GET', '/api/inbox/officers?role=researcher');
    expect(res.json()).toEqual({ officers: [{ id: researcher, displayName: 'منصور', role: 'researcher' }] });
    const everyone = (await call(officer, 'GET', '/api/inbox/officers')).json().officers as { role: string }[];
    expect(everyone.map((o) => o.role).sort()).toEqual(['admin', 'committee', 'officer', 'researcher']);
    expect((await call(officer, 'GET', '/api/inbox/officers?role=king')).statusCode).toBe(400);
  });
});
