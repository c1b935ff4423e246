// The inbox bundle: builds to one IIFE within 60 KB gzipped, renders text only as text, and keeps its test hooks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STRINGS } from '../../web/inbox/src/i18n.ts';

const root = path.resolve(import.meta.dirname, '../..');
const srcDir = path.join(root, 'web/inbox/src');
const sources = fs.readdirSync(srcDir).filter((f) => f.endsWith('.ts'));
const allSource = sources.map((f) => fs.readFileSync(path.join(srcDir, f), 'utf8')).join('\n');

describe('inbox bundle', () => {
  it('builds one IIFE of at most 60 KB gzipped', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tawasul-inbox-'));
    const { buildInbox } = (await import(pathToFileURL(path.join(root, 'web/inbox/build.mjs')).href)) as {
      buildInbox: (o: { outdir: string }) => Promise<{ raw: number; gzip: number; file: string; withinBudget: boolean }>;
    };
    const r = await buildInbox({ outdir });
    expect(r.withinBudget).toBe(true);
    expect(r.gzip).toBeLessThanOrEqual(60 * 1024);
    const code = fs.readFileSync(r.file, 'utf8');
    expect(code.startsWith('"use strict";(()=>{') || code.startsWith('(()=>{')).toBe(true);
    expect(code).toContain('بانتظار موظف');
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('the shell page loads /inbox/app.js only, with no inline script (the gateway CSP allows none)', () => {
    const html = fs.readFileSync(path.join(root, 'web/inbox/index.html'), 'utf8');
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(html).toMatch(/<script src="\/inbox\/app\.js" defer><\/script>/);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/\son\w+=/i);
  });

  it('never renders through innerHTML or similar', () => {
    expect(allSource).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment|\beval\(|new Function/);
  });

  it('keeps the data-testid hooks the browser tests rely on', () => {
    const ids = [
      'signin-email', 'signin-password', 'signin-submit', 'error', 'signout',
      'take', 'refer', 'hand-back', 'close', 'close-confirm', 'reply-text', 'reply-send', 'note-text', 'note-save',
      'message', 'note', 'conversation-row', 'application-row',
      'status-select', 'status-note', 'status-submit', 'decision-approve', 'decision-reject', 'decision-reasons', 'decision-submit',
      'report-satisfaction-average', 'report-satisfaction-count',
      'failed-row', 'failed-retry', 'failed-requeued', 'failed-retry-error', 'failed-address', 'failed-error', 'failed-empty',
      'reroute', 'attach', 'attach-input', 'attach-chip', 'attach-name', 'attach-remove',
      'channel-card', 'channel-state', 'channel-qr', 'channel-qr-help', 'channel-since', 'preferred-channel', 'preferred-channel-status',
    ];
    for (const id of ids) expect(allSource, id).toContain(`'${id}'`);
    // Queue tabs and counts are built from the queue names.
    expect(allSource).toContain("'data-testid': `queue-${q}`");
    expect(allSource).toContain("'data-testid': `count-${q}`");
  });

  it('has every text in both languages, none empty', () => {
    const walk = (a: unknown, b: unknown, at: string): void => {
      if (typeof a === 'string') {
        expect(typeof b, at).toBe('string');
        expect(a.trim(), at).not.toBe('');
        expect(String(b).trim(), at).not.toBe('');
        return;
      }
      for (const k of Object.keys(a as object)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    };
    walk(STRINGS.ar, STRINGS.en, 'ar');
    walk(STRINGS.en, STRINGS.ar, 'en');
  });

  it('uses CSS logical properties, not physical left/right', () => {
    const css = fs.readFileSync(path.join(srcDir, 'styles.ts'), 'utf8');
    expect(css).not.toMatch(/(margin|padding|border)-(left|right)|(^|[;{])\s*(left|right)\s*:|text-align:\s*(left|right)|float:\s*(left|right)/m);
  });
});
