// Recognises an uploaded file's type from its first bytes; what the browser or the file name claims is ignored.
export interface DetectedType {
  mime: string;
  ext: string;
}

/** Bytes needed to recognise every accepted type (RIFF....WEBP and ....ftypXXXX need 12). */
export const SNIFF_BYTES = 12;

const HEIF_BRANDS: Record<string, DetectedType> = {
  heic: { mime: 'image/heic', ext: 'heic' },
  heix: { mime: 'image/heic', ext: 'heic' },
  hevc: { mime: 'image/heic', ext: 'heic' },
  mif1: { mime: 'image/heif', ext: 'heif' },
};

function startsWith(buf: Buffer, bytes: number[], offset = 0): boolean {
  if (buf.length < offset + bytes.length) return false;
  return bytes.every((b, i) => buf[offset + i] === b);
}

function ascii(buf: Buffer, from: number, to: number): string {
  return buf.length >= to ? buf.toString('latin1', from, to) : '';
}

/** JPEG, PNG, WebP, HEIC/HEIF or PDF; undefined for anything else. */
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

export const ACCEPTED_TYPES_TEXT = 'JPEG, PNG, WebP, HEIC/HEIF images or PDF documents';
