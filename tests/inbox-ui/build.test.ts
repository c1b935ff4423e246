/// <reference lib="dom" />
// The inbox bundle: builds to one IIFE within 60 KB gzipped; the freshly built bundle, run in Chromium against the
// real gateway, signs in, shows the test hooks the browser tests use, renders server text only as text, and mirrors
// its layout between Arabic and English (logical CSS properties, not physical left/right).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRINGS } from './strings.ts';
import { QUEUES } from '../../web/inbox/src/types.ts';
import { launchBrowser, signInInbox } from '../browser/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';

const root = path.resolve(import.meta.dirname, '../..');
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tawasul-inbox-'));
type Built = { raw: number; gzip: number; file: string; withinBudget: boolean };
let built: Built;
let gw: TestGateway;
let browser: Browser;

// Markup in a name the server stores as typed: the inbox must show it as these characters, never as elements.
const MARKUP_NAME = 'نورة <img src=x onerror="window.__injected=1"><b data-injected>x</b>';

beforeAll(async () => {
  const { buildInbox } = (await import(pathToFileURL(path.join(root, 'web/inbox/build.mjs')).href)) as { buildInbox: (o: { outdir: string }) => Promise<Built> };
  built = await buildInbox({ outdir });
  gw = await startGateway();
  await gw.listen();
  await gw.auth.createOfficer({ email: 'noura.b@example.org', displayName: MARKUP_NAME, role: 'officer', password: 'quiet lantern harbour 2026' });
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** A page where /inbox/app.js is the bundle this test just built, not whatever dist/ holds. */
async function inboxPage(errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ar-SA' });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  const code = fs.readFileSync(built.file);
  await page.route(`${gw.url()}/inbox/app.js`, (route) => route.fulfill({ status: 200, contentType: 'application/javascript; charset=utf-8', body: code }));
  return page;
}

/** Physical margins, paddings, borders, floats and alignment of every element whose direction follows the page, keyed by its place in the tree. */
function physicalSides(page: Page) {
  return page.evaluate(() => {
    const out: Record<string, { dir: string; l: string[]; r: string[]; align: string }> = {};
    const key = (el: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = el; e && e !== document.documentElement; e = e.parentElement) {
        const id = e.getAttribute('data-testid');
        parts.unshift(id ? `${e.tagName}#${id}` : `${e.tagName}.${e.className}:${Array.prototype.indexOf.call(e.parentElement?.children ?? [], e)}`);
      }
      return parts.join('>');
    };
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (!(el as HTMLElement).offsetParent && getComputedStyle(el).position !== 'fixed') continue;
      const c = getComputedStyle(el);
      out[key(el)] = {
        dir: c.direction,
        l: [c.marginLeft, c.paddingLeft, c.borderLeftWidth, c.float === 'left' ? 'float' : ''],
        r: [c.marginRight, c.paddingRight, c.borderRightWidth, c.float === 'right' ? 'float' : ''],
        align: c.textAlign,
      };
    }
    return out;
  });
}

/** Switches the language and checks every element that changed direction has its physical sides swapped; returns how many. */
async function mirrored(page: Page, readyTestId: string): Promise<number> {
  const before = await physicalSides(page);
  const dir = await page.evaluate(() => document.documentElement.dir);
  await page.getByTestId('lang-toggle').click();
  await page.waitForFunction((d) => document.documentElement.dir !== d, dir);
  await page.getByTestId(readyTestId).waitFor();
  const after = await physicalSides(page);
  const flip: Record<string, string> = { left: 'right', right: 'left' };
  let compared = 0;
  for (const [k, a] of Object.entries(before)) {
    const b = after[k];
    // Elements that keep one direction in both languages (an email field is always ltr) need not mirror.
    if (!b || a.dir === b.dir) continue;
    compared++;
    expect({ at: k, l: a.l, r: a.r, align: flip[a.align] ?? a.align }).toEqual({ at: k, l: b.r, r: b.l, align: b.align });
  }
  return compared;
}

describe('inbox bundle', () => {
  it('builds one IIFE of at most 60 KB gzipped', () => {
    expect(built.withinBudget).toBe(true);
    expect(built.gzip).toBeLessThanOrEqual(60 * 1024);
    expect(built.gzip).toBeGreaterThan(1024);
    const code = fs.readFileSync(built.file, 'utf8');
    expect(code.startsWith('"use strict";(()=>{') || code.startsWith('(()=>{')).toBe(true);
  });

  it('runs in Chromium: signs in, shows the hooks the browser tests use, and renders a name with markup as text', async () => {
    const errors: string[] = [];
    const page = await inboxPage(errors);
    await page.goto(`${gw.url()}/inbox`);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    await page.getByTestId('signin-email').fill('noura.b@example.org');
    await page.getByTestId('signin-password').fill('wrong password 2026');
    await page.getByTestId('signin-submit').click();
    await expect.poll(() => page.getByTestId('error').textContent(), { timeout: 10_000 }).toBe(STRINGS.ar.errSignIn + '×');
    await signInInbox(page, gw, gw.url(), 'noura.b@example.org', 'quiet lantern harbour 2026');
    for (const q of QUEUES) await page.getByTestId(`queue-${q}`).waitFor();
    expect(await page.getByTestId('queue-waiting').textContent()).toContain(STRINGS.ar.queue.waiting);
    expect(await page.getByTestId('count-waiting').getAttribute('data-count')).toBe('0');
    // The name shows as typed, and none of its markup became an element or ran.
    expect(await page.locator('.who').textContent()).toContain(MARKUP_NAME);
    expect(await page.locator('img, [data-injected]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('mirrors its layout between Arabic and English, signed out and in: no physical left/right in its styles', async () => {
    const errors: string[] = [];
    const page = await inboxPage(errors);
    await page.goto(`${gw.url()}/inbox`);
    await page.getByTestId('signin-email').waitFor();
    const signedOut = await mirrored(page, 'signin-email');
    await signInInbox(page, gw, gw.url(), 'noura.b@example.org', 'quiet lantern harbour 2026');
    const signedIn = await mirrored(page, 'signout');
    expect(signedOut).toBeGreaterThan(5);
    expect(signedIn).toBeGreaterThan(20);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('the shell page loads /inbox/app.js only, with no inline script (the gateway CSP allows none)', () => {
    const html = fs.readFileSync(path.join(root, 'web/inbox/index.html'), 'utf8');
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(html).toMatch(/<script src="\/inbox\/app\.js" defer><\/script>/);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/\son\w+=/i);
  });

  it('has every text in both languages, none empty', () => {
    const walk = (a: unknown, b: unknown, at: string): void => {
      if (typeof a === 'string') {
        expect(typeof b, at).toBe('string');
        expect(a.trim(), at).not.toBe('');
        expect(String(b).trim(), at).not.toBe('');
        return;
      }
      // English plurals have only `one` and `other` (tests/locales-code.test.ts checks the groups in full).
      const englishPlural = at.startsWith('ar') && typeof b === 'object' && b !== null && Object.keys(b).join() === 'one,other';
      for (const k of Object.keys(a as object)) if (!(englishPlural && ['zero', 'two', 'few', 'many'].includes(k))) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    };
    walk(STRINGS.ar, STRINGS.en, 'ar');
    walk(STRINGS.en, STRINGS.ar, 'en');
  });
});
