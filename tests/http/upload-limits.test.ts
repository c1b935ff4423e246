// From the attacker's side, over real HTTP on 127.0.0.1: web chat uploads are taken only when a file is expected,
// within daily allowances per beneficiary and per network, and never when the disk is nearly full.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerHolds, startGateway, type TestGateway } from '../support/gateway.ts';
import { attachmentRows, history, pdf, say, storedFiles, toDocumentQuestion, upload, visitor } from '../support/webchat.ts';
import { totpFor } from '../support/officers.ts';

const MB5 = 5 * 1024 * 1024;

describe('uploads only when a file is expected', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
    await gw.listen();
  });
  afterAll(() => gw.close());

  it('refuses ten 5 MB uploads nobody asked for with 409 and stores nothing', async () => {
    const { token } = await visitor(gw);
    const before = { files: storedFiles(gw).length, rows: attachmentRows(gw) };
    const big = pdf(MB5);
    const answers = await Promise.all(Array.from({ length: 10 }, () => upload(gw, token, big)));
    for (const res of answers) {
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: 'ERR_UPLOAD_NOT_EXPECTED', message: expect.stringMatching(/document/) } });
    }
    // Multipart is refused the same way.
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(big)], { type: 'application/pdf' }), 'x.pdf');
    const multi = await fetch(`${gw.url()}/api/webchat/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(multi.status).toBe(409);
    expect(storedFiles(gw)).toHaveLength(before.files);
    expect(attachmentRows(gw)).toBe(before.rows);
    expect((await history(gw, token)).body.acceptsUpload).toBe(false);
  });

  it('answers the 409 even to a client that sends the whole body before reading (no broken pipe)', async () => {
    const { token } = await visitor(gw);
    const body = pdf(MB5);
    const { port } = new URL(gw.url());
    const answer = await new Promise<string>((resolve) => {
      const sock = net.connect(Number(port), '127.0.0.1');
      let got = '';
      sock.on('data', (d) => (got += d.toString('latin1')));
      sock.on('error', (err) => resolve(`${got}[${err.message}]`));
      sock.on('close', () => resolve(got));
      sock.write(`POST /api/webchat/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/pdf\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
      // Written in pieces, each after the last one left, like a slow phone; only then is anything read.
      sock.pause();
      let at = 0;
      const next = () => {
        if (at >= body.length) return void sock.resume();
        const piece = body.subarray(at, (at += 256 * 1024));
        if (sock.write(piece)) setImmediate(next);
        else sock.once('drain', next);
      };
      next();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 409 /);
    expect(answer).toContain('ERR_UPLOAD_NOT_EXPECTED');
  });

  it('takes a file while the bot asks for a document, and no longer once the question is answered', async () => {
    const { token } = await visitor(gw);
    await toDocumentQuestion(gw, token);
    expect((await history(gw, token)).body.acceptsUpload).toBe(true);
    expect((await upload(gw, token, pdf(), { 'x-filename': 'id.pdf' })).status).toBe(202);
    // The income proof is the next question: one more file, then the summary takes none.
    expect((await upload(gw, token, pdf())).status).toBe(202);
    expect((await history(gw, token)).body.acceptsUpload).toBe(false);
    const rows = attachmentRows(gw);
    expect((await upload(gw, token, pdf())).status).toBe(409);
    expect(attachmentRows(gw)).toBe(rows);
  });

  it('takes files while an officer holds the conversation, not once it is handed back to the bot', async () => {
    const { token, conversationId } = await visitor(gw);
    expect((await upload(gw, token, pdf())).status).toBe(409);
    await officerHolds(gw, conversationId);
    expect((await history(gw, token)).body.acceptsUpload).toBe(true);
    expect((await upload(gw, token, pdf())).status).toBe(202);
    await gw.conversations.handBack(conversationId);
    expect((await upload(gw, token, pdf())).status).toBe(409);
  });

  it('does not take a file just because the visitor types "officer" (waiting is not held)', async () => {
    const { token } = await visitor(gw);
    await say(gw, token, { choice: 'officer' });
    expect((await upload(gw, token, pdf())).status).toBe(409);
  });
});

