// Web chat uploads: type by content, size limit while streaming, storage on disk, the attachment row, the download.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeFilename } from '../../src/files/uploads.ts';
import { detectType } from '../../src/files/uploads.ts';
import { officerHolds, startGateway, type TestGateway } from '../support/gateway.ts';

const MAX = 4096;

const bytes = (...parts: (number[] | string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const filler = (n: number) => Buffer.alloc(n, 0x5a);
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0], filler(600));
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], filler(300));
const PDF = bytes('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const WEBP = bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ', filler(40));
const HEIC = bytes([0, 0, 0, 0x18], 'ftypheic', filler(40));
const EXE = bytes('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0], filler(200));
const HTML = bytes('<!doctype html><html><script>alert(document.cookie)</script></html>');

let gw: TestGateway;
let base: string;
beforeAll(async () => {
  gw = await startGateway({ UPLOAD_MAX_BYTES: String(MAX), WEBCHAT_RATE_LIMIT: '1000' });
  await gw.listen();
  base = gw.url();
});
afterAll(() => gw.close());

interface UploadAnswer {
  id: number;
  attachment: { id: string; name: string | null; mime: string; size: number };
}

/** A visitor whose conversation an officer holds, so it takes files (tests/http/upload-limits.test.ts covers when not). */
async function session(): Promise<string> {
  const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: {} });
  const { token, conversationId } = res.json() as { token: string; conversationId: string };
  await officerHolds(gw, conversationId);
  return token;
}

