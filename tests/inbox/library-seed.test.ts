// The officer's tools the example charity ships (profiles/example/): in the library on the first start, in both
// languages, and never put back after an admin edits or deletes them.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { officerSession } from '../letters/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { tempDir } from '../support/temp-db.ts';

const open: TestGateway[] = [];
afterAll(async () => {
  for (const gw of open) await gw.close();
});

async function start(dir: string, env: Record<string, string> = {}) {
  const gw = await startGateway(env, { dir });
  open.push(gw);
  return gw;
}

const adminHeaders = (gw: TestGateway) => officerSession(gw, 'admin');

type Canned = { id: string; title: string; textAr: string; textEn: string };
type Article = { id: string; category: string; title: string; body: string };

describe('the shipped officer tools', () => {
  it('ship the four tools of the policy in Arabic and English and at least ten canned replies', async () => {
    const gw = await start(tempDir());
    const headers = await adminHeaders(gw);
    const articles = (await gw.app.inject({ method: 'GET', url: '/api/admin/knowledge', headers })).json().articles as Article[];
    const titles = articles.map((a) => a.title);
    for (const t of ['اللائحة الأساسية للجمعية', 'دليل خدمات البحث الاجتماعي', 'دليل سياسة الدعم للمستفيدين', 'طلب دعم مستفيد']) expect(titles).toContain(t);
    expect(articles.filter((a) => /^[\x20-\x7e]+$/.test(a.title))).toHaveLength(4);
    expect(new Set(articles.map((a) => a.category))).toEqual(new Set(['bylaws', 'research_guide', 'support_policy', 'forms']));
    // The committee's period in the policy: never a promise shorter than two weeks.
    expect(articles.find((a) => a.title === 'دليل سياسة الدعم للمستفيدين')?.body).toContain('لا تقل عن أسبوعين');

    const canned = (await gw.app.inject({ method: 'GET', url: '/api/admin/canned-replies', headers })).json().cannedReplies as Canned[];
    expect(canned.length).toBeGreaterThanOrEqual(10);
    for (const c of canned) {
      expect(c.textAr).toMatch(/[\u0600-\u06ff]/);
      expect(c.textEn).toMatch(/^[^\u0600-\u06ff]+$/);
    }
    const all = canned.map((c) => c.title).join(' | ');
    for (const topic of ['Required documents', 'How long the study takes', 'Interview reminder', 'Home visit reminder', 'Referral to a social researcher', 'Closing']) expect(all).toContain(topic);
    expect(canned.find((c) => c.title.includes('How long'))?.textAr).toContain('لا تقل عن أسبوعين');
  });

  it('are seeded once: an admin\'s edit and deletion survive a restart', async () => {
    const dir = tempDir();
    let gw = await start(dir);
    const headers = await adminHeaders(gw);
    const before = (await gw.app.inject({ method: 'GET', url: '/api/admin/canned-replies', headers })).json().cannedReplies as Canned[];
    const [first, second] = before;
    if (!first || !second) throw new Error('no shipped canned replies');
    expect((await gw.app.inject({ method: 'DELETE', url: `/api/admin/canned-replies/${first.id}`, headers })).statusCode).toBe(204);
    expect((await gw.app.inject({ method: 'PATCH', url: `/api/admin/canned-replies/${second.id}`, headers, payload: { textAr: 'نص عدّله المشرف' } })).statusCode).toBe(200);
    const articles = (await gw.app.inject({ method: 'GET', url: '/api/admin/knowledge', headers })).json().articles as Article[];
    for (const a of articles) expect((await gw.app.inject({ method: 'DELETE', url: `/api/admin/knowledge/${a.id}`, headers })).statusCode).toBe(204);
    await gw.close();

    gw = await start(dir);
    const again = await adminHeaders(gw);
    const after = (await gw.app.inject({ method: 'GET', url: '/api/admin/canned-replies', headers: again })).json().cannedReplies as Canned[];
    expect(after).toHaveLength(before.length - 1);
    expect(after.map((c) => c.id)).not.toContain(first.id);
    expect(after.find((c) => c.id === second.id)?.textAr).toBe('نص عدّله المشرف');
    expect((await gw.app.inject({ method: 'GET', url: '/api/admin/knowledge', headers: again })).json().articles).toEqual([]);
  });

  it('a profile without tools ships an empty library; a broken article stops the start with its file named', async () => {
    const dir = tempDir();
    const profile = path.join(dir, 'charity.yaml');
    fs.copyFileSync(path.join(import.meta.dirname, '../../profiles/example.yaml'), profile);
    const gw = await start(path.join(dir, 'data'), { ORG_PROFILE: profile });
    const headers = await adminHeaders(gw);
    expect((await gw.app.inject({ method: 'GET', url: '/api/admin/canned-replies', headers })).json().cannedReplies).toEqual([]);

    fs.mkdirSync(path.join(dir, 'charity', 'knowledge'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'charity', 'knowledge', 'policy.md'), '---\ncategory: policies\ntitle: سياسة\n---\nنص');
    await expect(startGateway({ ORG_PROFILE: profile }, { dir: path.join(dir, 'data2') })).rejects.toThrow(/policy\.md.*category/);
  });
});
