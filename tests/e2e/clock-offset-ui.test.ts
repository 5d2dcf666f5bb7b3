// End to end, issue 5: a source's clock offset set in the Sources panel of the real `flumen serve` in Chromium
// moves that source's events in the grid (times and merged order), as `flumen query` prints them, and setting it
// back to 0 puts them back. Every wait is for a condition, never a fixed time.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, type BrowserSession } from '../helpers/browser.ts';
import { cliJsonLines, type ServeProcess } from './serve-process.ts';
import { ARTIFACTS, WAIT, closeServedPage, openServedPage, waitForCount } from './page.ts';

const BASE = Date.UTC(2024, 4, 1, 10, 0, 0);

/** The first rows of the grid as "time source", the way the cells show them. */
async function firstRows(page: Page, n: number): Promise<string[]> {
  const rows = page
    .getByRole('grid')
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell') });
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const cells = rows.nth(i).getByRole('gridcell');
    out.push(`${(await cells.nth(0).textContent())?.trim()} ${(await cells.nth(2).textContent())?.trim()}`);
  }
  return out;
}

async function waitForRows(page: Page, want: string[]): Promise<void> {
  const deadline = Date.now() + WAIT.timeout;
  let last: string[] = [];
  for (;;) {
    last = await firstRows(page, want.length).catch(() => last);
    if (JSON.stringify(last) === JSON.stringify(want)) return;
    if (Date.now() > deadline) throw new Error(`grid rows never became ${want.join(', ')} (last: ${last})`);
    await page.waitForTimeout(100);
  }
}

describe.skipIf(!hasChromium())('clock offsets in the Sources panel, in Chromium', () => {
  let workspace: string;
  let serve: ServeProcess;
  let browser: BrowserSession;
  let page: Page;
  let logs: string;

  beforeAll(async () => {
    ({ workspace, serve, browser, page } = await openServedPage('flumen-e2e-clock-', {
      width: 1400,
      height: 900,
    }));
    // a.log logs at :00, :10, …; b.log at :05, :15, …
    logs = fs.mkdtempSync(path.join(path.dirname(workspace), 'flumen-e2e-clock-logs-'));
    const iso = (ms: number) => new Date(ms).toISOString();
    for (const [name, host, shift] of [
      ['a.log', 'alpha', 0],
      ['b.log', 'beta', 5000],
    ] as const) {
      const lines = Array.from(
        { length: 20 },
        (_, i) => `${iso(BASE + i * 10_000 + shift)} ${host} app[1]: event ${i}`,
      );
      fs.writeFileSync(path.join(logs, name), lines.join('\n') + '\n');
    }
    const sources = page.getByRole('region', { name: 'Sources' });
    await sources.getByLabel('Path to add').fill(logs);
    await sources.getByRole('button', { name: 'Add' }).click();
    await waitForCount(page, (n) => n === 40, '40 (a.log and b.log)');
  });

  afterAll(async () => {
    await closeServedPage({ workspace, serve, browser });
    if (logs) fs.rmSync(logs, { recursive: true, force: true });
  });

  test('an offset set on a.log moves its events in the grid, and 0 moves them back', async () => {
    await waitForRows(page, [
      '2024-05-01 10:00:00.000 a.log',
      '2024-05-01 10:00:05.000 b.log',
      '2024-05-01 10:00:10.000 a.log',
    ]);
    const field = page.getByRole('region', { name: 'Sources' }).getByLabel('Clock offset for a.log');
    await field.waitFor(WAIT);
    expect(await field.inputValue()).toBe('0');

    // a's clock ran 7.5 s fast: its events happened 7.5 s earlier, and two of them now come before b's first.
    await field.fill('+7.5s');
    await field.press('Enter');
    await waitForRows(page, [
      '2024-05-01 09:59:52.500 a.log',
      '2024-05-01 10:00:02.500 a.log',
      '2024-05-01 10:00:05.000 b.log',
    ]);
    expect(await field.inputValue()).toBe('+7.5s');
    // The command line sees the same correction.
    const cli = await cliJsonLines<{ ts: string; source: string }>(workspace, ['query', '--limit', '3', '']);
    expect(cli.map((r) => `${r.ts} ${path.basename(r.source)}`)).toEqual([
      '2024-05-01T09:59:52.500Z a.log',
      '2024-05-01T10:00:02.500Z a.log',
      '2024-05-01T10:00:05.000Z b.log',
    ]);
    // The source's span in the panel is the corrected one.
    expect(await page.getByRole('region', { name: 'Sources' }).textContent()).toContain(
      '2024-05-01 09:59:52',
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'clock-offset.png') });

    // A bad value is refused where it was typed, and nothing moves.
    await field.fill('fast');
    await field.press('Enter');
    await page.getByRole('region', { name: 'Sources' }).getByRole('alert').waitFor(WAIT);

    await field.fill('0');
    await field.press('Enter');
    await waitForRows(page, [
      '2024-05-01 10:00:00.000 a.log',
      '2024-05-01 10:00:05.000 b.log',
      '2024-05-01 10:00:10.000 a.log',
    ]);
    expect(browser.pageErrors).toEqual([]);
  });
});