function upload(token: string, body: Buffer | string, headers: Record<string, string> = {}) {
  return gw.app.inject({ method: 'POST', url: '/api/webchat/uploads', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', ...headers }, payload: body });
}

/** Every file under DATA_DIR/uploads. */
function storedFiles(): string[] {
  const root = path.join(gw.dir, 'uploads');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).map((p) => path.join(root, p)).filter((p) => fs.statSync(p).isFile());
}

function attachmentRows(): { id: string; contact_id: string; message_id: number | null; conversation_id: string | null; original_name: string | null; mime: string; size: number; sha256: string; storage_path: string }[] {
  return gw.db.$client.prepare('select * from attachments').all() as ReturnType<typeof attachmentRows>;
}

function nothingStored(before: { files: number; rows: number }) {
  expect(storedFiles()).toHaveLength(before.files);
  expect(attachmentRows()).toHaveLength(before.rows);
}

const snapshot = () => ({ files: storedFiles().length, rows: attachmentRows().length });

describe('content sniffing', () => {
  it('recognises the accepted types by their first bytes only', () => {
    expect(detectType(JPEG)?.mime).toBe('image/jpeg');
    expect(detectType(PNG)?.mime).toBe('image/png');
    expect(detectType(PDF)?.mime).toBe('application/pdf');
    expect(detectType(WEBP)?.mime).toBe('image/webp');
    expect(detectType(HEIC)?.mime).toBe('image/heic');
    expect(detectType(bytes([0, 0, 0, 0x18], 'ftypmif1'))?.ext).toBe('heif');
    for (const other of [EXE, HTML, bytes('RIFF', [0, 0, 0, 0], 'WAVE'), bytes([0, 0, 0, 0x18], 'ftypisom'), Buffer.alloc(0), bytes([0xff, 0xd8])]) expect(detectType(other)).toBeUndefined();
  });

  it('keeps only a safe display name', () => {
    expect(sanitizeFilename('..\\..\\secret/\u202Eexe.pdf\u0007')).toBe('exe.pdf');
    expect(sanitizeFilename('C:\\Users\\نورة\\هوية.jpg')).toBe('هوية.jpg');
    expect(sanitizeFilename('../..')).toBeUndefined();
    expect(sanitizeFilename('\u200f\u2066')).toBeUndefined();
    const long = sanitizeFilename(`${'😀'.repeat(200)}.pdf`);
    expect(long?.length).toBeLessThanOrEqual(255);
    expect(long?.endsWith('\ud83d')).toBe(false);
  });
});

describe('POST /api/webchat/uploads', () => {
  it('stores a JPEG sent as raw bytes, checked by content, and hands it to the conversation', async () => {
    const token = await session();
    const name = 'صورة الهوية.jpg';
    const res = await upload(token, JPEG, { 'content-type': 'image/jpeg', 'x-filename': encodeURIComponent(name) });
    expect(res.statusCode).toBe(202);
    const body = res.json() as UploadAnswer;
    expect(body.attachment).toMatchObject({ name, mime: 'image/jpeg', size: JPEG.length });
    const row = attachmentRows().find((r) => r.id === body.attachment.id);
    expect(row).toMatchObject({ original_name: name, mime: 'image/jpeg', size: JPEG.length, sha256: createHash('sha256').update(JPEG).digest('hex') });
    // The path is ours (date folders, random id, extension from the detected type), never the visitor's name.
    expect(row?.storage_path).toMatch(new RegExp(`^\\d{4}/\\d{2}/${body.attachment.id}\\.jpg$`));
    const file = path.join(gw.dir, 'uploads', row?.storage_path ?? '');
    expect(fs.readFileSync(file).equals(JPEG)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // The contact is the token's; the service linked the row to the inbound message.
    const contact = gw.db.$client.prepare('select contact_id from messages where id = ?').get(body.id) as { contact_id: string };
    expect(row?.contact_id).toBe(contact.contact_id);
    expect(row?.message_id).toBe(body.id);
    const history = (await gw.app.inject({ method: 'GET', url: '/api/webchat/messages', headers: { authorization: `Bearer ${token}` } })).json() as { messages: { id: number; direction: string; attachment?: unknown }[] };
    expect(history.messages.find((m) => m.id === body.id)).toMatchObject({ direction: 'in', attachment: { id: body.attachment.id, name, mime: 'image/jpeg', size: JPEG.length } });
  });

  it('accepts PNG, PDF, WebP and HEIC whatever type the browser claims', async () => {
    const token = await session();
    for (const [file, mime, ext] of [
      [PNG, 'image/png', 'png'],
      [PDF, 'application/pdf', 'pdf'],
      [WEBP, 'image/webp', 'webp'],
      [HEIC, 'image/heic', 'heic'],
    ] as const) {
      const res = await upload(token, file, { 'content-type': 'application/octet-stream' });
      expect(res.statusCode, mime).toBe(202);
      const { attachment } = res.json() as UploadAnswer;
      expect(attachment).toMatchObject({ mime, size: file.length, name: null });
      expect(attachmentRows().find((r) => r.id === attachment.id)?.storage_path.endsWith(`.${ext}`)).toBe(true);
    }
  });

  it('accepts multipart/form-data with a "file" field', async () => {
    const token = await session();
    const form = new FormData();
    form.append('note', 'ignored');
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'سجل الأسرة.png');
    const res = await fetch(`${base}/api/webchat/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(res.status).toBe(202);
    const body = (await res.json()) as UploadAnswer;
    expect(body.attachment).toMatchObject({ name: 'سجل الأسرة.png', mime: 'image/png', size: PNG.length });
    const row = attachmentRows().find((r) => r.id === body.attachment.id);
    expect(row?.sha256).toBe(createHash('sha256').update(PNG).digest('hex'));
  });

  it('refuses other types by content (an .exe or HTML named .jpg) with 415 and keeps nothing', async () => {
    const token = await session();
    const before = snapshot();
    for (const file of [EXE, HTML]) {
      const res = await upload(token, file, { 'content-type': 'image/jpeg', 'x-filename': 'photo.jpg' });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ error: { code: 'ERR_UNSUPPORTED_MEDIA_TYPE' } });
      expect((res.json() as { error: { message: string } }).error.message).toMatch(/PDF/);
      const form = new FormData();
      form.append('file', new Blob([file], { type: 'image/jpeg' }), 'photo.jpg');
      expect((await fetch(`${base}/api/webchat/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).status).toBe(415);
    }
    nothingStored(before);
  });

  it('refuses a file over UPLOAD_MAX_BYTES with 413 and leaves no partial file', async () => {
    const token = await session();
    const before = snapshot();
    const big = bytes(JPEG, filler(MAX - JPEG.length + 1));
    // Declared length: refused before reading.
    const declared = await upload(token, big, { 'content-type': 'image/jpeg' });
    expect(declared.statusCode).toBe(413);
    expect(declared.json()).toMatchObject({ error: { code: 'ERR_PAYLOAD_TOO_LARGE' } });
    // Streamed without a length: counted while streaming, the partial file removed.
    const chunks = [big.subarray(0, 1000), big.subarray(1000, 3000), big.subarray(3000)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await fetch(`${base}/api/webchat/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' }, body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    // Multipart: the file part is counted exactly.
    const form = new FormData();
    form.append('file', new Blob([big], { type: 'image/jpeg' }), 'big.jpg');
    const multi = await fetch(`${base}/api/webchat/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(multi.status).toBe(413);
    nothingStored(before);
    // Exactly the limit is fine.
    expect((await upload(token, big.subarray(0, MAX))).statusCode).toBe(202);
  });

  it('refuses an empty upload or a form without a "file" field with 400', async () => {
    const token = await session();
    const before = snapshot();
    expect((await upload(token, Buffer.alloc(0), { 'content-type': 'image/jpeg' })).statusCode).toBe(400);
    const none = await gw.app.inject({ method: 'POST', url: '/api/webchat/uploads', headers: { authorization: `Bearer ${token}` } });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ error: { code: 'ERR_VALIDATION' } });
    const form = new FormData();
    form.append('document', new Blob([PDF], { type: 'application/pdf' }), 'a.pdf');
    expect((await fetch(`${base}/api/webchat/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).status).toBe(400);
    const fieldsOnly = new FormData();
    fieldsOnly.append('file', 'just text');
    expect((await fetch(`${base}/api/webchat/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: fieldsOnly })).status).toBe(400);
    nothingStored(before);
  });

  it('needs a valid token', async () => {
    const before = snapshot();
    expect((await gw.app.inject({ method: 'POST', url: '/api/webchat/uploads', headers: { 'content-type': 'image/jpeg' }, payload: JPEG })).statusCode).toBe(401);
    expect((await upload('not-a-real-token-not-a-real-token', JPEG)).statusCode).toBe(401);
    nothingStored(before);
  });

  it('stores a sanitised name and never uses it as a path', async () => {
    const token = await session();
    const res = await upload(token, PDF, { 'x-filename': encodeURIComponent('../../../etc/\u202Efdp.exe') });
    expect(res.statusCode).toBe(202);
    const { attachment } = res.json() as UploadAnswer;
    expect(attachment.name).toBe('fdp.exe');
    expect(attachmentRows().find((r) => r.id === attachment.id)?.storage_path).toMatch(/^\d{4}\/\d{2}\/[0-9a-f-]{36}\.pdf$/);
    expect(fs.existsSync(path.join(gw.dir, 'etc'))).toBe(false);
  });
});

