// Streams an upload to DATA_DIR/uploads/YYYY/MM/<id>.<ext>: size limit while streaming, type by content, sha256.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.ts';
import { ACCEPTED_TYPES_TEXT, detectType, SNIFF_BYTES, type DetectedType } from './sniff.ts';

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
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError('ERR_PAYLOAD_TOO_LARGE', `The file is larger than ${maxBytes} bytes (${(maxBytes / 1024 / 1024).toFixed(1)} MiB), the most this service accepts.`);
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
    const type = detectType(first);
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
    throw err;
  }
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
