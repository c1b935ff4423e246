// The type of a file a provider already delivered (WhatsApp media, email attachments), read from its bytes like an
// upload. A claimed type only picks between the formats the bytes are compatible with; anything unrecognised is kept
// as a neutral download (application/octet-stream, .bin) whatever the sender called it.
import { detectType, type DetectedType } from './uploads.ts';

export const OCTET_STREAM: DetectedType = { mime: 'application/octet-stream', ext: 'bin' };

// Word, Excel and PowerPoint files are ZIP (OOXML, ODF) or OLE2 containers; the claim says which one it is.
const ZIP_KINDS: Record<string, string> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
};
const OLE_KINDS: Record<string, string> = {
  'application/msword': 'doc',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.ms-powerpoint': 'ppt',
};

function startsWith(buf: Buffer, bytes: number[]): boolean {
  return buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);
}

function ascii(buf: Buffer, from: number, to: number): string {
  return buf.length >= to ? buf.toString('latin1', from, to) : '';
}

/** The ISO base media family (MP4, M4A, 3GP, MOV), told apart by the `ftyp` brand. */
function isoMedia(brand: string, audio: boolean): DetectedType {
  if (/^M4[ABP] $/.test(brand)) return { mime: 'audio/mp4', ext: 'm4a' };
  if (brand.startsWith('3gp')) return audio ? { mime: 'audio/3gpp', ext: '3gp' } : { mime: 'video/3gpp', ext: '3gp' };
  if (brand.startsWith('3g2')) return { mime: 'video/3gpp2', ext: '3g2' };
  if (brand === 'qt  ') return { mime: 'video/quicktime', ext: 'mov' };
  return audio ? { mime: 'audio/mp4', ext: 'm4a' } : { mime: 'video/mp4', ext: 'mp4' };
}

function audioOrVideo(head: Buffer, audio: boolean): DetectedType | undefined {
  if (ascii(head, 0, 4) === 'OggS') return { mime: 'audio/ogg', ext: 'ogg' };
  if (ascii(head, 0, 5) === '#!AMR') return { mime: 'audio/amr', ext: 'amr' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WAVE') return { mime: 'audio/wav', ext: 'wav' };
  if (ascii(head, 0, 3) === 'ID3') return { mime: 'audio/mpeg', ext: 'mp3' };
  const [b0, b1 = 0] = head;
  // ADTS (AAC) and MPEG audio frames both start with an 11-bit sync word; JPEG's FF D8 does not match it.
  if (b0 === 0xff && (b1 & 0xf6) === 0xf0) return { mime: 'audio/aac', ext: 'aac' };
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0) return { mime: 'audio/mpeg', ext: 'mp3' };
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return audio ? { mime: 'audio/webm', ext: 'webm' } : { mime: 'video/webm', ext: 'webm' };
  if (ascii(head, 4, 8) === 'ftyp') return isoMedia(ascii(head, 8, 12), audio);
  return undefined;
}

/** A provider's content type reduced to a bare lower-case `type/subtype`. */
function clean(mime: string | undefined): string {
  return (mime ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** What a provider file is, judged by its first bytes; never undefined (unknown bytes are a neutral download). */
export function providerFileType(head: Buffer, claimed: string | undefined): DetectedType {
  const known = detectType(head);
  if (known) return known;
  const claim = clean(claimed);
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return { mime: 'image/gif', ext: 'gif' };
  const media = audioOrVideo(head, claim.startsWith('audio/'));
  if (media) return media;
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const ext = ZIP_KINDS[claim];
    return ext ? { mime: claim, ext } : { mime: 'application/zip', ext: 'zip' };
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // Installers (.msi) are OLE2 files too: only the three Office kinds keep a type of their own.
    const ext = OLE_KINDS[claim];
    return ext ? { mime: claim, ext } : OCTET_STREAM;
  }
  return OCTET_STREAM;
}
