// WhatsApp Cloud API media: download an inbound media id (metadata, then the bearer-protected URL) and upload outbound files.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FetchedMedia } from '../../src/core/channel.ts';
import { AppError } from '../../src/core/errors.ts';
import type { WhatsappConfig } from './config.ts';
import { graphPost, networkError, permanent, toSendError, type GraphOptions } from './graph.ts';

const DOWNLOAD = 'WhatsApp media download failed';
const UPLOAD = 'WhatsApp media upload failed';

// Graph answers file_size as a number, older versions and some docs as a string of digits.
const metadataSchema = z.object({
  url: z.string().min(1),
  mime_type: z.string().max(100).optional(),
  sha256: z.string().max(200).optional(),
  file_size: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/).transform(Number)]).optional(),
});

function tooLarge(size: number | undefined, maxBytes: number): AppError {
  const what = size === undefined ? `more than ${maxBytes} bytes` : `${size} bytes, more than the ${maxBytes} allowed`;
  return new AppError('ERR_PAYLOAD_TOO_LARGE', `WhatsApp media is ${what}`, {
    retryable: false,
    details: { channel: 'whatsapp', maxBytes, ...(size !== undefined ? { size } : {}) },
  });
}

// The bearer token goes to the download URL (Meta requires it), so only over https, or to the Graph host we
// were configured with, or — when Graph itself is configured over plain http (a local fake or proxy) — over http.
export function safeDownloadUrl(raw: string, graphUrl: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw permanent(`${DOWNLOAD}: Graph gave an unreadable download URL`, 'bad_media_url');
  }
  const graph = new URL(graphUrl);
  if (url.protocol === 'https:' || url.origin === graph.origin || (graph.protocol === 'http:' && url.protocol === 'http:')) return url;
  throw permanent(`${DOWNLOAD}: Graph gave a download URL that is neither https nor on the Graph host`, 'bad_media_url');
}

/** Meta gives the hash as hex or base64 (the webhook uses base64); true when either spelling matches. */
function sameSha256(expected: string, data: Buffer): boolean {
  const digest = createHash('sha256').update(data).digest();
  const e = expected.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(e) ? Buffer.from(e, 'hex') : Buffer.from(e, 'base64');
  return bytes.length === digest.length && bytes.equals(digest);
}

async function graphGet(url: string, token: string, opts: GraphOptions): Promise<Response> {
  let res: Response;
  try {
    // Redirects are followed; fetch drops Authorization when one leaves the origin.
    res = await opts.fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(opts.timeoutMs) });
  } catch (err) {
    throw networkError(err, DOWNLOAD);
  }
  if (!res.ok) throw await toSendError(res, opts.now(), DOWNLOAD);
  return res;
}

/** Reads a body, giving up as soon as it passes maxBytes (a lying or missing Content-Length cannot fill the disk). */
async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(declared, maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(undefined, maxBytes);
      }
      chunks.push(value);
    }
  } catch (err) {
    throw err instanceof AppError ? err : networkError(err, DOWNLOAD);
  }
  return Buffer.concat(chunks, total);
}

/** GET /<media id> for the short-lived URL, then GET that URL; refuses more than maxBytes before and while downloading. */
export async function fetchWhatsappMedia(config: WhatsappConfig, ref: string, maxBytes: number, opts: GraphOptions): Promise<FetchedMedia> {
  // Media ids are digits; anything else must not become a path on the Graph host.
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(ref)) throw permanent(`${DOWNLOAD}: not a media id`, 'bad_media_ref');
  const metaRes = await graphGet(`${config.graphUrl}/${ref}`, config.accessToken, opts);
  let meta: z.infer<typeof metadataSchema>;
  try {
    meta = metadataSchema.parse(await metaRes.json());
  } catch {
    throw new AppError('ERR_CHANNEL_SEND', `${DOWNLOAD}: unreadable media metadata`, { retryable: true, details: { channel: 'whatsapp', reason: 'bad_metadata' } });
  }
  if (meta.file_size !== undefined && meta.file_size > maxBytes) throw tooLarge(meta.file_size, maxBytes);
  const url = safeDownloadUrl(meta.url, config.graphUrl);
  const res = await graphGet(url.href, config.accessToken, opts);
  const data = await readCapped(res, maxBytes);
  if (meta.sha256 && !sameSha256(meta.sha256, data)) {
    // A cut or corrupted download; the next attempt usually gets the whole file.
    throw new AppError('ERR_CHANNEL_SEND', `${DOWNLOAD}: the file does not match its SHA-256`, { retryable: true, details: { channel: 'whatsapp', reason: 'sha256_mismatch' } });
  }
  const mime = meta.mime_type ?? res.headers.get('content-type') ?? undefined;
  return { data, ...(mime ? { mime } : {}) };
}

/** POST /<phone number id>/media as multipart; returns the media id a /messages payload refers to. */
export async function uploadWhatsappMedia(config: WhatsappConfig, file: { data: Buffer; mime: string; filename: string }, opts: GraphOptions): Promise<string> {
  const form = new FormData();
  form.set('messaging_product', 'whatsapp');
  form.set('type', file.mime);
  form.set('file', new Blob([new Uint8Array(file.data)], { type: file.mime }), file.filename);
  const body = (await graphPost(`${config.graphUrl}/${config.phoneNumberId}/media`, config.accessToken, form, opts, UPLOAD)) as { id?: unknown } | null;
  if (typeof body?.id !== 'string' || body.id.length === 0) {
    throw new AppError('ERR_CHANNEL_SEND', `${UPLOAD}: Graph answered without a media id`, { retryable: true, details: { channel: 'whatsapp', reason: 'no_media_id' } });
  }
  return body.id;
}
