// WhatsApp fetchMedia against the fake Graph API: media id → metadata → bearer download, size caps, hash check, honest errors.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsappAdapter } from '../../channels/whatsapp/index.ts';
import type { WhatsappConfig } from '../../channels/whatsapp/config.ts';
import { safeDownloadUrl } from '../../channels/whatsapp/media.ts';
import { AppError } from '../../src/core/errors.ts';
import { FakeWhatsappGraph, waDocument } from '../fakes/whatsapp-graph.ts';
import { config, memoryLogger, TOKEN } from './support.ts';

let fake: FakeWhatsappGraph;
const logger = memoryLogger();
const MB = 1024 * 1024;
// A small PDF-looking file, as a beneficiary would send a lease contract.
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(40_000), Buffer.from('\n%%EOF\n')]);

function adapter(overrides: Partial<WhatsappConfig> = {}, requestTimeoutMs = 2000) {
  return createWhatsappAdapter(config({ graphUrl: fake.url, ...overrides }), { logger, requestTimeoutMs });
}
const fetchMedia = (ref: string, maxBytes = MB, a = adapter()) => a.fetchMedia!(ref, { maxBytes });

async function failure(p: Promise<unknown>, code: AppError['code'] = 'ERR_CHANNEL_SEND'): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  const e = err as AppError;
  expect(e.code).toBe(code);
  expect(JSON.stringify({ m: e.message, d: e.details, s: e.stack })).not.toContain(TOKEN);
  return e;
}
const downloads = () => fake.calls().filter((c) => c.path.startsWith('/whatsapp_business/attachments/'));

beforeAll(async () => {
  fake = new FakeWhatsappGraph({ token: TOKEN });
  await fake.start();
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe('WhatsApp fetchMedia', () => {
  it('downloads the file a webhook referred to, with the bearer token on both calls', async () => {
    const id = fake.addMedia({ data: pdf, mime: 'application/pdf' });
    const [event] = adapter().webhook!.normalize(waDocument({ mediaId: id, filename: 'عقد الإيجار.pdf' }));
    const ref = event?.content.type === 'media' ? event.content.ref : undefined;
    expect(ref).toBe(id);

    const media = await fetchMedia(ref ?? '');
    expect(media.data.equals(pdf)).toBe(true);
    expect(media.mime).toBe('application/pdf');
    const [meta, download] = fake.calls();
    expect(meta).toMatchObject({ method: 'GET', path: `/v21.0/${id}`, authorized: true });
    expect(download).toMatchObject({ method: 'GET', authorized: true });
    expect(downloads()).toHaveLength(1);
  });

  it('accepts Graph\'s hash in base64 as well as hex, a chunked download, and no hash at all', async () => {
    const base64 = createHash('sha256').update(pdf).digest('base64');
    const id = fake.addMedia({ data: pdf, mime: 'image/jpeg', sha256: base64, chunked: true });
    expect((await fetchMedia(id)).data.equals(pdf)).toBe(true);
    const noHash = fake.addMedia({ data: pdf, mime: 'image/jpeg', sha256: null });
    expect((await fetchMedia(noHash)).data.length).toBe(pdf.length);
  });

  it('refuses a file whose declared size is over the limit, without downloading it', async () => {
    const id = fake.addMedia({ data: pdf, mime: 'application/pdf' });
    const e = await failure(fetchMedia(id, 10_000), 'ERR_PAYLOAD_TOO_LARGE');
    expect(e.message).toBe(`WhatsApp media is ${pdf.length} bytes, more than the 10000 allowed`);
    expect(e.retryable).toBe(false);
    expect(downloads()).toHaveLength(0);
  });

  it('stops reading a download that grows past the limit although its metadata said it was small', async () => {
    const big = randomBytes(2 * MB);
    for (const chunked of [true, false]) {
      const id = fake.addMedia({ data: big, mime: 'video/mp4', fileSize: 1000, chunked });
      const e = await failure(fetchMedia(id, 256 * 1024), 'ERR_PAYLOAD_TOO_LARGE');
      expect(e.retryable).toBe(false);
      expect(e.message).toMatch(/more than (the )?262144/);
    }
    expect(downloads()).toHaveLength(2);
  });

  it('a download that does not match its SHA-256 is a retryable failure, not a stored file', async () => {
    const id = fake.addMedia({ data: pdf, mime: 'application/pdf', sha256: createHash('sha256').update('something else').digest('hex') });
    const e = await failure(fetchMedia(id));
    expect(e).toMatchObject({ retryable: true, details: { reason: 'sha256_mismatch' } });
  });

  it('an expired or unknown media id (404, or Graph\'s 400 #100) is permanent', async () => {
    const id = fake.addMedia({ data: pdf, mime: 'application/pdf' });
    fake.failNext({ status: 404, error: { message: 'Media not found', code: 100 } });
    expect(await failure(fetchMedia(id))).toMatchObject({ retryable: false, details: { status: 404 } });
    const unknown = await failure(fetchMedia('1999999999999'));
    expect(unknown).toMatchObject({ retryable: false, details: { status: 400, code: 100 } });
    expect(unknown.message).toMatch(/^WhatsApp media download failed: 400 \(#100\) Unsupported get request/);
  });

  it('5xx, 429 and a dropped connection are retryable', async () => {
    const id = fake.addMedia({ data: pdf, mime: 'application/pdf' });
    fake.failNext({ status: 500 }, { status: 429, retryAfter: '2' }, { network: 'reset' });
    expect((await failure(fetchMedia(id))).retryable).toBe(true);
    expect(await failure(fetchMedia(id))).toMatchObject({ retryable: true, retryAfterMs: 2000 });
    expect(await failure(fetchMedia(id))).toMatchObject({ retryable: true, details: { network: expect.any(String) } });
    expect((await fetchMedia(id)).data.equals(pdf)).toBe(true);
  });

  it('a download that goes silent is cut at the request timeout (retryable)', async () => {
    const id = fake.addMedia({ data: pdf, mime: 'application/pdf', stall: true });
    const started = Date.now();
    expect(await failure(fetchMedia(id, MB, adapter({}, 300)))).toMatchObject({ retryable: true, details: { network: 'TIMEOUT' } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a wrong token is permanent and never appears in the error', async () => {
    const id = fake.addMedia({ data: pdf, mime: 'application/pdf' });
    const e = await failure(fetchMedia(id, MB, adapter({ accessToken: 'EAAG-wrong-token-XYZ' })));
    expect(e).toMatchObject({ retryable: false, details: { status: 401, code: 190 } });
    expect(e.message).not.toContain('EAAG-wrong-token-XYZ');
  });

  it('sends the token over plain http only when Graph itself is configured over http (a local fake); never a bad ref', async () => {
    const graph = 'https://graph.facebook.com/v21.0';
    expect(safeDownloadUrl('https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1', graph).host).toBe('lookaside.fbsbx.com');
    expect(() => safeDownloadUrl('http://evil.example/steal', graph)).toThrow(/neither https/);
    expect(() => safeDownloadUrl('not a url', graph)).toThrow(/unreadable/);
    expect(safeDownloadUrl('http://127.0.0.1:9/file', 'http://127.0.0.1:8/v21.0').port).toBe('9');
    const before = fake.calls().length;
    expect(await failure(fetchMedia('../1234567890/messages'))).toMatchObject({ retryable: false, details: { reason: 'bad_media_ref' } });
    expect(fake.calls()).toHaveLength(before);
    expect(logger.text()).not.toContain(TOKEN);
  });
});
