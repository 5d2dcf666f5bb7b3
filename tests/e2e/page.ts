// What the end-to-end tests do on the page, shared by every suite: read and wait for the "Result count", run a
// query. Every wait is for a condition with a generous limit, never a fixed time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from '../helpers/browser.ts';
import { REPO, startServe, type ServeProcess } from './serve-process.ts';

export const LOGHUB = path.resolve(REPO, '../shared/data/loghub');
export const ARTIFACTS = path.join(REPO, 'tests', 'artifacts');
export const WAIT = { timeout: 60_000 };

/** The number in the "Result count" status (its data-count), or null while it is not known. */
export async function resultCount(page: Page): Promise<number | null> {
  const v = await page.getByRole('status', { name: 'Result count' }).getAttribute('data-count');
  return v == null || v === '' ? null : Number(v);
}

/** Waits until the Result count satisfies the predicate. */
export async function waitForCount(page: Page, ok: (n: number) => boolean, what: string): Promise<number> {
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    const n = await resultCount(page);
    if (n != null && ok(n)) return n;
    if (Date.now() > deadline) throw new Error(`Result count never became ${what} (last: ${n})`);
    await page.waitForTimeout(100);
  }
}

/** Types a query into "Query" and presses Enter. */
export async function runQuery(page: Page, text: string): Promise<void> {
  const box = page.getByRole('combobox', { name: 'Query' });
  await box.fill(text);
  await box.press('Enter');
}

/** A workspace served by a real `flumen serve`, opened in Chromium: what every end-to-end suite starts from. */
export interface ServedPage {
  workspace: string;
  serve: ServeProcess;
  browser: BrowserSession;
  page: Page;
}

export async function openServedPage(
  prefix: string,
  viewport?: { width: number; height: number },
  /** Extra environment for `flumen serve` (a HOME with its own ~/.ssh, for SSH sources). */
  env?: NodeJS.ProcessEnv,
): Promise<ServedPage> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const serve = await startServe(workspace, undefined, env);
  const browser = await openBrowser(viewport);
  await browser.page.goto(serve.url);
  return { workspace, serve, browser, page: browser.page };
}

/** Safe to call from afterAll even when openServedPage failed part-way (anything may be undefined). */
export async function closeServedPage(s: Partial<ServedPage>): Promise<void> {
  await s.browser?.close();
  await s.serve?.stop();
  if (s.workspace) fs.rmSync(s.workspace, { recursive: true, force: true });
}

/** Adds Loghub files (relative to the Loghub folder) through the Sources panel's path field. */
export async function addPaths(page: Page, files: string[]): Promise<void> {
  const sources = page.getByRole('region', { name: 'Sources' });
  for (const file of files) {
    await sources.getByLabel('Path to add').fill(path.join(LOGHUB, file));
    await sources.getByRole('button', { name: 'Add' }).click();
  }
}
