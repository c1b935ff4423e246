// Bundles the web chat widget into one file (CSS inside the JS) and fails when it grows past the budget.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
export const GZIP_BUDGET = 20 * 1024;

/** Builds dist/widget.js (or into `outdir`) and returns its sizes in bytes; writes size.json beside it. */
export async function buildWidget({ outdir = path.join(here, 'dist') } = {}) {
  const result = await build({
    entryPoints: [path.join(here, 'src/main.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2019',
    platform: 'browser',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    outfile: path.join(outdir, 'widget.js'),
    write: false,
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('widget.js'));
  if (!js) throw new Error('esbuild produced no JavaScript');
  const code = Buffer.from(js.contents);
  const sizes = { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
  mkdirSync(outdir, { recursive: true });
  writeFileSync(path.join(outdir, 'widget.js'), code);
  writeFileSync(path.join(outdir, 'size.json'), `${JSON.stringify(sizes)}\n`);
  return { ...sizes, file: path.join(outdir, 'widget.js'), withinBudget: sizes.gzip <= GZIP_BUDGET };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const r = await buildWidget();
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`widget.js: ${kb(r.raw)} raw, ${kb(r.gzip)} gzipped (budget ${kb(GZIP_BUDGET)})`);
    if (!r.withinBudget) {
      console.error(`widget.js is over the gzip budget by ${r.gzip - GZIP_BUDGET} bytes`);
      process.exitCode = 1;
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
