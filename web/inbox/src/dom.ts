// DOM helpers: elements from data (strings become text nodes, never HTML), SVG, labelled fields and pills.
type Kid = Node | string | null | undefined | false;
type Attrs = Record<string, string | undefined | false>;

/** Creates an element; attributes that are undefined or false are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...kids: Kid[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const k in attrs) {
    const v = attrs[k];
    if (v !== undefined && v !== false) el.setAttribute(k, v);
  }
  for (const c of kids) if (c) el.append(c);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...kids: (Node | null)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const k in attrs) el.setAttribute(k, String(attrs[k]));
  for (const c of kids) if (c) el.append(c);
  return el;
}

/** User-supplied names and numbers are isolated so they never reorder the text around them. */
export function bdi(text: string, attrs: Attrs = {}): HTMLElement {
  return h('bdi', attrs, text);
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

export function button(text: string, attrs: Attrs = {}, onClick?: (e: MouseEvent) => void): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, text);
  if (onClick) b.onclick = onClick;
  return b;
}

let uid = 0;
export function nextId(prefix = 'f'): string {
  uid += 1;
  return `${prefix}${uid}`;
}

/** A label and its control, linked by id. */
export function field(labelText: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || nextId();
  control.id = id;
  const wrap = h('div', { class: 'fld' }, h('label', { for: id }, labelText), control);
  if (hint) {
    const hid = `${id}-h`;
    control.setAttribute('aria-describedby', hid);
    wrap.append(h('small', { id: hid, class: 'hint' }, hint));
  }
  return wrap;
}

export function select(options: { value: string; label: string }[], attrs: Attrs = {}, value = ''): HTMLSelectElement {
  const s = h('select', attrs);
  for (const o of options) s.append(h('option', { value: o.value }, o.label));
  // Only a value that is one of the options: otherwise the first option stays chosen (not a blank select).
  if (options.some((o) => o.value === value)) s.value = value;
  return s;
}

export function pill(text: string, cls: string, attrs: Attrs = {}): HTMLElement {
  return h('span', { class: `pill ${cls}`, ...attrs }, text);
}

/** A section with a heading that labels it. */
export function section(title: string, ...kids: Kid[]): HTMLElement {
  const id = nextId('s');
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...kids);
}

/** Disables the submit control while `work` runs, so a double click sends once. */
export async function busy<T>(el: HTMLButtonElement | HTMLFieldSetElement, work: () => Promise<T>): Promise<T> {
  el.disabled = true;
  el.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    el.disabled = false;
    el.removeAttribute('aria-busy');
  }
}

/** The vertical table layout used by details (dt/dd rows). */
export function facts(rows: [string, Kid][]): HTMLElement {
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of rows) if (v) dl.append(h('div', {}, h('dt', {}, k), h('dd', {}, v)));
  return dl;
}

/** Replaces `anchor` by «text [yes] [cancel]» until one is chosen (no window.confirm: tests and focus stay simple). */
export function confirmInline(anchor: HTMLElement, text: string, yesText: string, yes: () => Promise<void>, cancel: string): void {
  const box = h('span', { class: 'bar', role: 'group' }, h('span', {}, text));
  const ok = button(yesText, { class: 'btn sm dng', 'data-testid': 'confirm-yes' });
  const no = button(cancel, { class: 'btn sm', 'data-testid': 'confirm-no' }, () => {
    box.replaceWith(anchor);
    anchor.focus();
  });
  ok.onclick = () => void busy(ok, yes);
  box.append(ok, no);
  anchor.replaceWith(box);
  ok.focus();
}
