// The letter as one self-contained HTML page for Chromium to print: A4, right-to-left for Arabic, system Noto fonts.
import type { Block, Letter } from './content.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** Names, numbers and places typed by people: isolated, so a Latin word or a number cannot reorder the line around it. */
const iso = (s: string, ltr = false) => `<bdi${ltr ? ' dir="ltr"' : ''}>${esc(s)}</bdi>`;

// Naskh for Arabic body text (what Saudi official letters use); Noto Sans/Serif cover Latin. All from fonts-noto-core.
const FONTS = {
  ar: "'Noto Naskh Arabic', 'Noto Sans Arabic', 'Noto Serif', serif",
  en: "'Noto Serif', 'Noto Naskh Arabic', serif",
};

function block(b: Block): string {
  if ('list' in b) return `<ol>${b.list.map((item) => `<li dir="auto">${esc(item)}</li>`).join('')}</ol>`;
  return `<p>${esc(b.p)}</p>`;
}

const row = (r: { label: string; value: string; ltr?: boolean }) => `<div class="row"><span class="label">${esc(r.label)}:</span> ${iso(r.value, r.ltr)}</div>`;

export function letterHtml(letter: Letter): string {
  const dir = letter.locale === 'ar' ? 'rtl' : 'ltr';
  const { head, signature } = letter;
  return `<!doctype html>
<html lang="${letter.locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(letter.subject)} — ${esc(letter.number)}</title>
<style>
  @page { size: A4; margin: 16mm 18mm 18mm; }
  * { box-sizing: border-box; }
  body { font-family: ${FONTS[letter.locale]}; font-size: 12.5pt; line-height: 1.75; color: #1b1b1b; margin: 0; }
  header { display: flex; justify-content: space-between; align-items: flex-start; gap: 12mm; border-block-end: 2.5pt solid #1f6f5c; padding-block-end: 4mm; }
  header h1 { font-size: 17pt; margin: 0; color: #1f6f5c; line-height: 1.4; }
  header .licence, header .address { font-size: 10pt; margin: 0; color: #444; text-align: start; }
  header .contact { font-size: 9.5pt; color: #444; text-align: end; white-space: nowrap; }
  .meta { margin-block: 6mm 4mm; margin-inline-start: auto; width: fit-content; font-size: 11pt; border: 0.75pt solid #bbb; padding: 2mm 4mm; }
  .recipient { margin-block: 4mm; }
  .label { font-weight: bold; }
  .subject { font-weight: bold; margin-block: 5mm 3mm; }
  p { margin-block: 0 3mm; text-align: justify; }
  ol { margin-block: 0 3mm; }
  .closing { margin-block-start: 6mm; }
  .signature { margin-block-start: 8mm; margin-inline-start: auto; width: 70mm; text-align: center; }
  .signature .who { font-weight: bold; }
  .signature .line { margin-block-start: 10mm; border-block-start: 0.75pt dotted #555; padding-block-start: 1mm; font-size: 10pt; color: #555; display: flex; justify-content: space-between; }
</style>
</head>
<body>
<header>
  <div>
    <h1>${esc(head.name)}</h1>
    ${head.licence ? `<p class="licence">${esc(head.licence)}</p>` : ''}
    <p class="address">${esc(head.address)}</p>
  </div>
  <div class="contact">${head.contact.map((c) => `<div>${esc(c.label)}: ${iso(c.value, true)}</div>`).join('')}</div>
</header>
<section class="meta">${letter.meta.map(row).join('')}</section>
<section class="recipient">${letter.recipient.map(row).join('')}</section>
<div class="subject">${esc(letter.subjectLabel)}: ${esc(letter.subject)}</div>
<p>${esc(letter.greeting)}</p>
${letter.body.map(block).join('\n')}
<p class="closing">${esc(letter.closing)}</p>
<section class="signature">
  <div class="who">${esc(signature.signatory)}</div>
  <div>${esc(signature.org)}</div>
  <div class="line"><span>${esc(signature.signLabel)}</span><span>${esc(signature.stampLabel)}</span></div>
</section>
</body>
</html>`;
}
