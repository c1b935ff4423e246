// The PDF renderer's limits: no Chromium → 503 ERR_PDF_UNAVAILABLE with what to fix (and nothing sent), one browser
// reused, a time limit, and the browser gone once it is closed (as the gateway closes it on shutdown).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.ts';
import { isAppError } from '../../src/core/errors.ts';
import { attachments, outbox } from '../../src/db/schema.ts';
import { createPdfRenderer } from '../../src/letters/renderer.ts';
import { applyViaWebchat } from '../applications/helpers.ts';
import { CHROMIUM } from '../browser/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { officerSession, pdfText } from './support.ts';

/** Chromium processes whose parent is this test process (the browser playwright started for us). */
function browserPids(): number[] {
  try {
    const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
    return out
      .split('\n')
      .filter((line) => /chrom/i.test(line))
      .map((line) => Number(line.trim().split(/\s+/)[0]));
  } catch {
    return [];
  }
}
const ourBrowsers = () => browserPids().length;

const PAGE = '<!doctype html><html lang="ar" dir="rtl"><body style="font-family: \'Noto Naskh Arabic\'"><p>بسم الله</p><p>رقم ١٢٣</p></body></html>';

describe('without Chromium', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ CHROMIUM_PATH: '/nonexistent/chromium' });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers 503 ERR_PDF_UNAVAILABLE naming CHROMIUM_PATH, and sends nothing', async () => {
    const officer = await officerSession(gw, 'officer');
    const app = await applyViaWebchat(gw, 'ar');
    const res = await gw.app.inject({ method: 'GET', url: `/api/applications/${app.applicationId}/letters/receipt`, headers: officer });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('ERR_PDF_UNAVAILABLE');
    expect(res.json().error.message).toMatch(/no Chromium at \/nonexistent\/chromium.*CHROMIUM_PATH/);
    const files = gw.db.select().from(attachments).all().length;
    const queued = gw.db.select().from(outbox).all().length;
    const sent = await gw.app.inject({ method: 'POST', url: `/api/applications/${app.applicationId}/letters/receipt/send`, headers: officer, payload: {} });
    expect([sent.statusCode, sent.json().error.code]).toEqual([503, 'ERR_PDF_UNAVAILABLE']);
    expect([gw.db.select().from(attachments).all().length, gw.db.select().from(outbox).all().length]).toEqual([files, queued]);
  });
});

describe('the renderer', () => {
  it('prints several letters at once through one browser, then closes it and refuses more', async () => {
    const renderer = createPdfRenderer({ executablePath: CHROMIUM, concurrency: 2 });
    expect(ourBrowsers()).toBe(0);
    const pdfs = await Promise.all([1, 2, 3, 4].map(() => renderer.render(PAGE)));
    for (const pdf of pdfs) expect(pdfText(pdf)).toContain('رقم ١٢٣');
    expect(ourBrowsers()).toBe(1);
    await renderer.close();
    expect(ourBrowsers()).toBe(0);
    const after = await renderer.render(PAGE).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isAppError(after) && after.code).toBe('ERR_PDF_UNAVAILABLE');
  });

  it('starts a new browser for the next letter after Chromium crashed', async () => {
    const renderer = createPdfRenderer({ executablePath: CHROMIUM });
    try {
      await renderer.render(PAGE);
      const [pid] = browserPids();
      expect(pid).toBeGreaterThan(0);
      process.kill(pid ?? 0, 'SIGKILL');
      await expect.poll(() => browserPids().includes(pid ?? 0), { timeout: 5000 }).toBe(false);
      // The letter asked for in the crash's wake may fail with 503; the one after it prints.
      await renderer.render(PAGE).catch(() => undefined);
      expect(pdfText(await renderer.render(PAGE))).toContain('رقم ١٢٣');
      expect(browserPids()).not.toContain(pid);
    } finally {
      await renderer.close();
    }
  });

  it('gives up on a letter past its time limit with 503 and a message to try again', async () => {
    const renderer = createPdfRenderer({ executablePath: CHROMIUM, timeoutMs: 1 });
    try {
      const slow = await renderer.render(PAGE).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(isAppError(slow) && [slow.code, slow.status]).toEqual(['ERR_PDF_UNAVAILABLE', 503]);
      expect(isAppError(slow) && slow.message).toMatch(/took longer than .* to print; try again/);
    } finally {
      await renderer.close();
    }
  });
});

describe('CHROMIUM_PATH', () => {
  it('defaults to Debian\'s /usr/bin/chromium and stops start-up for a relative path, naming the variable', () => {
    expect(parseConfig({}).chromiumPath).toBe('/usr/bin/chromium');
    expect(parseConfig({ CHROMIUM_PATH: '/opt/chromium/chrome' }).chromiumPath).toBe('/opt/chromium/chrome');
    expect(() => parseConfig({ CHROMIUM_PATH: 'chromium' })).toThrow(ConfigError);
    expect(() => parseConfig({ CHROMIUM_PATH: 'chromium' })).toThrow(/CHROMIUM_PATH: must be an absolute path/);
  });
});
