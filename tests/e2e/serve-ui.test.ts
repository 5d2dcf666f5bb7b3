// End to end: the real `flumen serve` in Debian's Chromium. Sources are added through the Sources panel, the
// count is checked against the real CLI, the timeline is brushed, the grid scrolled, the detail opened.
// Nothing here waits for a fixed time: every wait is for a condition, with a generous limit.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, type BrowserSession } from '../helpers/browser.ts';
import { cliCount, type ServeProcess } from './serve-process.ts';
import {
  ARTIFACTS,
  WAIT,
  addPaths,
  closeServedPage,
  openServedPage,
  runQuery,
  waitForCount,
} from './page.ts';

describe.skipIf(!hasChromium())('the served interface in Chromium', () => {
  let workspace: string;
  let serve: ServeProcess;
  let browser: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    ({ workspace, serve, browser, page } = await openServedPage('flumen-e2e-'));
  });

  afterAll(() => closeServedPage({ workspace, serve, browser }));

  test('a first-time user sees what to do: an empty workspace says how to add logs', async () => {
    await page.getByRole('region', { name: 'Sources' }).waitFor(WAIT);
    await page.getByText('No logs yet').waitFor(WAIT);
    await page.screenshot({ path: path.join(ARTIFACTS, 'serve-ui-empty.png') });
  });

  test('adding HDFS and Linux by path in the Sources panel ingests both', async () => {
    await addPaths(page, ['HDFS/HDFS_2k.log', 'Linux/Linux_2k.log']);
    const sources = page.getByRole('region', { name: 'Sources' });
    await sources.getByText('HDFS_2k.log', { exact: true }).waitFor(WAIT);
    await sources.getByText('Linux_2k.log', { exact: true }).waitFor(WAIT);
    await waitForCount(page, (n) => n === 4000, '4000 (both files, every line)');
    for (const name of ['HDFS_2k.log', 'Linux_2k.log']) {
      const item = sources.getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });
      expect(await item.textContent()).toContain('2,000 events');
    }
  });

  test('the Result count of a typed query equals `flumen query --count` for the same query', async () => {
    for (const q of ['failure', 'sev>=warn', 'PacketResponder -terminating']) {
      const expected = await cliCount(workspace, q);
      await runQuery(page, q);
      const shown = await waitForCount(page, (n) => n === expected, `${expected} for "${q}"`);
      expect(shown).toBe(expected);
    }
    await runQuery(page, 'failure');
    const expected = await cliCount(workspace, 'failure');
    expect(expected).toBeGreaterThan(0);
    await waitForCount(page, (n) => n === expected, String(expected));
    const grid = page.getByRole('grid');
    const firstRow = grid
      .getByRole('row')
      .filter({ has: page.getByRole('gridcell') })
      .first();
    await firstRow.waitFor(WAIT);
    expect((await firstRow.textContent())?.toLowerCase()).toContain('failure');
    // The match is highlighted in the message.
    expect(await firstRow.locator('mark').first().textContent()).toMatch(/failure/i);
  });

  test('brushing the Timeline narrows the count, and double-click resets it', async () => {
    // Linux's six weeks only, so the timeline spans them and a brush across its middle holds events.
    const expected = await cliCount(workspace, 'sshd');
    await runQuery(page, 'sshd');
    const all = await waitForCount(page, (n) => n === expected, String(expected));
    // Wait until the bars drawn are those of this query over all time, then brush across them.
    const figure = page.getByRole('figure', { name: 'Timeline' });
    await page.locator('figure[data-shown-for="sshd||"]').waitFor(WAIT);
    const plot = figure.locator('.u-over');
    await plot.waitFor(WAIT);
    const box = (await plot.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.1, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, y, { steps: 8 });
    await page.mouse.up();
    const zoomed = await waitForCount(page, (n) => n > 0 && n < all, 'smaller than all, after brushing');
    expect(zoomed).toBeLessThan(all);
    // The grid follows the new range: its rows are inside the brushed range, so the first row is still there.
    await page
      .getByRole('grid')
      .getByRole('row')
      .filter({ has: page.getByRole('gridcell') })
      .first()
      .waitFor(WAIT);
    await page.screenshot({ path: path.join(ARTIFACTS, 'serve-ui-brushed.png') });
    await plot.dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
    await waitForCount(page, (n) => n === all, 'all again after double-click');
  });

  test('G scrolls to the end of the result and Enter opens the detail with its context', async () => {
    await runQuery(page, '');
    const total = await waitForCount(page, (n) => n === 4000, '4000');
    const grid = page.getByRole('grid');
    await grid
      .getByRole('row')
      .filter({ has: page.getByRole('gridcell') })
      .first()
      .waitFor(WAIT);
    await grid.focus();
    await page.keyboard.press('G');
    const last = grid.locator(`[role="row"][aria-rowindex="${total + 1}"]`);
    await last.waitFor(WAIT);
    expect(await last.getByRole('gridcell').first().isVisible()).toBe(true);
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    const detail = page.getByRole('region', { name: 'Event detail' });
    await detail.waitFor(WAIT);
    await detail
      .getByRole('list', { name: 'Same source context' })
      .getByRole('listitem')
      .first()
      .waitFor(WAIT);
    expect(await detail.locator('.detail-raw').textContent()).toBeTruthy();
    await page.screenshot({ path: path.join(ARTIFACTS, 'serve-ui-detail.png') });
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached', ...WAIT });
  });

  test('choosing "15 min" finds nothing in old logs and says so; "All time" brings them back', async () => {
    await runQuery(page, '');
    await waitForCount(page, (n) => n === 4000, '4000');
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '15 min' }).click();
    await waitForCount(page, (n) => n === 0, '0 in the last 15 minutes');
    await page.getByText('Nothing matches in this time range').waitFor(WAIT);
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: 'All time' }).click();
    await waitForCount(page, (n) => n === 4000, '4000 for all time');
  });

  test('a bad query shows its error at its position', async () => {
    const box = page.getByRole('combobox', { name: 'Query' });
    await box.fill('sev:error (');
    const alert = page.getByRole('alert');
    await alert.waitFor(WAIT);
    expect(await alert.textContent()).toMatch(/at character \d+/);
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: path.join(ARTIFACTS, 'serve-ui-bad-query.png') });
    await box.fill('');
  });

  test('the full picture: HDFS and Linux searched, in light and dark, with no page errors', async () => {
    await runQuery(page, 'block OR failure');
    await waitForCount(page, (n) => n > 0, 'positive');
    await page
      .getByRole('grid')
      .getByRole('row')
      .filter({ has: page.getByRole('gridcell') })
      .first()
      .waitFor(WAIT);
    await page.screenshot({ path: path.join(ARTIFACTS, 'serve-ui.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached', ...WAIT });
    await page.screenshot({ path: path.join(ARTIFACTS, 'serve-ui-dark.png') });
    expect(browser.pageErrors, browser.pageErrors.join('\n')).toEqual([]);
  });
});
