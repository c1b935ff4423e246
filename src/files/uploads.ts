// Upload rules every room that takes files shares: the type read from the bytes, the size limit while
// streaming, storage under DATA_DIR/uploads/YYYY/MM/<id>.<ext>, and the display name made safe. Shared by the
// web chat, the inbox and the media downloaded from providers, so every file is stored the same way.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../core/errors.ts';

export interface DetectedType {
  mime: string;
  ext: string;
}

/** Bytes needed to recognise every accepted type (RIFF....WEBP and ....ftypXXXX need 12). */
export const SNIFF_BYTES = 12;

export const ACCEPTED_TYPES_TEXT = 'JPEG, PNG, WebP, HEIC/HEIF images or PDF documents';

const HEIF_BRANDS: Record<string, DetectedType> = {
  heic: { mime: 'image/heic', ext: 'heic' },
  heix: { mime: 'image/heic', ext: 'heic' },
  hevc: { mime: 'image/heic', ext: 'heic' },
  mif1: { mime: 'image/heif', ext: 'heif' },
};

function startsWith(buf: Buffer, bytes: number[]): boolean {
  return buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);
}

function ascii(buf: Buffer, from: number, to: number): string {
  return buf.length >= to ? buf.toString('latin1', from, to) : '';
}

/** JPEG, PNG, WebP, HEIC/HEIF or PDF; undefined for anything else. What the browser or the name claims is ignored. */
export function detectType(head: Buffer): DetectedType | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', ext: 'jpg' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', ext: 'png' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return { mime: 'image/webp', ext: 'webp' };
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = HEIF_BRANDS[ascii(head, 8, 12)];
    if (brand) return brand;
  }
  if (ascii(head, 0, 5) === '%PDF-') return { mime: 'application/pdf', ext: 'pdf' };
  return undefined;
}

export interface StoredFile extends DetectedType {
  /** Relative to the uploads folder, always with forward slashes. */
  storagePath: string;
  size: number;
  sha256: string;
}

export interface SaveOptions {
  dir: string;
  id: string;
  maxBytes: number;
  now: Date;
  /** True when the source stopped early because it hit its own size limit (multipart). */
  truncated?: () => boolean;
  /**
   * For files a provider already delivered (WhatsApp voice notes, emailed Word files): the type read from the
   * first bytes, never refusing (see provider-types.ts). Without it only the upload types are accepted.
   */
  classify?: (head: Buffer) => DetectedType;
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError('ERR_PAYLOAD_TOO_LARGE', `The file is larger than ${maxBytes} bytes (${(maxBytes / 1024 / 1024).toFixed(1)} MiB), the most this service accepts.`);
}

