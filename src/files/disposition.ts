// The one Content-Disposition for downloads, written by the kept `content-disposition` package (RFC 6266/8187).
import { create } from 'content-disposition';

/**
 * `attachment` with the real (often Arabic) name in RFC 8187 form and a readable ASCII fallback for old clients
 * (`_` for each other character, rather than the library's `?`).
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\/%]/g, '_');
  return create(name, { type: 'attachment', fallback });
}
