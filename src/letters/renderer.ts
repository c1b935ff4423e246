// Prints HTML to PDF with the Debian Chromium (playwright-core): one browser, launched on first use and reused,
// a bound on pages printing at once, a time limit per letter, closed with the gateway.
import fs from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { AppError } from '../core/errors.ts';

export interface PdfRenderer {
  /** The PDF of a self-contained HTML page (no scripts, no network; fonts from the system). */
  render(html: string): Promise<Buffer>;
  /** Closes the browser; later renders are refused. */
  close(): Promise<void>;
}

export interface RendererOptions {
  /** CHROMIUM_PATH. */
  executablePath: string;
  /** Pages printing at the same time (each costs tens of MB); others wait their turn. Default 2. */
  concurrency?: number;
  /** Longest a letter may take, waiting for a turn included. Default 20 s. */
  timeoutMs?: number;
  logger?: { warn(obj: object, msg: string): void };
}

// The same flags as the whatsapp-web.js client: headless server, no sandbox (containers), no GPU, no chatter.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'];

const unavailable = (message: string, cause?: unknown) => new AppError('ERR_PDF_UNAVAILABLE', message, { retryable: true, ...(cause === undefined ? {} : { cause }) });

export function createPdfRenderer(options: RendererOptions): PdfRenderer {
  const limit = options.concurrency ?? 2;
  const timeoutMs = options.timeoutMs ?? 20_000;
  let launching: Promise<Browser> | undefined;
  let closed = false;
  let active = 0;
  const waiting: (() => void)[] = [];

  async function launch(): Promise<Browser> {
    try {
      await fs.access(options.executablePath, fs.constants.X_OK);
    } catch {
      throw unavailable(`PDF letters are unavailable: no Chromium at ${options.executablePath}. Install Debian's chromium and fonts-noto-core, or set CHROMIUM_PATH.`);
    }
    try {
      return await chromium.launch({ executablePath: options.executablePath, headless: true, args: ARGS });
    } catch (err) {
      throw unavailable(`PDF letters are unavailable: Chromium at ${options.executablePath} did not start.`, err);
    }
  }

  function browser(): Promise<Browser> {
    if (launching) return launching;
    const started = launch().then(
      (b) => {
        // A crashed browser is started again on the next letter.
        b.on('disconnected', () => {
          if (launching === started) launching = undefined;
        });
        return b;
      },
      (err: unknown) => {
        if (launching === started) launching = undefined;
        throw err;
      },
    );
    launching = started;
    return started;
  }

  async function turn(): Promise<void> {
    if (active < limit) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }

  async function print(html: string, signal: { timedOut: boolean }): Promise<Buffer> {
    // Its caller gave up while it waited for a turn: nobody will read this letter.
    if (signal.timedOut) throw unavailable('The letter took too long to print.');
    const b = await browser();
    // A fresh context per letter: nothing of one beneficiary's letter stays for the next. No scripts, no network.
    const context = await b.newContext({ javaScriptEnabled: false, offline: true });
    try {
      if (signal.timedOut) throw unavailable('The letter took too long to print.');
      await context.route('**/*', (route) => route.abort());
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
      return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  return {
    async render(html) {
      if (closed) throw unavailable('The gateway is shutting down; try again in a moment.');
      const signal = { timedOut: false };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          signal.timedOut = true;
          reject(unavailable(`The letter took longer than ${Math.round(timeoutMs / 1000)} s to print; try again.`));
        }, timeoutMs);
      });
      const job = (async () => {
        await turn();
        try {
          return await print(html, signal);
        } catch (err) {
          // A browser that crashed or was closed mid-letter: the next letter starts a new one.
          if (err instanceof AppError) throw err;
          throw unavailable('The letter could not be printed (Chromium failed); try again.', err);
        } finally {
          release();
        }
      })();
      // The job keeps its turn until it ends even after a timeout, so the bound on open pages holds.
      job.catch((err: unknown) => {
        if (signal.timedOut) options.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'letter finished after its timeout');
      });
      try {
        return await Promise.race([job, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      closed = true;
      const pending = launching;
      launching = undefined;
      if (!pending) return;
      const b = await pending.catch(() => undefined);
      await b?.close().catch(() => undefined);
    },
  };
}
