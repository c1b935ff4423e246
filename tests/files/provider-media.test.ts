// Files that arrive through providers (WhatsApp media, email attachments) are typed by their bytes like uploads:
// the stored extension and the download name come from the detected type, never from what the sender claimed.
import { parse as parseDisposition } from 'content-disposition';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerFileType } from '../../src/files/provider-types.ts';
import { downloadName } from '../../src/files/uploads.ts';
import { FakeImapServer } from '../fakes/imap-server.ts';
import { SmtpPeer } from '../fakes/smtp-peer.ts';
import { FakeWhatsappGraph, signed, waAudio, waDocument, waImage } from '../fakes/whatsapp-graph.ts';
import { IMAP_AUTH } from '../email/support.ts';
import { APP_SECRET, TOKEN, VERIFY_TOKEN } from '../whatsapp/support.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { signInInject } from '../support/officers.ts';

const b = (...parts: (number[] | string)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const HTML = b('<!doctype html><html><script>fetch("/api/inbox")</script></html>');
const EXE = b('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0], 'This program cannot be run in DOS mode');
const OGG = b('OggS', [0, 2, 0, 0, 0, 0, 0, 0, 0, 0], 'OpusHead', [1, 1, 0x38, 1]);
const PNG = b([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13], 'IHDR');
const ZIP = b([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0], '[Content_Types].xml');
const OLE = b([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], [0, 0, 0, 0]);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('provider file types, by content', () => {
  it('recognises what providers deliver and keeps anything else as a neutral download', () => {
    const cases: [Buffer, string | undefined, string, string][] = [
      [OGG, 'audio/ogg; codecs=opus', 'audio/ogg', 'ogg'],
      [b('ID3', [4, 0, 0, 0, 0, 0, 0]), 'audio/mpeg', 'audio/mpeg', 'mp3'],
      [b([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]), undefined, 'audio/mpeg', 'mp3'],
      [b([0xff, 0xf1, 0x50, 0x80, 0, 0, 0, 0]), 'audio/aac', 'audio/aac', 'aac'],
      [b('#!AMR\n', [0x3c, 0, 0, 0]), 'audio/amr', 'audio/amr', 'amr'],
      [b([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0]), 'video/mp4', 'video/mp4', 'mp4'],
      [b([0, 0, 0, 0x20], 'ftypM4A ', [0, 0, 0, 0]), 'audio/mp4', 'audio/mp4', 'm4a'],
      [b([0, 0, 0, 0x20], 'ftyp3gp4', [0, 0, 0, 0]), 'video/3gpp', 'video/3gpp', '3gp'],
      [b([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0]), 'video/webm', 'video/webm', 'webm'],
      [b('GIF89a', [1, 0, 1, 0]), 'image/gif', 'image/gif', 'gif'],
      [PNG, 'image/jpeg', 'image/png', 'png'],
      [ZIP, DOCX, DOCX, 'docx'],
      [ZIP, 'text/html', 'application/zip', 'zip'],
      [OLE, 'application/msword', 'application/msword', 'doc'],
      // An installer is an OLE file too: whatever it claims, it stays a neutral download.
      [OLE, 'application/x-msi', 'application/octet-stream', 'bin'],
      [EXE, 'application/pdf', 'application/octet-stream', 'bin'],
      [HTML, 'image/jpeg', 'application/octet-stream', 'bin'],
      [b('BEGIN:VCARD\r\n'), 'text/vcard', 'application/octet-stream', 'bin'],
    ];
    for (const [bytes, claim, mime, ext] of cases) expect(providerFileType(bytes, claim), `${claim} ${bytes.subarray(0, 8).toString('hex')}`).toEqual({ mime, ext });
  });

  it('names every download with the extension of the stored type', () => {
    expect(downloadName('هوية.jpg', '2026/11/x.jpg', 'x')).toBe('هوية.jpg');
    expect(downloadName('photo.JPEG', '2026/11/x.jpg', 'x')).toBe('photo.JPEG');
    expect(downloadName('invoice.pdf.exe', '2026/11/x.pdf', 'x')).toBe('invoice.pdf.exe.pdf');
    expect(downloadName('setup.exe', '2026/11/x.bin', 'x')).toBe('setup.exe.bin');
    expect(downloadName(null, '2026/11/abc.png', 'abc')).toBe('abc.png');
    expect(downloadName('.pdf', '2026/11/x.pdf', 'x')).toBe('.pdf.pdf');
  });
});

describe('provider media through the gateway', () => {
  let fake: FakeWhatsappGraph;
  let imap: FakeImapServer;
  let peer: SmtpPeer;
  let gw: TestGateway;
  let cookie = '';

  beforeAll(async () => {
    fake = new FakeWhatsappGraph({ token: TOKEN });
    await fake.start();
    imap = new FakeImapServer(IMAP_AUTH);
    peer = new SmtpPeer();
    const { url: imapUrl } = await imap.start();
    const { url: smtpUrl } = await peer.start();
    gw = await startGateway({
      WHATSAPP_ACCESS_TOKEN: TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: '1234567890',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_GRAPH_URL: fake.url,
      SMTP_URL: smtpUrl,
      IMAP_URL: imapUrl,
      EMAIL_FROM: '"جمعية البر الخيرية" <info@birr.example.org>',
      EMAIL_POLL_SECONDS: '5',
    });
    await gw.listen();
    await gw.auth.createOfficer({ email: 'o@example.org', displayName: 'Officer', role: 'officer', password: 'officer password 2026' });
    const res = await signInInject(gw, 'o@example.org', 'officer password 2026');
    cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  }, 30_000);
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
    await imap.stop();
    await peer.stop();
  });

  const webhook = (payload: unknown) => {
    const { body, signature } = signed(payload, APP_SECRET);
    return fetch(`${gw.url()}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
  };

  interface Row {
    id: string;
    mime: string;
    storage_path: string;
    conversation_id: string;
  }
  const stored = (name: string) => () => gw.db.$client.prepare('select id, mime, storage_path, conversation_id from attachments where original_name = ?').get(name) as Row | undefined;

  async function download(row: Row) {
    return gw.app.inject({ method: 'GET', url: `/api/inbox/conversations/${row.conversation_id}/attachments/${row.id}`, headers: { cookie } });
  }

  it('stores a WhatsApp "PDF" that is really HTML as a .bin download, and a voice note as Ogg', async () => {
    const mediaId = fake.addMedia({ data: HTML, mime: 'application/pdf' });
    expect((await webhook(waDocument({ from: '966550000101', mediaId, filename: 'فاتورة.pdf' }))).status).toBe(200);
    const row = await eventually(stored('فاتورة.pdf'), 4000);
    expect(row.mime).toBe('application/octet-stream');
    expect(row.storage_path).toMatch(/^\d{4}\/\d{2}\/[0-9a-f-]{36}\.bin$/);
    expect(fs.readFileSync(path.join(gw.dir, 'uploads', row.storage_path)).equals(HTML)).toBe(true);
    const res = await download(row);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(String(res.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('فاتورة.pdf.bin')}`);

    const voice = fake.addMedia({ data: OGG, mime: 'audio/ogg; codecs=opus' });
    expect((await webhook(waAudio({ from: '966550000102', mediaId: voice }))).status).toBe(200);
    const note = await eventually(() => gw.db.$client.prepare(`select mime, storage_path from attachments where storage_path like '%.ogg'`).get() as { mime: string } | undefined, 4000);
    expect(note.mime).toBe('audio/ogg');
  });

  it('types a WhatsApp photo by its bytes, whatever it was called', async () => {
    const mediaId = fake.addMedia({ data: PNG, mime: 'image/jpeg' });
    expect((await webhook(waImage({ from: '966550000103', mediaId }))).status).toBe(200);
    const row = await eventually(() => gw.db.$client.prepare(`select mime, storage_path from attachments where storage_path like '%.png'`).get() as { mime: string; storage_path: string } | undefined, 4000);
    expect(row.mime).toBe('image/png');
  });

  it('stores an emailed program named like a PDF as a .bin download, and a Word file as .docx', async () => {
    imap.deliver(mail([
      { name: 'invoice.pdf.exe', type: 'application/pdf', data: EXE },
      { name: 'خطاب.docx', type: DOCX, data: ZIP },
    ]));
    const exe = await eventually(stored('invoice.pdf.exe'), 10_000);
    expect(exe.mime).toBe('application/octet-stream');
    expect(exe.storage_path.endsWith('.bin')).toBe(true);
    expect(parseDisposition(String((await download(exe)).headers['content-disposition'])).parameters.filename).toBe('invoice.pdf.exe.bin');
    const docx = await eventually(stored('خطاب.docx'), 4000);
    expect(docx).toMatchObject({ mime: DOCX });
    expect(docx.storage_path.endsWith('.docx')).toBe(true);
  });
});

