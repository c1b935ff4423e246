// Pure: the readable text of an HTML-only mail (paragraphs kept, quoted history dropped, entities decoded), read in
// one pass over the markup: every search moves forward, so a long run of `<` or of spaces costs what it weighs.

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", rlm: '\u200f', lrm: '\u200e' };
// Their text is not shown (title is the window's, not the mail's).
const RAW_TEXT = new Set(['style', 'script', 'title', 'textarea', 'xmp']);
// Where a line ends in the text of the mail.
const BLOCKS = new Set(['p', 'div', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'ul', 'ol']);
const NAME_MAX = 32;

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isNameChar = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 45 || c === 58;

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,8}|#\d{1,8}|[a-z]{1,10});/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function tagName(html: string, at: number): string {
  let end = at;
  while (end < html.length && end - at < NAME_MAX && isNameChar(html.charCodeAt(end))) end++;
  return html.slice(at, end).toLowerCase();
}

/** Just past the `</name…>` that closes a raw-text element, or the end when it is never closed. */
function afterRawText(html: string, from: number, name: string): number {
  for (let i = from; ; ) {
    const close = html.indexOf('</', i);
    if (close < 0) return html.length;
    const at = close + 2;
    if (tagName(html, at) === name) {
      const gt = html.indexOf('>', at);
      return gt < 0 ? html.length : gt + 1;
    }
    i = at;
  }
}

export function htmlToText(html: string): string {
  const out: string[] = [];
  let quoteDepth = 0;
  let inHead = false;
  // The first '>' at or after the position it was looked up from (-1: there is none; -2: not looked up yet).
  let nextGt = -2;
  const text = (s: string) => {
    // In HTML a line end in the source is a space; lines come from the tags.
    if (quoteDepth === 0 && !inHead && s !== '') out.push(decode(s.replace(/[ \t\n\r\f\v]+/g, ' ')));
  };
  const lineEnd = () => {
    if (quoteDepth === 0 && !inHead) out.push('\n');
  };
  let i = 0;
  // Where the next '<' is looked for; past `i` when a '<' that starts no tag was kept as text.
  let from = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', from);
    if (lt < 0) {
      text(html.slice(i));
      break;
    }
    const mark = html.charCodeAt(lt + 1);
    const closing = mark === 47;
    const nameAt = closing ? lt + 2 : lt + 1;
    if (!isLetter(html.charCodeAt(nameAt)) && mark !== 33 && mark !== 63) {
      // «1 < 2»: a '<' that starts no tag is text, as a browser shows it.
      from = lt + 1;
      continue;
    }
    text(html.slice(i, lt));
    from = i = lt + 1;
    if (html.startsWith('!--', lt + 1)) {
      const end = html.indexOf('-->', lt + 4);
      from = i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (nextGt !== -1 && nextGt <= lt) nextGt = html.indexOf('>', lt + 1);
    // A tag never closed: a browser shows nothing of the rest either.
    if (nextGt < 0) break;
    const name = tagName(html, nameAt);
    from = i = nextGt + 1;
    if (!closing && RAW_TEXT.has(name)) {
      from = i = afterRawText(html, i, name);
    } else if (name === 'head') {
      inHead = !closing;
    } else if (name === 'body') {
      inHead = false;
    } else if (name === 'blockquote') {
      // Gmail, Apple Mail and Outlook on the web put the quoted history in a blockquote, often nested.
      if (!closing) quoteDepth++;
      else if (quoteDepth > 0 && --quoteDepth === 0) lineEnd();
    } else if (name === 'br' || (closing && BLOCKS.has(name))) {
      lineEnd();
    }
  }
  return out
    .join('')
    .replace(/ {2,}/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