/** Errors of the request stream (client gone, malformed multipart) become a 400; ours and disk errors pass. */
export async function* fromClient(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer | string> {
  const it = source[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer | string>;
    try {
      next = await it.next();
    } catch (err) {
      if (isAppError(err)) throw err;
      throw new AppError('ERR_VALIDATION', 'The upload was interrupted or is malformed; please send it again.', { cause: err });
    }
    if (next.done) return;
    yield next.value;
  }
}

async function writeAll(fh: fs.FileHandle, buf: Buffer): Promise<void> {
  for (let off = 0; off < buf.length; ) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
}

/**
 * Reads `source` to the end (or until it is too large), refusing unknown types before anything touches the
 * disk. On any failure the partial file is removed and the error rethrown.
 */
export async function saveUpload(source: AsyncIterable<Buffer | string>, opts: SaveOptions): Promise<StoredFile> {
  const hash = createHash('sha256');
  let head: Buffer[] = [];
  let headBytes = 0;
  let size = 0;
  let fh: fs.FileHandle | undefined;
  let absPath: string | undefined;
  let stored: Omit<StoredFile, 'size' | 'sha256'> | undefined;

  async function begin(first: Buffer): Promise<void> {
    if (first.length === 0) throw new AppError('ERR_VALIDATION', 'The upload is empty: send the file bytes as the body, or a multipart field named "file".');
    const type = opts.classify ? opts.classify(first) : detectType(first);
    if (!type) throw new AppError('ERR_UNSUPPORTED_MEDIA_TYPE', `This file type is not accepted. Send ${ACCEPTED_TYPES_TEXT}; the type is read from the file itself, not from its name.`);
    const yyyy = String(opts.now.getUTCFullYear());
    const mm = String(opts.now.getUTCMonth() + 1).padStart(2, '0');
    const storagePath = `${yyyy}/${mm}/${opts.id}.${type.ext}`;
    await fs.mkdir(path.join(opts.dir, yyyy, mm), { recursive: true, mode: 0o700 });
    absPath = path.join(opts.dir, storagePath);
    fh = await fs.open(absPath, 'wx', 0o600);
    stored = { ...type, storagePath };
    hash.update(first);
    await writeAll(fh, first);
  }

  try {
    for await (const raw of source) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
      size += chunk.length;
      if (size > opts.maxBytes) throw tooLarge(opts.maxBytes);
      if (fh) {
        hash.update(chunk);
        await writeAll(fh, chunk);
        continue;
      }
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes >= SNIFF_BYTES) {
        await begin(Buffer.concat(head));
        head = [];
      }
    }
    if (opts.truncated?.()) throw tooLarge(opts.maxBytes);
    // A file shorter than the sniff window (a tiny PDF or JPEG header) is judged on what there is.
    if (!fh) await begin(Buffer.concat(head));
    await fh?.close();
    fh = undefined;
    if (!stored) throw new AppError('ERR_INTERNAL', 'upload not stored');
    return { ...stored, size, sha256: hash.digest('hex') };
  } catch (err) {
    await fh?.close().catch(() => undefined);
    if (absPath) await fs.rm(absPath, { force: true });
    throw diskFull(err) ? noSpace() : err;
  }
}

/** The disk (or the account's quota) filled up while writing. */
function diskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export function noSpace(): AppError {
  return new AppError('ERR_INSUFFICIENT_STORAGE', 'The server is low on storage space and cannot keep files right now. Please try again later.', { retryable: true });
}

const SAME_EXT: Record<string, readonly string[]> = { jpg: ['jpg', 'jpeg', 'jpe', 'jfif'], heic: ['heic', 'heif'], heif: ['heif', 'heic'] };

/**
 * The name a download is saved under: the sender's name for recognition, but always ending in the extension of
 * the type read from the bytes, so «invoice.pdf.exe» that is a PDF saves as a PDF and unknown bytes as «….bin».
 */
export function downloadName(name: string | null | undefined, storagePath: string, id: string): string {
  const ext = storagePath.slice(storagePath.lastIndexOf('.') + 1).toLowerCase();
  const base = name ?? id;
  const dot = base.lastIndexOf('.');
  const given = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  return (SAME_EXT[ext] ?? [ext]).includes(given) ? base : `${base}.${ext}`;
}

/** The absolute path of a stored file, refusing anything that would leave the uploads folder. */
export function storedPath(dir: string, storagePath: string): string | undefined {
  const abs = path.resolve(dir, storagePath);
  return abs.startsWith(path.resolve(dir) + path.sep) ? abs : undefined;
}

// C0/C1 controls, and the invisible and bidi marks that can make "exe.pdf" display as "fdp.exe".
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** The device's file name, for display only: last path segment, no controls or bidi marks, at most 255 UTF-16 units. */
export function sanitizeFilename(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  let clean = base.replace(UNSAFE_CHARS, '').trim();
  if (clean.length > 255) {
    let cut = '';
    for (const ch of clean) {
      if (cut.length + ch.length > 255) break;
      cut += ch;
    }
    clean = cut.trimEnd();
  }
  return clean === '' || clean === '.' || clean === '..' ? undefined : clean;
}
