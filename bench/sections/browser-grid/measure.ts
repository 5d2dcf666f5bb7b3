// Drives the served app in Chromium and collects the grid figures: Enter → first page of rows (an empty query
// and a word query), frame times while sweeping the scrollbar over the whole result and while jumping, and G →
// the last rows filled. All timing happens in the page (./page-probe.ts); Node only presses keys and waits.
import type { Page } from 'playwright-core';
import { openChromium } from './chromium.ts';
import { PAGE_PROBE } from './page-probe.ts';

/** Scroll fractions for the big jumps (far apart, both directions). */
const JUMPS = [0.5, 0.12, 0.88, 0.33, 0.67];
const SWEEP_MS = 2000;
/** Generous limits: a wait that runs out gives an n/a figure, never a hang. */
const WAIT_MS = 120_000;
/** How long to wait for the rows after the sweep stops (they come after every page the sweep asked for). */
export const SWEEP_FILL_MS = 120_000;

export interface SweepFigures {
  frames: number[];
  loadingFrames: number;
  scrollHeight: number;
  /** After the last scroll step, until the rows in view at the bottom are filled. */
  fillMs: number | null;
}

export interface GridFigures {
  /** Events in the workspace (the Result count of the empty query). */
  total: number;
  word: string;
  wordCount: number | null;
  /** Enter → first page rendered, one per press (the first press included). */
  enterAll: (number | null)[];
  enterWord: (number | null)[];
  sweep: SweepFigures;
  jumps: { frames: number[]; fillMs: (number | null)[] };
  /** G → the last rows filled in view. */
  jumpToEnd: number | null;
  pageErrors: string[];
}

export async function measureGrid(url: string, word: string, presses: number, say: (m: string) => void) {
  const started = Date.now();
  const log = (m: string): void => say(`${m} (at ${Math.round((Date.now() - started) / 1000)} s)`);
  const session = await openChromium();
  try {
    const { page } = session;
    await page.addInitScript(PAGE_PROBE);
    await page.goto(url);
    const total = await settle(page, '');
    if (!total) throw new Error('the app never showed a Result count for the workspace');
    await call(page, `__gridBench.waitFilled(${WAIT_MS})`);

    log(`Enter → first page, empty query ×${presses}`);
    const enterAll = await pressEnter(page, '', presses);
    log(`Enter → first page, "${word}" ×${presses}`);
    const enterWord = await pressEnter(page, word, presses);
    const wordCount = await settle(page, word);

    // Everything below runs over every event, as the issue asks. The sweep goes last: it requests a page for
    // almost every step, and the backlog it leaves on the server would otherwise land in the G and jump figures.
    await pressEnter(page, '', 1);
    await settle(page, '');
    log('G → last rows');
    await call(page, `__gridBench.toTop(${WAIT_MS})`);
    await page.getByRole('grid').focus();
    await call(page, `__gridBench.watchEnd(${total}, ${WAIT_MS})`);
    await page.keyboard.press('G');
    const jumpToEnd = (await call(page, '__gridBench.result()')) as number | null;

    log(`${JUMPS.length} jumps, then a scroll sweep over ${total.toLocaleString('en-US')} rows`);
    const jumps = (await call(page, `__gridBench.jumps(${JSON.stringify(JUMPS)}, ${WAIT_MS})`)) as {
      frames: number[];
      fillMs: (number | null)[];
    };
    // A fresh search empties the page cache, so the bottom rows (cached by G) must come from the server again.
    await pressEnter(page, '', 1);
    await settle(page, '');
    const sweep = (await call(page, `__gridBench.sweep(${SWEEP_MS}, ${SWEEP_FILL_MS})`)) as SweepFigures;

    return {
      total,
      word,
      wordCount,
      enterAll,
      enterWord,
      sweep,
      jumps,
      jumpToEnd,
      pageErrors: session.pageErrors,
    } satisfies GridFigures;
  } finally {
    await session.close();
  }
}

/** Types the query, then presses Enter `n` times, each after the previous search has settled. */
async function pressEnter(page: Page, text: string, n: number): Promise<(number | null)[]> {
  const box = page.getByRole('combobox', { name: 'Query' });
  await box.fill(text);
  const out: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    await settle(page, null);
    await box.focus();
    await call(page, `__gridBench.watchFirstPage(${WAIT_MS})`);
    await box.press('Enter');
    out.push((await call(page, '__gridBench.result()')) as number | null);
    const applied = await settle(page, text);
    if (applied == null) throw new Error(`Enter did not run "${text}" (no Result count appeared)`);
  }
  return out;
}

/**
 * Waits until the count is in (not counting) and, when `query` is given, the Timeline shows that query over all
 * time, so one search's trailing work does not land in the next one's timing. Returns the Result count.
 */
async function settle(page: Page, query: string | null): Promise<number | null> {
  const status = page.getByRole('status', { name: 'Result count' });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const [count, busy, shown] = await Promise.all([
      status.getAttribute('data-count'),
      status.getAttribute('class'),
      page.getByRole('figure', { name: 'Timeline' }).getAttribute('data-shown-for'),
    ]);
    const ready =
      count != null &&
      count !== '' &&
      !/\bbusy\b/.test(busy ?? '') &&
      (query == null || shown === `${query}||`);
    if (ready) return Number(count);
    if (Date.now() > deadline) return null;
    await page.waitForTimeout(50);
  }
}

function call(page: Page, expression: string): Promise<unknown> {
  return page.evaluate(expression);
}
