// The free-space floor under DATA_DIR (UPLOAD_MIN_FREE_MB): no file is stored when it would leave less than that.
import fs from 'node:fs/promises';
import path from 'node:path';
import { noSpace } from './uploads.ts';

/** Bytes free for this process on the disk holding `dir` (or its nearest existing parent); undefined if unknown. */
export async function freeBytes(dir: string): Promise<number | undefined> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    try {
      const s = await fs.statfs(at);
      return s.bavail * s.bsize;
    } catch (err) {
      // The uploads folder is created with the first file: ask its parent until then.
      if ((err as { code?: unknown }).code !== 'ENOENT' || path.dirname(at) === at) return undefined;
    }
  }
}

/**
 * Throws ERR_INSUFFICIENT_STORAGE (507) when storing `incoming` more bytes would leave less than `minFree` free.
 * A disk that cannot be measured is not refused: the write itself still fails cleanly if it really is full.
 */
export async function ensureFreeSpace(dir: string, minFree: number, incoming = 0): Promise<void> {
  if (minFree <= 0) return;
  const free = await freeBytes(dir);
  if (free !== undefined && free - incoming < minFree) throw noSpace();
}
