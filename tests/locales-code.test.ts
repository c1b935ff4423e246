// Every text key the TypeScript code uses (not only the flows) exists in Arabic and in English.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../src/config.ts';
import { APPLICATION_STATUSES } from '../src/db/schema.ts';
import { createI18n, type Texts } from '../src/i18n/index.ts';

let texts: Texts;
beforeAll(async () => {
  texts = await createI18n(path.join(ROOT_DIR, 'locales'));
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const NAMESPACES = fs.readdirSync(path.join(ROOT_DIR, 'locales/ar')).map((f) => f.replace(/\.json$/, ''));

describe('text keys used in code', () => {
  it('are all defined in both languages', () => {
    const used = new Set<string>();
    const pattern = new RegExp(`['"\`]((?:${NAMESPACES.join('|')})\\.[a-z_]+(?:\\.[a-z_]+)*)['"\`]`, 'g');
    // src/auth and src/cli name audit actions ("officer.create"), not texts.
    const sources = [...walk(path.join(ROOT_DIR, 'src')), ...walk(path.join(ROOT_DIR, 'channels'))].filter(
      (f) => !f.includes(`${path.sep}src${path.sep}auth${path.sep}`) && !f.includes(`${path.sep}src${path.sep}cli${path.sep}`),
    );
    for (const file of sources) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(pattern)) if (m[1]) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].flatMap((key) => (['ar', 'en'] as const).filter((l) => !texts.has(key, l)).map((l) => `${l}: ${key}`));
    expect(missing).toEqual([]);
  });

  it('every application status has plain words in both languages', () => {
    for (const status of APPLICATION_STATUSES) {
      for (const locale of ['ar', 'en'] as const) {
        const text = texts.t(locale, `status.${status}`);
        expect(text, `${locale} status.${status}`).not.toBe(`status.${status}`);
        expect(text.length).toBeGreaterThan(3);
      }
    }
  });

  it('the handoff times render with the Hijri date beside the Gregorian one', () => {
    const ar = texts.t('ar', 'handoff.waiting_closed', { next_opening: { datetime: '2026-11-22T05:00:00Z' } });
    expect(ar).toContain('هـ');
    expect(ar).toContain('الموافق');
    const en = texts.t('en', 'handoff.waiting_closed', { next_opening: { datetime: '2026-11-22T05:00:00Z' } });
    expect(en).toContain('AH');
    expect(en).toContain('2026');
  });
});

// The officers' inbox's words: locales/<lang>/inbox.json (its "ui" part is served to the inbox as
// /inbox/strings/<lang>.json; the Strings type comes from the Arabic file, so tsc refuses a top-level key it lacks).
type Tree = { [key: string]: string | Tree };
const CLDR = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);
const ARABIC_ONLY = new Set(['zero', 'two', 'few', 'many']);
const readInbox = (locale: 'ar' | 'en'): Tree => JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'locales', locale, 'inbox.json'), 'utf8')) as Tree;
const isPlural = (t: string | Tree | undefined): t is Tree => typeof t === 'object' && 'one' in t && 'other' in t && Object.keys(t).every((k) => CLDR.has(k));
const placeholders = (texts: string[]): string[] => [...new Set(texts.flatMap((t) => [...t.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '')))].sort();
const textsIn = (t: string | Tree): string[] => (typeof t === 'string' ? [t] : Object.values(t).flatMap(textsIn));

/** Every text (a plural group counts as one) by its dotted path. */
function entries(tree: Tree, prefix = ''): Map<string, string | Tree> {
  const out = new Map<string, string | Tree>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string' || isPlural(v)) out.set(prefix + k, v);
    else for (const [p, x] of entries(v, `${prefix}${k}.`)) out.set(p, x);
  }
  return out;
}

/** What differs between the two languages' inbox words: keys on one side only, plural forms, placeholders, empties. */
function inboxDrift(ar: Tree, en: Tree): string[] {
  const a = entries(ar);
  const e = entries(en);
  const problems: string[] = [];
  for (const k of a.keys()) if (!e.has(k)) problems.push(`en lacks ${k}`);
  for (const k of e.keys()) if (!a.has(k)) problems.push(`ar lacks ${k}`);
  for (const [k, av] of a) {
    const ev = e.get(k);
    if (ev === undefined) continue;
    if (isPlural(av) !== isPlural(ev)) problems.push(`${k}: a plural group in one language only`);
    else if (isPlural(av) && isPlural(ev)) {
      for (const form of ['one', 'two', 'few', 'many', 'other']) if (!(form in av)) problems.push(`ar ${k}: no "${form}" form (Arabic needs one, two, few, many and other)`);
      for (const form of Object.keys(ev)) if (!(form in av)) problems.push(`en ${k}: "${form}" is not in the Arabic group`);
      for (const form of Object.keys(av)) if (!(form in ev) && !ARABIC_ONLY.has(form)) problems.push(`en ${k}: no "${form}" form`);
    }
    const ap = placeholders(textsIn(av));
    const ep = placeholders(textsIn(ev));
    if (ap.join() !== ep.join()) problems.push(`${k}: placeholders ${ap.join(',') || '(none)'} in Arabic, ${ep.join(',') || '(none)'} in English`);
    for (const [lang, v] of [['ar', av], ['en', ev]] as const) {
      for (const text of textsIn(v)) {
        if (text.trim() === '') problems.push(`${lang} ${k}: empty`);
        // One placeholder style: i18next's {{x}}; a {x} left over would show its braces to the officer.
        if (/(?<!\{)\{\w+\}(?!\})/.test(text)) problems.push(`${lang} ${k}: a {x} placeholder (write {{x}})`);
      }
    }
  }
  return problems;
}

