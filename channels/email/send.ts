// Email sending: the MIME message for one reply (RTL HTML, threading headers, reply key) and SMTP error mapping.
import { createHmac } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import { AppError } from '../../src/core/errors.ts';
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

export function composeMail(config: EmailConfig, address: string, text: string, thread: ThreadState | undefined): SendMailOptions {
  const key = replyKey(address, config.smtpUrl);
  const previous = thread?.subject?.trim();
  // Gmail threads by subject as well as References, so a reply keeps the subject the person wrote.
  const subject = previous ? (/^(re|رد)\s*:/i.test(previous) ? previous : `Re: ${previous}`) : subjectFrom(text);
  return {
    from: { name: config.from.name, address: config.from.address },
    to: address,
    replyTo: replyToAddress(config.from.address, key),
    subject,
    text,
    html: toHtml(text),
    textEncoding: 'base64',
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