describe('daily upload allowances', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ UPLOAD_MAX_BYTES: String(1024 * 1024), UPLOAD_QUOTA_FILES_PER_DAY: '3', UPLOAD_QUOTA_MB_PER_DAY: '2', UPLOAD_IP_QUOTA_FILES_PER_DAY: '5', UPLOAD_IP_QUOTA_MB_PER_DAY: '4' });
    await gw.listen();
  });
  afterAll(() => gw.close());

  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  async function heldVisitor(ip: string) {
    const v = await visitor(gw, from(ip));
    await officerHolds(gw, v.conversationId);
    return v.token;
  }

  it('refuses the beneficiary\'s file past the day\'s count with 429 and Retry-After, storing nothing; others go on', async () => {
    const token = await heldVisitor('198.51.100.10');
    for (let i = 0; i < 3; i++) expect((await upload(gw, token, pdf(), from('198.51.100.10'))).status).toBe(202);
    const before = storedFiles(gw).length;
    const refused = await upload(gw, token, pdf(), from('198.51.100.10'));
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: 'ERR_UPLOAD_QUOTA' } });
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(23 * 3600);
    expect(wait).toBeLessThanOrEqual(24 * 3600);
    expect(storedFiles(gw)).toHaveLength(before);
    const other = await heldVisitor('198.51.100.11');
    expect((await upload(gw, other, pdf(), from('198.51.100.11'))).status).toBe(202);
  });

  it('counts bytes too: the declared size is held before reading, and a refused file gives its share back', async () => {
    const token = await heldVisitor('198.51.100.20');
    const big = pdf(900 * 1024);
    expect((await upload(gw, token, big, from('198.51.100.20'))).status).toBe(202);
    expect((await upload(gw, token, big, from('198.51.100.20'))).status).toBe(202);
    // 1.8 MiB used of 2: a third 900 KiB file is over, before a byte is read.
    expect((await upload(gw, token, big, from('198.51.100.20'))).status).toBe(429);
    // An HTML file is refused by content (415) and costs nothing: a small PDF still fits.
    expect((await upload(gw, token, Buffer.from('<html><script>alert(1)</script></html>'), from('198.51.100.20'))).status).toBe(415);
    expect((await upload(gw, token, pdf(100 * 1024), from('198.51.100.20'))).status).toBe(202);
  });

  it('caps a whole network, whoever the beneficiaries are; an IPv6 subscriber counts by its /64', async () => {
    const ip = '2001:db8:1:2::10';
    const a = await heldVisitor(ip);
    const b = await heldVisitor('2001:db8:1:2:ffff::1');
    for (let i = 0; i < 3; i++) expect((await upload(gw, a, pdf(), from(ip))).status).toBe(202);
    expect((await upload(gw, b, pdf(), from('2001:db8:1:2:ffff::1'))).status).toBe(202);
    expect((await upload(gw, b, pdf(), from('2001:db8:1:2::abcd'))).status).toBe(202);
    const refused = await upload(gw, b, pdf(), from('2001:0db8:0001:0002:0:0:0:7'));
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/network/);
    // Another network is not affected.
    const c = await heldVisitor('2001:db8:1:3::1');
    expect((await upload(gw, c, pdf(), from('2001:db8:1:3::1'))).status).toBe(202);
  });
});

describe('the free-space floor (UPLOAD_MIN_FREE_MB)', () => {
  let gw: TestGateway;
  let cookie = '';
  let csrf = '';
  beforeAll(async () => {
    // A floor no test disk has free: every store must be refused.
    gw = await startGateway({ UPLOAD_MIN_FREE_MB: '100000000' });
    await gw.listen();
    await gw.auth.createOfficer({ email: 'o@example.org', displayName: 'Officer', role: 'officer', password: 'officer password 2026' });
    const res = await fetch(`${gw.url()}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'o@example.org', password: 'officer password 2026', totp: await totpFor(gw, 'o@example.org') }) });
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }, 30_000);
  afterAll(() => gw.close());

  it('refuses a visitor\'s expected upload with 507 and a clear message, and an officer\'s file too, storing nothing', async () => {
    const { token, conversationId } = await visitor(gw);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(pdf(MB5 - 1024))], { type: 'application/pdf' }), 'form.pdf');
    const officer = await fetch(`${gw.url()}/api/inbox/conversations/${conversationId}/files`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, origin: gw.url() }, body: form });
    expect(officer.status).toBe(507);
    expect(await officer.json()).toMatchObject({ error: { code: 'ERR_INSUFFICIENT_STORAGE', message: expect.stringMatching(/storage space/) } });
    await officerHolds(gw, conversationId);
    const res = await upload(gw, token, pdf(MB5 - 1));
    expect(res.status).toBe(507);
    expect(await res.json()).toMatchObject({ error: { code: 'ERR_INSUFFICIENT_STORAGE', message: expect.stringMatching(/storage space/) } });
    expect(storedFiles(gw)).toEqual([]);
    expect(attachmentRows(gw)).toBe(0);
  });
});
