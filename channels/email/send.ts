// Email sending: the MIME message for one reply (RTL HTML, threading headers, reply key) and SMTP error mapping.
import { createHash, createHmac } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import type { SendContext } from '../../src/core/channel.ts';
import { AppError, isAppError } from '../../src/core/errors.ts';
import type { OutboundMedia } from '../../src/core/messages.ts';
import type { EmailConfig } from './config.ts';

/** What the channel remembers about the last mail a person sent us, so replies land in the same thread. */
export interface ThreadState {
  messageId: string;
  references: string[];
  subject: string | undefined;
}

const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/g;
const LATIN = /[A-Za-z]/g;
const SUBJECT_MAX = 70;

export function isMostlyArabic(text: string): boolean {
  const arabic = text.match(ARABIC)?.length ?? 0;
  return arabic > 0 && arabic >= (text.match(LATIN)?.length ?? 0);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function toHtml(text: string): string {
  const rtl = isMostlyArabic(text);
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>\n')}</p>`);
  const attrs = rtl ? 'dir="rtl" lang="ar" style="text-align:right"' : 'dir="ltr"';
  return `<!doctype html>\n<html ${rtl ? 'dir="rtl" lang="ar"' : 'dir="ltr"'}><head><meta charset="utf-8"></head>\n<body><div ${attrs}>\n${paragraphs.join('\n')}\n</div></body></html>`;
}

/** The first non-empty line, cut at a word boundary; the subject of a mail that starts a thread. */
export function subjectFrom(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
  if (first.length <= SUBJECT_MAX) return first;
  const cut = first.slice(0, SUBJECT_MAX);
  const space = cut.lastIndexOf(' ');
  return `${(space > SUBJECT_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Keyed with the SMTP URL (which holds the password) so the key cannot be forged for someone else's address,
 * yet stays the same across restarts without another setting.
 */
export function replyKey(address: string, secret: string): string {
  return createHmac('sha256', secret).update(address.trim().toLowerCase()).digest('hex').slice(0, 12);
}

export function replyToAddress(from: string, key: string): string {
  const at = from.lastIndexOf('@');
  return `${from.slice(0, at)}+r${key}${from.slice(at)}`;
}

/** The reply key in a `local+r<key>@domain` address, if any. */
export function replyKeyIn(address: string): string | undefined {
  return /\+r([0-9a-f]{12})@/i.exec(address)?.[1]?.toLowerCase();
}

/** A file to attach, as nodemailer takes it. */
export interface MailAttachment {
  filename: string | undefined;
  contentType: string;
  content: Buffer;
}

const DOT_ATOM = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/;

/**
 * `<reference@domain of EMAIL_FROM>`: the same on every attempt, so a resend after a crash is a duplicate that
 * receivers drop. A reference outside the contract's alphabet is hashed rather than sent with a random id.
 */
export function messageIdFor(reference: string, fromAddress: string): string {
  const left = reference.length <= 64 && DOT_ATOM.test(reference) ? reference : `tw-${createHash('sha256').update(reference).digest('hex').slice(0, 32)}`;
  return `<${left}@${fromAddress.slice(fromAddress.lastIndexOf('@') + 1).toLowerCase()}>`;
}

/** The bytes of an outbound attachment; a read that fails is retried unless the store says otherwise. */
export async function readAttachment(media: OutboundMedia, context: SendContext | undefined): Promise<MailAttachment> {
  if (!context?.readMedia) throw new AppError('ERR_CHANNEL_SEND', 'email send failed: the attachment cannot be read here', { retryable: false });
  try {
    const file = await context.readMedia(media.attachmentId);
    return { filename: media.name ?? file.name, contentType: file.mime || media.mime, content: file.data };
  } catch (err) {
    if (isAppError(err)) throw err;
    throw new AppError('ERR_CHANNEL_SEND', 'email send failed: the attachment could not be read', { retryable: true, cause: err });
  }
}

export interface ComposeExtras {
  reference?: string | undefined;
  attachment?: MailAttachment | undefined;
}

export function composeMail(config: EmailConfig, address: string, text: string, thread: ThreadState | undefined, extras: ComposeExtras = {}): SendMailOptions {
  const key = replyKey(address, config.smtpUrl);
  const previous = thread?.subject?.trim();
  const { reference, attachment } = extras;
  // Gmail threads by subject as well as References, so a reply keeps the subject the person wrote.
  const subject = previous ? (/^(re|رد)\s*:/i.test(previous) ? previous : `Re: ${previous}`) : subjectFrom(text) || (attachment?.filename ?? '');
  // A file sent without a caption goes with an empty body: the channel has no texts of its own to fill it with.
  const body = text.trim() === '' && attachment ? {} : { text, html: toHtml(text) };
  return {
    from: { name: config.from.name, address: config.from.address },
    to: address,
    replyTo: replyToAddress(config.from.address, key),
    subject,
    ...body,
    textEncoding: 'base64',
    ...(reference ? { messageId: messageIdFor(reference, config.from.address) } : {}),
    ...(attachment ? { attachments: [attachment] } : {}),
    ...(thread ? { inReplyTo: thread.messageId, references: [...thread.references, thread.messageId].slice(-20) } : {}),
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Tawasul-Reply-Key': key },
  };
}

interface SmtpError {
  message?: string;
  code?: string;
  responseCode?: number;
}

/** 4xx and connection failures heal on their own; 5xx (bad address, rejected content, wrong login) do not. */
export function toSendError(err: unknown): AppError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpError;
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const retryable = status === undefined ? e.code !== 'EENVELOPE' && e.code !== 'EMESSAGE' : status < 500;
  const reason = status !== undefined ? `SMTP ${status}` : (e.code ?? 'error');
  return new AppError('ERR_CHANNEL_SEND', `email send failed: ${reason}: ${(e.message ?? String(err)).slice(0, 300)}`, {
    retryable,
    cause: err,
    details: { status, code: e.code },
  });
}
