// The widget bundle builds and stays within its budget: JS + CSS together <= 20 KB gzipped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('widget bundle', () => {
  it('builds one IIFE with the CSS inside, at most 20 KB gzipped', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tawasul-widget-'));
    const buildPath = pathToFileURL(path.join(root, 'web/widget/build.mjs')).href;
    const { buildWidget } = (await import(buildPath)) as {
      buildWidget: (o: { outdir: string }) => Promise<{ raw: number; gzip: number; file: string; withinBudget: boolean }>;
    };
    const r = await buildWidget({ outdir });
    expect(r.gzip).toBeLessThanOrEqual(20 * 1024);
    expect(r.withinBudget).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'size.json'), 'utf8'))).toEqual({ raw: r.raw, gzip: r.gzip });
    const code = fs.readFileSync(r.file, 'utf8');
    expect(code.startsWith('"use strict";(()=>{') || code.startsWith('(()=>{')).toBe(true);
    expect(code).toContain('Noto Naskh Arabic');
    expect(code).toContain('TawasulWidget');
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('never renders through innerHTML or similar', () => {
    const dir = path.join(root, 'web/widget/src');
    for (const f of fs.readdirSync(dir)) {
      expect(fs.readFileSync(path.join(dir, f), 'utf8'), f).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    }
  });
});
