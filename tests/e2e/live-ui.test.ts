// End to end, live: the real `flumen serve` in Chromium. A tail source is added through its dialog; lines appended
// to the file arrive in the grid, which follows the newest row until the person scrolls up; paused, the source
// holds what is appended (no new rows); resumed, every line arrives exactly once. A syslog listener added through
// its dialog receives util-linux `logger` messages. Every wait is for a condition, never a fixed time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, type BrowserSession } from '../helpers/browser.ts';
import { hasProgram } from '../helpers/require-program.ts';
import { freePort } from '../integration/live/collect-process.ts';
import { exactlyOnce, storedEvents } from '../integration/live/stored-lines.ts';
import { WAIT, closeServedPage, openServedPage, resultCount, waitForCount } from './page.ts';
import { cliCount, type ServeProcess } from './serve-process.ts';

const BASE = Date.UTC(2024, 4, 1, 10, 0, 0);

function lines(from: number, to: number): string {
  let out = '';
  for (let i = from; i <= to; i++)
    out += `${new Date(BASE + i * 1000).toISOString()} web1 app[7]: live seq=${i} request served\n`;
  return out;
}

function logger(port: number, input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ['-n', '127.0.0.1', '-P', String(port), '--tcp', '--rfc5424', '--octet-count'];
    const child = spawn('logger', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`logger: ${code} ${err}`))));
    child.stdin.end(input);
  });
}

