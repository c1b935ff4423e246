// Fits one bot/officer message to a channel's capabilities: buttons or a numbered list, split at the length limit.
import type { ChannelCapabilities } from '../core/channel.ts';
import type { OutboundButton, OutboundMedia, OutboundMessage } from '../core/messages.ts';

export interface RenderInput {
  text: string;
  choices?: OutboundButton[];
  /** The localized label of the button that opens a pick-list (WhatsApp lists), e.g. «اختر». */
  listButton?: string;
  /** Digits of a numbered list of choices, as the text around it is written (١. ٢. in Arabic by default). */
  numerals?: 'arabic' | 'latin';
  /** A stored file to send first, on channels that take media (elsewhere the text goes alone). */
  media?: OutboundMedia;
}

export interface RenderOptions {
  /**
   * Wrap Latin/number runs (references, phone numbers) in Unicode isolates so plain-text apps do not
   * reorder them inside Arabic sentences. HTML front ends use <bdi> instead and turn this off.
   */
  isolateBidi?: boolean;
}

const LRI = '\u2066';
const PDI = '\u2069';
const ARABIC = /[\u0600-\u06FF]/;
// References like TW-1448-7K3M9QX (or the older TW-1448-00042), phone numbers like +966551234567, IBANs and e-mail addresses.
// Written so that each character of a run belongs to one place in the pattern (ReDoS-checked in tests/redos.test.ts).
const LTR_RUN = /(?<![\p{L}\p{N}])(?:\+?[A-Za-z0-9](?:[._%+\-@/]*[A-Za-z0-9])+|[0-9])(?![\p{L}\p{N}])/gu;
// Links, and runs the texts already isolated (src/i18n/digits.ts), are left as they are.
const KEPT_RUN = /https?:\/\/\S+|\u2066[^\u2066\u2069]*\u2069/g;

/** Isolate left-to-right runs inside Arabic text; URLs are left alone so apps still link them. */
export function isolateLtrRuns(text: string): string {
  if (!ARABIC.test(text)) return text;
  return text
    .split('\n')
    .map((line) => {
      if (!ARABIC.test(line)) return line;
      const urls: string[] = [];
      const masked = line.replace(KEPT_RUN, (u) => `\u0000${urls.push(u) - 1}\u0000`);
      const isolated = masked.replace(LTR_RUN, (run) => (/[0-9+@]/.test(run) && run.length > 1 ? `${LRI}${run}${PDI}` : run));
      return isolated.replace(/\u0000(\d+)\u0000/g, (_, i: string) => urls[Number(i)] ?? '');
    })
    .join('\n');
}

/** Split text into parts no longer than `max`, preferring paragraph, line, then word boundaries. */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max * 0.5) cut = window.lastIndexOf('\n');
    if (cut < max * 0.5) cut = window.lastIndexOf(' ');
    if (cut <= 0) cut = max;
    // Never cut a surrogate pair in half.
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

function numberedList(choices: OutboundButton[], numerals: 'arabic' | 'latin'): string {
  const n = (i: number) => (numerals === 'arabic' ? String(i).replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d))) : String(i));
  return choices.map((c, i) => `${n(i + 1)}. ${c.label}`).join('\n');
}

/**
 * Choices become buttons when they fit, else a pick-list when the channel has one and they fit it, else a
 * numbered list in the text (the engine accepts the number or the label) — never dropped.
 */
export function render(caps: ChannelCapabilities, input: RenderInput, options: RenderOptions = {}): OutboundMessage[] {
  const choices = input.choices ?? [];
  const fitsButtons =
    caps.buttons !== null &&
    choices.length > 0 &&
    choices.length <= caps.buttons.max &&
    choices.every((c) => c.label.length <= (caps.buttons?.labelMax ?? 0));
  const list = caps.list;
  const listButton = input.listButton?.trim() ?? '';
  const fitsList =
    !fitsButtons &&
    !!list &&
    choices.length > 0 &&
    choices.length <= list.maxRows &&
    listButton.length > 0 &&
    listButton.length <= list.buttonMax &&
    choices.every((c) => c.label.length <= list.titleMax);
  let text = input.text;
  if (choices.length > 0 && !fitsButtons && !fitsList) text = `${text}\n\n${numberedList(choices, input.numerals ?? 'latin')}`;
  if (options.isolateBidi) text = isolateLtrRuns(text);
  const parts = text.trim() === '' && input.media && caps.media ? [] : splitText(text, caps.maxTextLength);
  const rendered: OutboundMessage[] = parts.map((part, i) => {
    const last = i === parts.length - 1;
    const copy = choices.map((c) => ({ id: c.id, label: c.label }));
    if (last && fitsButtons) return { text: part, buttons: copy };
    if (last && fitsList) return { text: part, list: { button: listButton, rows: copy } };
    return { text: part };
  });
  // The file goes first, on its own: captions are short on most channels, and the text may need splitting.
  if (input.media && caps.media) rendered.unshift({ text: '', media: input.media });
  return rendered;
}
