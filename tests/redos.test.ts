// Every regular expression in the code that reads user text (channels, flows, conversations, inbox, web chat,
// files, and the two front ends) is checked by a ReDoS checker (recheck): any pattern it finds super-linear, or
// cannot judge, fails here with the attack string it found. The patterns are read from the sources, so a new one is
// checked without anyone listing it. recheck runs its native build when npm installed one for this platform, or
// its pure-JavaScript build otherwise; both are in the registry package, nothing is downloaded.
import fs from 'node:fs';
import path from 'node:path';
import { check, type Diagnostics } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../src/config.ts';

const FOLDERS = ['src', 'channels', 'web/inbox/src', 'web/widget/src'];

interface Found {
  where: string;
  source: string;
  flags: string;
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return /\.(?:ts|tsx|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Regex literals, and `RegExp(…)` calls: those with literal arguments are checked, others cannot be. */
function regexesIn(file: string): { found: Found[]; dynamic: string[] } {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Found[] = [];
  const dynamic: string[] = [];
  const where = (node: ts.Node) => `${path.relative(ROOT_DIR, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const literal = (node: ts.Node | undefined) => (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined);
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const body = node.getText();
      const end = body.lastIndexOf('/');
      found.push({ where: where(node), source: body.slice(1, end), flags: body.slice(end + 1) });
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      const [pattern, flags] = node.arguments ?? [];
      const source = literal(pattern);
      if (source === undefined || (flags !== undefined && literal(flags) === undefined)) dynamic.push(where(node));
      else found.push({ where: where(node), source, flags: literal(flags) ?? '' });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { found, dynamic };
}

// The same verdict on every run: a fixed seed for the fuzzing, and its searches bounded by steps of recheck's matcher
// rather than milliseconds. Only the last step, which confirms an attack by timing it for real, is timed; checks
// run one at a time so that they do not slow each other into false findings, and a finding must repeat.
const PARAMS = { randomSeed: 2026, timeout: null, attackTimeout: null, incubationTimeout: null };

function verdict(d: Diagnostics): string {
  if (d.status === 'safe') return 'safe';
  if (d.status === 'vulnerable') return `${d.complexity.type}: ${d.attack.pattern}`;
  return `unknown (${d.error.kind})`;
}

async function unsafe(r: Found): Promise<string | undefined> {
  let d = await check(r.source, r.flags, PARAMS);
  if (d.status !== 'safe') d = await check(r.source, r.flags, PARAMS);
  return d.status === 'safe' ? undefined : `${r.where} /${r.source}/${r.flags} → ${verdict(d)}`;
}

const scanned = FOLDERS.flatMap((f) => files(path.join(ROOT_DIR, f))).map(regexesIn);
const regexes = scanned.flatMap((s) => s.found);


describe('regular expressions on user text', () => {
  it('are found in the sources (the scan itself works)', () => {
    expect(regexes.length).toBeGreaterThan(150);
    expect(regexes.map((r) => `/${r.source}/${r.flags}`)).toContain('/(?<!\\/)\\/+$/');
  });

  it('are built from literals, so that each can be checked', () => {
    expect(scanned.flatMap((s) => s.dynamic)).toEqual([]);
  });

  it('are all linear for recheck: none can be made to backtrack over a long input', async () => {
    const found: string[] = [];
    for (const r of regexes) {
      const problem = await unsafe(r);
      if (problem) found.push(problem);
    }
    expect(found).toEqual([]);
  }, 240_000);

  it('the checker, set up as above, finds the patterns that froze the gateway (the test can fail)', async () => {
    for (const [source, flags] of [['\\s+$', ''], ['<[^>]*>', 'g'], ['\\/+$', ''], ['^(a+)+$', '']] as const) {
      expect(await unsafe({ where: 'here', source, flags }), `/${source}/${flags}`).toMatch(/→ (polynomial|exponential)/);
    }
  }, 60_000);
});
