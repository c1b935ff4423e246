// An officer sends a file into a conversation: stored for the beneficiary, sent like a reply, audited; refused clearly.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { signInInject } from '../support/officers.ts';

let gw: TestGateway;
let cookie = '';
let csrf = '';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const LIMIT = 5 * 1024 * 1024;

beforeAll(async () => {
  gw = await startGateway();
  await gw.auth.createOfficer({ email: 'o@example.org', displayName: 'نورة', role: 'officer', password: 'officer password 2026' });
  const res = await signInInject(gw, 'o@example.org', 'officer password 2026');
  cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  csrf = (res.json() as { csrfToken: string }).csrfToken;
}, 30_000);
afterAll(async () => {
  await gw.close();
});

/** A web chat visitor who asked for an officer; returns the conversation and the visitor's token. */
async function visitor(): Promise<{ conversationId: string; token: string }> {
  const s = (await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: {} })).json() as { token: string; conversationId: string };
  await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${s.token}` }, payload: { text: 'موظف' } });
  return { conversationId: s.conversationId, token: s.token };
}

/** A multipart body by hand, so the test decides every byte (field order, file name, content type). */
function multipart(parts: { name: string; filename?: string; type?: string; data: Buffer | string }[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----tawasul-test-boundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function send(conversationId: string, body: { payload: Buffer; headers: Record<string, string> }, auth: Record<string, string> = { cookie, 'x-csrf-token': csrf }) {
  return gw.app.inject({ method: 'POST', url: `/api/inbox/conversations/${conversationId}/files`, headers: { ...body.headers, ...auth }, payload: body.payload });
}

const uploadsCount = () => {
  const dir = path.join(gw.dir, 'uploads');
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).includes('.')).length : 0;
};

describe('an officer sends a file', () => {
  it('stores it for the beneficiary, sends it as the officer, answers { message } and records it', async () => {
    const { conversationId, token } = await visitor();
    const res = await send(conversationId, multipart([{ name: 'caption', data: 'نموذج الطلب، عبّئه وأرسله' }, { name: 'file', filename: 'نموذج.pdf', type: 'application/pdf', data: PDF }]));
    expect(res.statusCode).toBe(201);
    const { message } = res.json() as { message: { id: number; direction: string; sender: string; senderName: string; text: string; attachment: { id: string; name: string; mime: string; size: number }; deliveries: { channel: string; status: string }[] } };
    expect(message).toMatchObject({ direction: 'out', sender: 'officer', senderName: 'نورة', text: 'نموذج الطلب، عبّئه وأرسله' });
    expect(message.attachment).toMatchObject({ name: 'نموذج.pdf', mime: 'application/pdf', size: PDF.length });
    expect(message.deliveries.map((d) => d.channel)).toEqual(['webchat']);

    const row = gw.db.$client.prepare(`select a.contact_id, a.message_id, a.storage_path, c.id as conv from attachments a join conversations c on c.contact_id = a.contact_id where a.id = ?`).get(message.attachment.id) as { contact_id: string; message_id: number; storage_path: string; conv: string };
    expect(row).toMatchObject({ message_id: message.id, conv: conversationId });
    expect(fs.readFileSync(path.join(gw.dir, 'uploads', row.storage_path)).equals(PDF)).toBe(true);
    // Taking over by sending: the conversation is now this officer's.
    expect(gw.db.$client.prepare('select status from conversations where id = ?').pluck().get(conversationId)).toBe('officer');
    const audit = gw.db.$client.prepare(`select details from audit_log where action = 'conversation.send_file' and target_id = ?`).pluck().get(conversationId) as string;
    expect(JSON.parse(audit)).toMatchObject({ messageId: message.id, attachmentId: message.attachment.id, mime: 'application/pdf' });

    // The beneficiary sees it in the web chat and can open it; the officer opens it from the conversation.
    const history = (await gw.app.inject({ method: 'GET', url: '/api/webchat/messages', headers: { authorization: `Bearer ${token}` } })).json() as { messages: { text: string }[] };
    expect(history.messages.map((m) => m.text)).toContain('نموذج الطلب، عبّئه وأرسله');
    const own = await gw.app.inject({ method: 'GET', url: `/api/inbox/conversations/${conversationId}/attachments/${message.attachment.id}`, headers: { cookie } });
    expect(own.statusCode).toBe(200);
    expect(own.rawPayload.equals(PDF)).toBe(true);
  });

  it('takes the caption after the file too, and a file without a caption', async () => {
    const { conversationId } = await visitor();
    const after = await send(conversationId, multipart([{ name: 'file', filename: 'a.pdf', type: 'application/pdf', data: PDF }, { name: 'caption', data: 'بعد الملف' }]));
    expect(after.statusCode).toBe(201);
    expect((after.json() as { message: { text: string } }).message.text).toBe('بعد الملف');
    const bare = await send(conversationId, multipart([{ name: 'file', filename: 'b.pdf', data: PDF }]));
    expect(bare.statusCode).toBe(201);
    // Without a caption, channels that cannot carry files still tell the name.
    expect((bare.json() as { message: { text: string } }).message.text).toBe('b.pdf');
  });

  it('sends the file under a name ending in its detected type, whatever the officer\'s file was called', async () => {
    const { conversationId } = await visitor();
    const res = await send(conversationId, multipart([{ name: 'file', filename: 'form.exe', type: 'application/x-msdownload', data: PDF }]));
    expect(res.statusCode).toBe(201);
    const { message } = res.json() as { message: { text: string; attachment: { id: string; name: string; mime: string } } };
    expect(message.attachment).toMatchObject({ name: 'form.exe.pdf', mime: 'application/pdf' });
    expect(message.text).toBe('form.exe.pdf');
    const row = gw.db.$client.prepare('select storage_path from attachments where id = ?').get(message.attachment.id) as { storage_path: string };
    expect(row.storage_path.endsWith('.pdf')).toBe(true);
  });

  it('refuses a type it does not take (415), whatever the name and claimed type say, and keeps nothing', async () => {
    const { conversationId } = await visitor();
    const before = uploadsCount();
    const res = await send(conversationId, multipart([{ name: 'file', filename: 'letter.pdf', type: 'application/pdf', data: 'MZ\x90\x00 this is a Windows program' }]));
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_UNSUPPORTED_MEDIA_TYPE' } });
    expect(uploadsCount()).toBe(before);
    expect(gw.db.$client.prepare(`select count(*) from messages where conversation_id = ? and sender_kind = 'officer'`).pluck().get(conversationId)).toBe(0);
  });

  it('refuses a file over the upload limit (413) and keeps nothing', async () => {
    const { conversationId } = await visitor();
    const before = uploadsCount();
    const big = Buffer.concat([PDF, Buffer.alloc(LIMIT, 0x20)]);
    const res = await send(conversationId, multipart([{ name: 'file', filename: 'big.pdf', type: 'application/pdf', data: big }]));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_PAYLOAD_TOO_LARGE' } });
    expect(uploadsCount()).toBe(before);
  });

  it('answers 400 for no file, or a body that is not multipart', async () => {
    const { conversationId } = await visitor();
    const none = await send(conversationId, multipart([{ name: 'caption', data: 'بلا ملف' }]));
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ error: { code: 'ERR_VALIDATION' } });
    const json = await gw.app.inject({ method: 'POST', url: `/api/inbox/conversations/${conversationId}/files`, headers: { cookie, 'x-csrf-token': csrf }, payload: { file: 'x' } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ error: { code: 'ERR_VALIDATION' } });
  });

  it('needs a session (401) and the CSRF token (403), before reading the file', async () => {
    const { conversationId } = await visitor();
    const body = multipart([{ name: 'file', filename: 'a.pdf', data: PDF }]);
    const anon = await send(conversationId, body, {});
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ error: { code: 'ERR_UNAUTHORIZED' } });
    const forged = await send(conversationId, body, { cookie, 'x-csrf-token': 'not-the-token' });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ error: { code: 'ERR_CSRF' } });
    expect(gw.db.$client.prepare(`select count(*) from messages where conversation_id = ? and sender_kind = 'officer'`).pluck().get(conversationId)).toBe(0);
  });

  it('answers 404 for an unknown conversation and 409 for a closed one', async () => {
    const body = multipart([{ name: 'file', filename: 'a.pdf', data: PDF }]);
    expect((await send('no-such-conversation', body)).statusCode).toBe(404);
    const { conversationId } = await visitor();
    await gw.app.inject({ method: 'POST', url: `/api/inbox/conversations/${conversationId}/close`, headers: { cookie, 'x-csrf-token': csrf } });
    const closed = await send(conversationId, body);
    expect(closed.statusCode).toBe(409);
  });
});