describe('GET /api/webchat/uploads/:id', () => {
  it('gives the file to the identity that uploaded it, as a download', async () => {
    const token = await session();
    const name = 'تعريف بالراتب.pdf';
    const { attachment } = (await upload(token, PDF, { 'x-filename': encodeURIComponent(name) })).json() as UploadAnswer;
    const res = await gw.app.inject({ method: 'GET', url: `/api/webchat/uploads/${attachment.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none';sandbox");
    // The widget fetches it from the charity's own site.
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[ -~]+"; filename\*=UTF-8''/);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent(name));
  });

  it('answers 404 to anyone else, for unknown ids, and 401 without a token', async () => {
    const owner = await session();
    const other = await session();
    const { attachment } = (await upload(owner, JPEG)).json() as UploadAnswer;
    const get = (id: string, token?: string) => gw.app.inject({ method: 'GET', url: `/api/webchat/uploads/${id}`, headers: token ? { authorization: `Bearer ${token}` } : {} });
    const stranger = await get(attachment.id, other);
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toMatchObject({ error: { code: 'ERR_NOT_FOUND' } });
    expect((await get('00000000-0000-4000-8000-000000000000', owner)).statusCode).toBe(404);
    expect((await get('..%2F..%2Ftawasul.sqlite', owner)).statusCode).toBe(404);
    expect((await get(attachment.id)).statusCode).toBe(401);
  });
});
