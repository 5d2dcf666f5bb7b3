// Debian's Chromium through playwright-core, configured for timing: besides the flags the e2e tests use, the
// renderer must never be throttled as a background page, or animation frames would stretch for reasons that
// have nothing to do with the grid.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Chromium's flags wherever it runs headless here (DESIGN.md's, plus no first-run or background chatter). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Timing figures also need a page that is never throttled as a background one. */
const FLAGS = [
  ...CHROMIUM_FLAGS,
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** The window the figures are taken in (the e2e tests' size): about 35 rows of the grid are in view. */
export const VIEWPORT = { width: 1400, height: 860 } as const;

/** Why Chromium cannot be used, or null when it can. */
export function chromiumUnavailable(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `n/a (${CHROMIUM_PATH} not found: apt-get install chromium)`;
}

export interface ChromiumSession {
  page: Page;
  /** Errors the page logged and uncaught exceptions, reported under the table. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openChromium(): Promise<ChromiumSession> {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
  });
  const page = await browser.newPage({ viewport: VIEWPORT });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  return { page, pageErrors, close: () => browser.close() };
}
