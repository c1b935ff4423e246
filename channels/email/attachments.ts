// Pure: which parts of a parsed mail are files the sender attached, and their kind, type and safe display name.
import type { Attachment, ParsedMail } from 'mailparser';
import type { MediaKind } from '../../src/core/messages.ts';

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;
const NAME_MAX = 255;
// Controls, and the invisible/bidi marks that can make «fdp.exe» look like «exe.pdf»; ZWNJ/ZWJ are kept (Persian names).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const RESERVED = /[:*?"<>|]/g;

/** The `cid:` ids the HTML body shows inline (signature logos, pasted images), lower-cased. */
function cidsInHtml(html: string | false | undefined): Set<string> {
  const cids = new Set<string>();
  if (typeof html !== 'string') return cids;
  for (const m of html.matchAll(/\bcid:([^'"\s>)]{1,256})/gi)) {
    const raw = m[1] ?? '';
    let cid = raw;
    try {
      cid = decodeURIComponent(raw);
    } catch {
      // A stray % is kept as written.
    }
    cids.add(cid.toLowerCase());
  }
  return cids;
}

/**
 * The files a person attached, in mail order: named parts or parts marked `attachment`, but not images the HTML
 * only shows inline by `cid:` (signature logos) unless they are also marked `attachment`.
 */
export function realAttachments(mail: ParsedMail): Attachment[] {
  const shown = cidsInHtml(mail.html);
  return mail.attachments.filter((a) => {
    const disposition = a.contentDisposition?.toLowerCase();
    if (disposition === 'attachment') return true;
    if (a.cid && shown.has(a.cid.toLowerCase())) return false;
    return Boolean(a.filename?.trim());
  });
}

export function mimeOf(contentType: string | undefined): string {
  const mime = (contentType ?? '').trim().toLowerCase();
  return MIME.test(mime) ? mime : 'application/octet-stream';
}

export function mediaKindOf(mime: string): Extract<MediaKind, 'image' | 'audio' | 'video' | 'document'> {
  const top = mime.slice(0, mime.indexOf('/'));
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'document';
}

function cut(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/** A display name that cannot act as a path or hide its extension; undefined when nothing readable is left. */
export function safeFileName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '');
  if (clean === '') return undefined;
  if (clean.length <= NAME_MAX) return clean;
  const ext = /\.[A-Za-z0-9]{1,10}$/.exec(clean)?.[0] ?? '';
  return cut(clean.slice(0, clean.length - ext.length), NAME_MAX - ext.length).trimEnd() + ext;
}
