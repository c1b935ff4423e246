// Moves the inbox's words from TypeScript string files (web/inbox/src/i18n*.ts, each exporting `{ ar, en }` objects)
// into locales/ar/inbox.json and locales/en/inbox.json, under the key "ui" (the rest of those files are the server's
// texts and are left as they are).
//
//   npx tsx web/inbox/strings-to-json.mjs                        every web/inbox/src/i18n*.ts that exports { ar, en }
//   npx tsx web/inbox/strings-to-json.mjs web/inbox/src/i18n-foo.ts [more files…]   only these files
//
// Then delete the converted .ts files (and their imports); the inbox reads its words from the JSON at runtime
// (GET /inbox/strings/<lang>.json) and its `Strings` type comes from locales/ar/inbox.json.
//
// It merges, so it can be run again on new files: a key already in the JSON and absent from the files stays; a key
// in the files is written over the JSON's (each change is printed). A file is read whatever its exports are called:
// every exported object with `ar` and `en` objects counts (`FOO_STRINGS = { ar, en }`, `STRINGS`).
//
// What it changes on the way, so the JSON suits i18next on the server (which loads the same files):
//   - placeholders `{name}` become i18next's `{{name}}` (and the inbox's fill() replaces `{{name}}`);
//   - a pair of strings `[masculine, feminine]` becomes `{ "m": …, "f": … }`; any other array is refused;
//   - "." and ":" in a key (i18next's separators) become "/": the audit action `application.view` is the key
//     `application/view` (web/inbox/src/audit.ts looks it up so);
//   - plural groups keep every CLDR form in both languages, so the two files have the same keys (English reads only
//     `one` and `other`; its other forms repeat `other`).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const KEY = 'ui';
const PLURAL = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** { one, other } and more CLDR categories only: a plural group. */
export const isPlural = (v) => isObject(v) && 'one' in v && 'other' in v && Object.keys(v).every((k) => PLURAL.has(k));

function convert(value, at, lang) {
  if (typeof value === 'string') return value.replace(/(?<!\{)\{(\w+)\}(?!\})/g, '{{$1}}');
  if (Array.isArray(value)) {
    if (value.length === 2 && value.every((x) => typeof x === 'string')) return { m: convert(value[0], at, lang), f: convert(value[1], at, lang) };
    throw new Error(`${lang}.${at}: only [masculine, feminine] pairs of strings can be converted, not this array`);
  }
  if (!isObject(value)) throw new Error(`${lang}.${at}: ${typeof value} is not a text`);
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    out[k.replace(/[.:]/g, '/')] = convert(v, `${at}.${k}`, lang);
  }
  return out;
}

/** Writes `from` into `into` (both plain trees); returns the paths it added or changed. */
function merge(into, from, at, changes) {
  for (const [k, v] of Object.entries(from)) {
    const p = at ? `${at}.${k}` : k;
    if (isObject(v) && isObject(into[k]) && !isPlural(v)) merge(into[k], v, p, changes);
    else if (JSON.stringify(into[k]) !== JSON.stringify(v)) {
      changes.push(`${k in into ? 'changed' : 'added'} ${p}`);
      into[k] = v;
    }
  }
  return changes;
}

async function stringsOf(file) {
  const mod = await import(pathToFileURL(path.resolve(file)).href);
  const found = { ar: {}, en: {} };
  let any = false;
  for (const value of Object.values(mod)) {
    if (!isObject(value) || !isObject(value.ar) || !isObject(value.en)) continue;
    any = true;
    for (const lang of ['ar', 'en']) Object.assign(found[lang], value[lang]);
  }
  return any ? found : undefined;
}

async function main() {
  const args = process.argv.slice(2);
  const src = path.join(here, 'src');
  const files = args.length ? args : readdirSync(src).filter((f) => /^i18n.*\.ts$/.test(f)).sort().map((f) => path.join(src, f));
  const collected = { ar: {}, en: {} };
  for (const file of files) {
    const found = await stringsOf(file);
    if (!found) {
      console.log(`skipped ${path.relative(root, path.resolve(file))}: it exports no { ar, en } strings`);
      continue;
    }
    for (const lang of ['ar', 'en']) Object.assign(collected[lang], found[lang]);
    console.log(`read ${path.relative(root, path.resolve(file))}: ${Object.keys(found.ar).length} keys`);
  }
  for (const lang of ['ar', 'en']) {
    const target = path.join(root, 'locales', lang, 'inbox.json');
    const json = JSON.parse(readFileSync(target, 'utf8'));
    if (!isObject(json[KEY])) json[KEY] = {};
    const changes = merge(json[KEY], convert(collected[lang], KEY, lang), KEY, []);
    writeFileSync(target, `${JSON.stringify(json, null, 2)}\n`);
    const added = changes.filter((c) => c.startsWith('added')).length;
    const changed = changes.filter((c) => c.startsWith('changed'));
    console.log(`${path.relative(root, target)}: ${added} added, ${changed.length} changed${changed.map((c) => `\n  ${c}`).join('')}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
