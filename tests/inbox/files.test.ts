// Officers open the files a beneficiary sent, from the conversation (signed in, right conversation only, audited).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerHolds, startGateway, type TestGateway } from '../support/gateway.ts';
import { signInInject } from '../support/officers.ts';

let gw: TestGateway;
let cookie = '';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

beforeAll(async () => {
  gw = await startGateway();
  await gw.auth.createOfficer({ email: 'o@example.org', displayName: 'Officer', role: 'officer', password: 'officer password 2026' });
  const res = await signInInject(gw, 'o@example.org', 'officer password 2026');
  cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
}, 30_000);
afterAll(async () => {
  await gw.close();
});

async function visitorWithUpload(): Promise<{ conversationId: string; attachmentId: string }> {
  const s = (await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: {} })).json() as { token: string; conversationId: string };
  await officerHolds(gw, s.conversationId);
  const up = await gw.app.inject({
    method: 'POST',
    url: '/api/webchat/uploads',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('دخل.pdf') },
    payload: PDF,
  });
  expect(up.statusCode).toBe(202);
  return { conversationId: s.conversationId, attachmentId: (up.json() as { attachment: { id: string } }).attachment.id };
}

describe('conversation files in the inbox', () => {
  it('streams the exact bytes as a download to a signed-in officer and records the view', async () => {
    const { conversationId, attachmentId } = await visitorWithUpload();
    const res = await gw.app.inject({ method: 'GET', url: `/api/inbox/conversations/${conversationId}/attachments/${attachmentId}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''%D8%AF%D8%AE%D9%84.pdf");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none';sandbox");
    const audited = gw.db.$client.prepare(`select count(*) from audit_log where action = 'attachment.view' and target_id = ?`).pluck().get(attachmentId);
    expect(audited).toBe(1);
  });

  it('opens nothing through another conversation, and nothing without a session', async () => {
    const a = await visitorWithUpload();
    const b = await visitorWithUpload();
    const cross = await gw.app.inject({ method: 'GET', url: `/api/inbox/conversations/${b.conversationId}/attachments/${a.attachmentId}`, headers: { cookie } });
    expect(cross.statusCode).toBe(404);
    const anon = await gw.app.inject({ method: 'GET', url: `/api/inbox/conversations/${a.conversationId}/attachments/${a.attachmentId}` });
    expect(anon.statusCode).toBe(401);
  });
});
