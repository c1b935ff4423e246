// Bundles the officers' inbox into one file (CSS inside the JS): dist/app.js, served as /inbox/app.js.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
export const GZIP_BUDGET = 60 * 1024;

/** Builds dist/app.js (or into `outdir`) and returns its sizes in bytes; writes size.json beside it. */
export async function buildInbox({ outdir = path.join(here, 'dist') } = {}) {
  const result = await build({
    entryPoints: [path.join(here, 'src/main.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    outfile: path.join(outdir, 'app.js'),
    write: false,
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('app.js'));
  if (!js) throw new Error('esbuild produced no JavaScript');
  const code = Buffer.from(js.contents);
  const sizes = { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
  mkdirSync(outdir, { recursive: true });
  writeFileSync(path.join(outdir, 'app.js'), code);
  writeFileSync(path.join(outdir, 'size.json'), `${JSON.stringify(sizes)}\n`);
  return { ...sizes, file: path.join(outdir, 'app.js'), withinBudget: sizes.gzip <= GZIP_BUDGET };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const r = await buildInbox();
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`inbox app.js: ${kb(r.raw)} raw, ${kb(r.gzip)} gzipped (budget ${kb(GZIP_BUDGET)})`);
    if (!r.withinBudget) {
      console.error(`app.js is over the gzip budget by ${r.gzip - GZIP_BUDGET} bytes`);
      process.exitCode = 1;
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