function mail(files: { name: string; type: string; data: Buffer }[]): string {
  const boundary = 'tawasul-provider-media';
  const parts = files.map(
    (f) =>
      `--${boundary}\r\nContent-Type: ${f.type}; name*=utf-8''${encodeURIComponent(f.name)}\r\nContent-Disposition: attachment; filename*=utf-8''${encodeURIComponent(f.name)}\r\nContent-Transfer-Encoding: base64\r\n\r\n${f.data.toString('base64')}\r\n`,
  );
  return [
    'From: Fahad <fahad@example.sa>',
    'To: info@birr.example.org',
    'Subject: files',
    'Date: Thu, 26 Nov 2026 21:14:03 +0300',
    `Message-Id: <provider-media-${Date.now()}@example.sa>`,
    'Mime-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nالمرفقات\r\n${parts.join('')}--${boundary}--\r\n`,
  ].join('\r\n');
}

describe('provider media while the disk is nearly full', () => {
  let fake: FakeWhatsappGraph;
  let gw: TestGateway;
  beforeAll(async () => {
    fake = new FakeWhatsappGraph({ token: TOKEN });
    await fake.start();
    gw = await startGateway(
      { WHATSAPP_ACCESS_TOKEN: TOKEN, WHATSAPP_PHONE_NUMBER_ID: '1234567890', WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN, WHATSAPP_GRAPH_URL: fake.url, UPLOAD_MIN_FREE_MB: '100000000' },
      { mediaRetryDelaysMs: [0, 30, 30] },
    );
    await gw.listen();
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });

  it('does not even download the file, keeps the message, and gives up clearly after its retries', async () => {
    const mediaId = fake.addMedia({ data: PNG, mime: 'image/png' });
    const { body, signature } = signed(waImage({ from: '966550000201', mediaId, caption: 'الهوية' }), APP_SECRET);
    expect((await fetch(`${gw.url()}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body })).status).toBe(200);
    const payload = await eventually(() => {
      const row = gw.db.$client.prepare(`select payload from messages where channel = 'whatsapp' and text = 'الهوية'`).get() as { payload: string } | undefined;
      const p = row ? (JSON.parse(row.payload) as { mediaError?: string }) : undefined;
      return p?.mediaError ? p : undefined;
    }, 4000);
    expect(payload.mediaError).toBe('unavailable');
    expect(gw.db.$client.prepare('select count(*) from attachments').pluck().get()).toBe(0);
    expect(fs.existsSync(path.join(gw.dir, 'uploads'))).toBe(false);
    expect(fake.calls().some((c) => c.path.includes(mediaId) || c.path.startsWith('/whatsapp_business/attachments/'))).toBe(false);
  });
});
