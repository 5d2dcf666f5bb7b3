// What the end-to-end tests do on the page, shared by every suite: read and wait for the "Result count", run a
// query. Every wait is for a condition with a generous limit, never a fixed time.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO } from './serve-process.ts';

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
