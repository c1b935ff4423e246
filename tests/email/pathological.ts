// Mails built to hurt a text pass: long runs of spaces, thousands of '<', quotes nested thousands deep, huge HTML.
const b64 = (s: string) => (Buffer.from(s, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\n');

/** The hostile parts of a plain-text body, about `size` characters in all, after a first line of real words. */
export function hostileText(size: number, first = 'السلام عليكم، أرفقت لكم طلبي.'): string {
  const unit = [
    `x${' '.repeat(4096)}`,
    `${' '.repeat(4096)}\t`,
    '<'.repeat(4096),
    `<${'a@'.repeat(2048)}`,
    `${'>'.repeat(2048)} قديم`,
    `في ${'،كتب '.repeat(800)}`,
    `On ${' wrote '.repeat(600)}`,
    `From:${' '.repeat(4096)}*`,
    `[cid:${'['.repeat(2048)}`,
    '-'.repeat(4096),
  ].join('\n');
  const lines = [first];
  for (let n = first.length; n < size; n += unit.length + 1) lines.push(unit);
  return lines.join('\n');
}

/** Hostile HTML of about `size` characters: stray '<', deep blockquotes, long spaces, tags that never close. */
export function hostileHtml(size: number, first = 'مرحبا، هذا طلبي.'): string {
  const unit = [
    '<'.repeat(4096),
    `<div>${' '.repeat(4096)}</div>`,
    '<blockquote>'.repeat(512),
    'قديم',
    '</blockquote>'.repeat(512),
    `<${'a '.repeat(2048)}>`,
    '<p>&amp;&#x62;&lt;'.repeat(256),
    '<!-- -- '.repeat(256),
    '-->',
    '<style>'.repeat(64),
    '</style>',
  ].join('');
  let html = `<html><head><title>t</title></head><body><div>${first}</div>`;
  while (html.length < size) html += unit;
  return html;
}

export interface HostileMail {
  from: string;
  messageId: string;
  /** Headers placed above From (e.g. Authentication-Results), one per entry. */
  headers?: string[];
  text?: string;
  html?: string;
}

/** An RFC 5322 message (LF line ends; the IMAP fakes store CRLF) with the given parts, base64-encoded. */
export function hostileMail(m: HostileMail): string {
  const parts = [
    ...(m.text !== undefined ? [['Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64', '', b64(m.text)].join('\n')] : []),
    ...(m.html !== undefined ? [['Content-Type: text/html; charset=UTF-8', 'Content-Transfer-Encoding: base64', '', b64(m.html)].join('\n')] : []),
  ];
  return [
    ...(m.headers ?? []),
    `From: <${m.from}>`,
    'To: <info@birr.example.org>',
    'Subject: =?UTF-8?B?2LfZhNio?=',
    'Date: Tue, 24 Nov 2026 10:00:00 +0300',
    `Message-ID: ${m.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="hostile-boundary"',
    '',
    ...parts.flatMap((p) => ['--hostile-boundary', p]),
    '--hostile-boundary--',
    '',
  ].join('\n');
}
