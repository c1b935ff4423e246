// Keeps the rooms of the guide apart: reads every import and fails when a folder reaches where it may not.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../src/config.ts';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The room a file belongs to: "channels/<id>", "src/<folder>", or "src" for top-level files. */
function room(file: string): string {
  const rel = path.relative(ROOT_DIR, file).split(path.sep);
  if (rel[0] === 'channels') return `channels/${rel[1]}`;
  if (rel[0] === 'src') return rel.length > 2 ? `src/${rel[1]}` : 'src';
  return rel[0] ?? '';
}

// What each room may import from this project, besides itself (packages and node: built-ins are free).
const ALLOWED: Record<string, string[] | '*'> = {
  'src/core': [],
  // The HTTP contract: zod schemas of every route, imported by routes, the OpenAPI document and the inbox.
  'src/api': ['src/core'],
  'src/flows': ['src/core'],
  // The intent classifier: built at start-up from the intent examples, handed to the engine as a function.
  'src/nlu': ['src/core', 'src/flows'],
  'src/dates': ['src/core', 'src/profile'],
  'src/profile': ['src/core', 'src/flows', 'src/dates'],
  'src/i18n': ['src/core', 'src/flows', 'src/dates'],
  'src/db': ['src/core'],
  'src/outbound': ['src/core', 'src/db'],
  // Stored files: type by content, size limits, paths under DATA_DIR/uploads (web chat, inbox, provider media),
  // the free-space floor, and the purge of files linked to no row (which reads the attachments table).
  'src/files': ['src/core', 'src/db'],
  'src/conversations': ['src/core', 'src/db', 'src/flows', 'src/outbound', 'src/files'],
  'src/webchat': ['src/core', 'src/db', 'src/conversations', 'src/files'],
  'src/auth': ['src/core', 'src/api', 'src/db'],
  'src/inbox': ['src/core', 'src/api', 'src/db', 'src/conversations', 'src/flows', 'src/auth', 'src/files'],
  // Learning from misses: the admin's view of what the bot could not place, and examples added to the classifier.
  'src/learning': ['src/core', 'src/api', 'src/db', 'src/flows'],
  // src/flows for the intake's validators (pure functions): staff registration checks fields with the same ones.
  'src/applications': ['src/core', 'src/api', 'src/db', 'src/conversations', 'src/i18n', 'src/auth', 'src/dates', 'src/files', 'src/flows'],
  // The beneficiary's rights and retention: the access copy, erasure, the retention purge, incidents.
  'src/privacy': ['src/core', 'src/api', 'src/db', 'src/conversations', 'src/files', 'src/dates', 'src/flows', 'src/inbox'],
  // Official letters: an application's records worded from the profile and locales, printed to PDF, sent as a file.
  'src/letters': ['src/core', 'src/db', 'src/conversations', 'src/applications', 'src/dates', 'src/files', 'src/profile'],
  // Operations: readiness, Prometheus metrics, backup and restore of the store.
  'src/ops': ['src/core', 'src/api', 'src/db', 'src/conversations', 'src/outbound', 'src/files'],
  'src/http': ['src/core', 'src/api', 'src/ops', 'src/conversations', 'src/webchat', 'src/auth', 'src/inbox', 'src/applications', 'src/letters', 'src/learning', 'src/privacy'],
  // Command-line tools are small composition roots of their own.
  'src/cli': '*',
  // The composition root (main, gateway, config, the explicit channel list) wires everything.
  src: '*',
};

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '').filter((s) => s.startsWith('.'));
}

const sources = [...files(path.join(ROOT_DIR, 'src')), ...files(path.join(ROOT_DIR, 'channels'))];

describe('architecture', () => {
  it('each room imports only what the guide allows', () => {
    const problems: string[] = [];
    for (const file of sources) {
      const from = room(file);
      for (const spec of importsOf(file)) {
        const to = room(path.resolve(path.dirname(file), spec));
        if (to === from) continue;
        if (from.startsWith('channels/')) {
          if (to !== 'src/core') problems.push(`${path.relative(ROOT_DIR, file)} imports ${spec} (channels may import only src/core)`);
          continue;
        }
        const allowed = ALLOWED[from];
        if (allowed === undefined) problems.push(`${path.relative(ROOT_DIR, file)}: room ${from} has no rule`);
        else if (allowed !== '*' && !allowed.includes(to)) problems.push(`${path.relative(ROOT_DIR, file)} (${from}) imports ${spec} (${to})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('only src/config.ts reads process.env', () => {
    const readers = sources.filter((f) => /process\.env\b/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(ROOT_DIR, f));
    expect(readers).toEqual(['src/config.ts']);
  });

  it('the flow engine stays pure: no clock, randomness, database, i18n or network', () => {
    for (const file of files(path.join(ROOT_DIR, 'src/flows')).filter((f) => !/loader|write-json-schema/.test(f))) {
      const text = fs.readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random|from 'i18next'|better-sqlite3|drizzle|node:http|fetch\(/);
    }
  });

  it('the outbound worker is the only caller of send()', () => {
    const callers = sources.filter((f) => /\.send\(row\.address|adapter\.send\(/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(ROOT_DIR, f));
    expect(callers).toEqual(['src/outbound/worker.ts']);
  });

  it('files stay short', () => {
    const long = sources.filter((f) => fs.readFileSync(f, 'utf8').split('\n').length > 420).map((f) => path.relative(ROOT_DIR, f));
    expect(long).toEqual([]);
  });
});
