// Real browser for tests: Debian's Chromium driven by playwright-core (no browser download), headless.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT_DIR } from '../../src/config.ts';
import { totpFor, type OfficerHost } from '../support/officers.ts';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p)) ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

/** Screenshots and traces land here (CI keeps test-artifacts/). */
export function artifactPath(name: string): string {
  const dir = path.join(ROOT_DIR, 'test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/**
 * Signs an officer in on the inbox page as a person does: email and password, then (the server asks for it) the
 * current code from the authenticator app, which tests/support/officers.ts sets up first when the officer has none.
 */
export async function signInInbox(page: Page, host: OfficerHost, base: string, email: string, password: string): Promise<void> {
  const code = await totpFor(host, email);
  if (!page.url().startsWith(`${base}/inbox`)) await page.goto(`${base}/inbox`);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  const totp = page.getByTestId('signin-totp');
  await totp.waitFor({ state: 'visible', timeout: 15_000 });
  await totp.fill(code ?? '');
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('signout').waitFor({ timeout: 15_000 });
}
