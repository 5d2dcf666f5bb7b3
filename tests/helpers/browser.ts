// Debian's Chromium driven by playwright-core, for end-to-end tests of the served interface. Each launch gets a
// fresh temporary profile (no state leaks between tests), removed on close.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { requireProgram } from './require-program.ts';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../bench/sections/browser-grid/chromium.ts';

/** True when Chromium is installed; throws in CI when it is not (see require-program.ts). */
export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM_PATH) || requireProgram('chromium');
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Messages the page logged as errors and uncaught exceptions: a test can assert there were none. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openBrowser(
  opts: { width?: number; height?: number; dark?: boolean } = {},
): Promise<BrowserSession> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: opts.width ?? 1400, height: opts.height ?? 860 },
    colorScheme: opts.dark ? 'dark' : 'light',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  return {
    context,
    page,
    pageErrors,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
