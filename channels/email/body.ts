// Pure: the new text of a parsed mail, read from a bounded window of it and cut for storing at a safe place.
import type { ParsedMail } from 'mailparser';
import { htmlToText } from './html-text.ts';
import { newText } from './quote.ts';

/** How much of a text body is read at all (about 64 KB); officers are shown when a mail was longer. */
export const TEXT_WINDOW = 65_536;
/** HTML carries markup besides its words (Outlook's styles come first), so more of it is read to find the text. */
export const HTML_WINDOW = 4 * TEXT_WINDOW;
/** The longest text stored for one mail (the channel's maxTextLength). */
export const MAX_TEXT = 20_000;

const NEAR = 1024;
// Outlook writes «[cid:image001.png@…]» where the HTML showed an inline image (a signature logo).
const CID_MARK = /\[cid:[^\][\s]{1,256}\]/gi;

/** The end of a cut: the last one of `marks` within NEAR before `max`, else `max`; never inside a surrogate pair. */
function cutEnd(text: string, max: number, marks: readonly string[]): number {
  for (const mark of marks) {
    const at = text.lastIndexOf(mark, max - mark.length);
    if (at >= max - NEAR && at > 0) return at;
  }
  const c = text.charCodeAt(max - 1);
  return c >= 0xd800 && c <= 0xdbff ? max - 1 : max;
}

/** At most `max` UTF-16 units of `text`, cut at a line end or a space near the end when there is one. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, cutEnd(text, max, ['\n', ' ']));
}

/** At most `max` units of markup, cut before a tag so that no tag is read half. */
function cutHtml(html: string, max: number): string {
  return html.length <= max ? html : html.slice(0, cutEnd(html, max, ['<']));
}

export interface MailBody {
  text: string;
  /** Some of the new text was not read or not kept (the mail was longer than the window or MAX_TEXT). */
  truncated: boolean;
}

/** The mail's new words: its text part (or the text of its HTML), without quoted history, cut to MAX_TEXT. */
export function bodyOf(mail: ParsedMail): MailBody {
  let read: string;
  let cut: boolean;
  // mailparser leaves `text` empty for an HTML-only mail (skipHtmlToText): the HTML is read here, within a window.
  if (typeof mail.text === 'string' && /\S/.test(mail.text)) {
    read = cutText(mail.text, TEXT_WINDOW);
    cut = read.length < mail.text.length;
  } else if (typeof mail.html === 'string') {
    const html = cutHtml(mail.html, HTML_WINDOW);
    const all = htmlToText(html);
    read = cutText(all, TEXT_WINDOW);
    cut = html.length < mail.html.length || read.length < all.length;
  } else {
    read = '';
    cut = false;
  }
  const fresh = newText(read.replace(CID_MARK, ''));
  const text = cutText(fresh.text, MAX_TEXT);
  // A window that ended inside the quoted history below the new text lost nothing new.
  return { text, truncated: (cut && !fresh.ended) || text.length < fresh.text.length };
}
