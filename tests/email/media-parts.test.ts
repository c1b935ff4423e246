// The pure pieces behind inbound attachments: the bounded byte cache, kinds, types and safe display names.
import { describe, expect, it } from 'vitest';
import { mediaKindOf, mimeOf, safeFileName } from '../../channels/email/attachments.ts';
import { MediaCache } from '../../channels/email/media-cache.ts';

const bytes = (n: number) => ({ data: Buffer.alloc(n, 1), mime: 'application/pdf' });

describe('MediaCache', () => {
  it('hands each entry out once', () => {
    const cache = new MediaCache({ maxBytes: 100, ttlMs: 60_000 });
    cache.put('a', bytes(10));
    expect(cache.take('a')?.data.length).toBe(10);
    expect(cache.take('a')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('drops the oldest entries when over its byte budget, but never the one just added', () => {
    const cache = new MediaCache({ maxBytes: 100, ttlMs: 60_000 });
    cache.put('a', bytes(40));
    cache.put('b', bytes(40));
    cache.put('c', bytes(40));
    expect([cache.has('a'), cache.has('b'), cache.has('c'), cache.bytes]).toEqual([false, true, true, 80]);
    cache.put('huge', bytes(500));
    expect([cache.has('b'), cache.has('c'), cache.has('huge'), cache.bytes]).toEqual([false, false, true, 500]);
  });

  it('replaces an entry put again under the same ref without counting it twice', () => {
    const cache = new MediaCache({ maxBytes: 100, ttlMs: 60_000 });
    cache.put('a', bytes(30));
    cache.put('a', bytes(30));
    expect(cache.bytes).toBe(30);
  });

  it('drops an entry after its time limit', async () => {
    const cache = new MediaCache({ maxBytes: 100, ttlMs: 30 });
    cache.put('a', bytes(10));
    await new Promise((r) => setTimeout(r, 80));
    expect([cache.has('a'), cache.bytes]).toEqual([false, 0]);
  });
});

describe('attachment kinds, types and names', () => {
  it.each([
    ['image/jpeg', 'image'],
    ['audio/ogg', 'audio'],
    ['video/mp4', 'video'],
    ['application/pdf', 'document'],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'document'],
    ['message/rfc822', 'document'],
  ])('%s is a %s', (mime, kind) => expect(mediaKindOf(mime)).toBe(kind));

  it('lower-cases types and replaces malformed ones with application/octet-stream', () => {
    expect(mimeOf('Image/JPEG')).toBe('image/jpeg');
    expect(mimeOf('not a type')).toBe('application/octet-stream');
    expect(mimeOf(undefined)).toBe('application/octet-stream');
  });

  it.each([
    ['keeps an Arabic name as it is', 'شهادة الراتب - نوفمبر ٢٠٢٦.pdf', 'شهادة الراتب - نوفمبر ٢٠٢٦.pdf'],
    ['cuts any path', '..\\..\\Windows\\صورة.jpg', 'صورة.jpg'],
    ['cuts a unix path and leading dots', '../../.bashrc', 'bashrc'],
    ['removes bidi overrides that hide the real extension', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['removes control characters and folds whitespace', 'تقرير\r\n\t طبي.pdf', 'تقرير طبي.pdf'],
    ['replaces characters Windows refuses', 'a:b*c?"d<e>f|.txt', 'a_b_c__d_e_f_.txt'],
  ])('%s', (_name, input, expected) => expect(safeFileName(input)).toBe(expected));

  it('gives undefined when nothing readable is left, and keeps the extension when cutting a long name', () => {
    expect(safeFileName('\u200f\u200e')).toBeUndefined();
    expect(safeFileName(undefined)).toBeUndefined();
    const long = safeFileName(`${'ملف '.repeat(100)}.pdf`);
    expect(long?.length).toBeLessThanOrEqual(255);
    expect(long?.endsWith('.pdf')).toBe(true);
  });
});