describe.skipIf(!hasChromium())('live sources in the served interface', () => {
  let workspace: string;
  let serve: ServeProcess;
  let browser: BrowserSession;
  let page: Page;
  /** The tailed file and the screenshots: kept after the run (the screenshots are the record). */
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-e2e-live-files-'));
  const file = path.join(tmp, 'app.log');

  beforeAll(async () => {
    ({ workspace, serve, browser, page } = await openServedPage('flumen-e2e-live-'));
    fs.writeFileSync(file, '');
  });

  afterAll(async () => {
    await closeServedPage({ workspace, serve, browser });
    fs.rmSync(file, { force: true });
  });

  const sources = () => page.getByRole('region', { name: 'Sources' });
  const follow = () => page.getByRole('button', { name: 'Follow', exact: true });
  const row = (n: number) => page.getByRole('grid').locator(`[role="row"][aria-rowindex="${n + 1}"]`);
  const liveRow = (name: RegExp) =>
    sources().getByRole('list', { name: 'Live sources' }).getByRole('listitem', { name });

  async function waitForText(locator: ReturnType<Page['locator']>, re: RegExp, what: string): Promise<void> {
    const deadline = Date.now() + WAIT.timeout;
    for (;;) {
      const text = (await locator.textContent().catch(() => null)) ?? '';
      if (re.test(text)) return;
      if (Date.now() > deadline) throw new Error(`${what} never showed (last: "${text}")`);
      await page.waitForTimeout(100);
    }
  }

  async function waitForPressed(pressed: boolean): Promise<void> {
    await page.locator(`button.follow-toggle[aria-pressed="${pressed}"]`).waitFor(WAIT);
  }

  test('a tail added through its dialog follows appended lines into the grid, sticking to the newest', async () => {
    await sources().getByRole('button', { name: 'Tail files…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tail files' });
    await dialog.getByLabel('Files or globs, one per line').fill(file);
    await page.screenshot({ path: path.join(tmp, 'live-tail-dialog.png') });
    await dialog.getByRole('button', { name: 'Start tailing' }).click();
    await dialog.waitFor({ state: 'detached', ...WAIT });
    const tail = liveRow(/^tail /);
    await waitForText(tail, /running/, 'the running tail');
    await waitForPressed(true);

    fs.appendFileSync(file, lines(1, 40));
    await waitForCount(page, (n) => n === 40, '40');
    await row(40).waitFor(WAIT);
    fs.appendFileSync(file, lines(41, 300));
    await waitForCount(page, (n) => n === 300, '300');
    // Following: the newest row is on screen without any scrolling by the person.
    await row(300).waitFor(WAIT);
    expect(await row(300).textContent()).toContain('seq=300');
    expect(await follow().getAttribute('aria-pressed')).toBe('true');
  });

  test('scrolling up stops following; the Follow button and scrolling back to the end start it again', async () => {
    const grid = page.getByRole('grid');
    await grid.hover();
    await page.mouse.wheel(0, -100_000);
    await waitForPressed(false);
    await row(1).waitFor(WAIT);
    fs.appendFileSync(file, lines(301, 350));
    await waitForCount(page, (n) => n === 350, '350');
    // Not following: the view stays where the person put it.
    expect(await row(1).isVisible()).toBe(true);
    expect(await row(350).count()).toBe(0);

    await follow().click();
    await waitForPressed(true);
    await row(350).waitFor(WAIT);

    await grid.hover();
    await page.mouse.wheel(0, -100_000);
    await waitForPressed(false);
    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await waitForPressed(true);
    fs.appendFileSync(file, lines(351, 400));
    await waitForCount(page, (n) => n === 400, '400');
    await row(400).waitFor(WAIT);
  });

  test('paused, the tail holds appended lines back; resumed, each arrives exactly once', async () => {
    const tail = liveRow(/^tail /);
    await tail.getByRole('button', { name: 'Pause' }).click();
    await waitForText(tail, /paused/, 'the paused state');
    fs.appendFileSync(file, lines(401, 500));
    // The status shows the lines read and held at the paused source: the engine has them, the store does not.
    await waitForText(tail, /behind/, 'the held bytes');
    expect(await resultCount(page)).toBe(400);
    expect(await cliCount(workspace, '')).toBe(400);
    await page.screenshot({ path: path.join(tmp, 'live-paused.png') });

    await tail.getByRole('button', { name: 'Resume' }).click();
    await waitForText(tail, /running/, 'the running state');
    await waitForCount(page, (n) => n === 500, '500 after resume');
    await row(500).waitFor(WAIT);
    expect(await row(500).textContent()).toContain('seq=500');
    const events = await storedEvents(workspace);
    expect(
      exactlyOnce(
        events.map((e) => String(e.message)),
        500,
      ),
    ).toEqual({ lost: [], duplicated: [] });
    expect(events.length).toBe(500);
  });

  test.runIf(hasProgram('logger'))(
    'a syslog listener added through its dialog receives logger messages',
    async () => {
      const port = await freePort();
      await sources().getByRole('button', { name: 'Syslog…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Listen for syslog' });
      await dialog.getByRole('radio', { name: 'TCP' }).check();
      await dialog.getByLabel('Listen address').fill('127.0.0.1');
      await dialog.getByLabel('Port').fill(String(port));
      await dialog.getByRole('button', { name: 'Start listening' }).click();
      await dialog.waitFor({ state: 'detached', ...WAIT });
      const listener = liveRow(new RegExp(`^tcp://127\\.0\\.0\\.1:${port}$`));
      await waitForText(listener, /running/, 'the running listener');

      const messages = Array.from({ length: 30 }, (_, i) => `syslogmsg seq=${i + 1} user login accepted`);
      await logger(port, messages.join('\n') + '\n');
      await waitForCount(page, (n) => n === 530, '530 (tail and syslog)');
      await waitForText(listener, /30 stored/, 'the listener count');
      // The newest rows are the syslog messages (stamped now): following shows them.
      await row(530).waitFor(WAIT);
      expect(await row(530).textContent()).toContain('syslogmsg');
      expect(await cliCount(workspace, 'syslogmsg')).toBe(30);
      await page.screenshot({ path: path.join(tmp, 'live-ui.png') });
      expect(browser.pageErrors, browser.pageErrors.join('\n')).toEqual([]);
    },
  );
});