describe("the inbox's words (locales/*/inbox.json)", () => {
  const ar = readInbox('ar');
  const en = readInbox('en');

  it('have the same keys and placeholders in Arabic and English, Arabic with every plural form and English with one and other', () => {
    expect(Object.keys(ar.ui ?? {}).length).toBeGreaterThan(400);
    expect(inboxDrift(ar, en)).toEqual([]);
    // The server's own keys in the same files keep their meaning.
    expect(typeof ar.officer_joined === 'string' && ar.officer_joined.includes('{{name}}')).toBe(true);
  });

  it('the check notices a key in one language only, a changed placeholder, a missing Arabic form and a {x} placeholder', () => {
    const base: Tree = { ui: { hello: 'مرحبًا {{name}}', seconds: { one: 'ثانية', two: 'ثانيتين', few: '{{n}} ثوانٍ', many: '{{n}} ثانية', other: '{{n}} ثانية' } } };
    const english: Tree = { ui: { hello: 'Hello {{name}}', seconds: { one: '1 second', other: '{{n}} seconds' } } };
    expect(inboxDrift(base, english)).toEqual([]);
    expect(inboxDrift({ ui: { ...(base.ui as Tree), bye: 'مع السلامة' } }, english)).toEqual(['en lacks ui.bye']);
    expect(inboxDrift(base, { ui: { ...(english.ui as Tree), bye: 'Bye' } })).toEqual(['ar lacks ui.bye']);
    expect(inboxDrift(base, { ui: { ...(english.ui as Tree), hello: 'Hello {{who}}' } })).toEqual(['ui.hello: placeholders name in Arabic, who in English']);
    expect(inboxDrift(base, { ui: { ...(english.ui as Tree), hello: 'Hello {name}' } })).toEqual(['ui.hello: placeholders name in Arabic, (none) in English', 'en ui.hello: a {x} placeholder (write {{x}})']);
    expect(inboxDrift({ ui: { ...(base.ui as Tree), seconds: { one: 'ثانية', other: '{{n}} ثانية' } } }, english)).toEqual([
      'ar ui.seconds: no "two" form (Arabic needs one, two, few, many and other)',
      'ar ui.seconds: no "few" form (Arabic needs one, two, few, many and other)',
      'ar ui.seconds: no "many" form (Arabic needs one, two, few, many and other)',
    ]);
    expect(inboxDrift(base, { ui: { ...(english.ui as Tree), seconds: { one: '1 second' } } })).toEqual(['en lacks ui.seconds', 'ar lacks ui.seconds.one']);
  });

  it("every key the inbox's code reads (s.key, s.group.key) is in the Arabic file", () => {
    // tsc -p web/inbox already refuses an unknown s.key (Strings has no index signature at the top); inside a group
    // (s.queue.waiting) the type also lets a value from the server look a label up, so this checks the names written out.
    const ui = ar.ui as Tree;
    const dir = path.join(ROOT_DIR, 'web/inbox/src');
    const missing: string[] = [];
    let seen = 0;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const code = fs.readFileSync(path.join(dir, file), 'utf8');
      // Only modules that get the words (from i18n.ts or a Ctx) call a variable `s`; dom.ts's `s` is an element.
      if (!/from '\.\/(i18n|ctx)\.ts'/.test(code)) continue;
      for (const m of code.matchAll(/\bs\.(\w+)(?:\.(\w+))?/g)) {
        const [, key = '', sub] = m;
        seen++;
        const group = ui[key];
        if (group === undefined) missing.push(`${file}: s.${key}`);
        else if (sub && typeof group === 'object' && !(sub in group)) missing.push(`${file}: s.${key}.${sub}`);
      }
    }
    expect(seen).toBeGreaterThan(300);
    expect(missing).toEqual([]);
  });
});
