// The access copy with its files: a zip of export.json and every stored file still on disk, streamed.
import fs from 'node:fs';
import archiver from 'archiver';
import { storedPath } from '../files/uploads.ts';
import type { ContactExport } from './export.ts';

export function exportZip(data: ContactExport, files: { id: string; storagePath: string }[], uploadsDir: string): archiver.Archiver {
  const zip = archiver('zip', { zlib: { level: 6 } });
  zip.append(JSON.stringify(data, null, 2), { name: 'export.json' });
  for (const f of files) {
    const abs = storedPath(uploadsDir, f.storagePath);
    if (abs && fs.existsSync(abs)) zip.file(abs, { name: `files/${f.id}${f.storagePath.slice(f.storagePath.lastIndexOf('.'))}` });
  }
  void zip.finalize();
  return zip;
}
