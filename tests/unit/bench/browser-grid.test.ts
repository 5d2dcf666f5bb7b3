// The browser grid section: its frame statistics on known inputs, its reading of `flumen serve`'s URL line, and
// the whole measurement run against the real served app in Chromium on a small generated syslog file, checking
// that every figure was actually observed (never how long anything took).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../../../bench/generate/datasets.ts';
import { generateFile } from '../../../bench/generate/write.ts';
import { flumenCount, flumenIngest } from '../../../bench/peers/flumen-cli.ts';
import { CHROMIUM_PATH } from '../../../bench/sections/browser-grid/chromium.ts';
import { formatGrid } from '../../../bench/sections/browser-grid/format.ts';
import {
  formatMs,
  frameStats,
  medianMs,
  percentileMs,
} from '../../../bench/sections/browser-grid/frame-stats.ts';
import { measureGrid } from '../../../bench/sections/browser-grid/measure.ts';
import { parseServeUrl, startServe } from '../../../bench/sections/browser-grid/serve.ts';
import { requireProgram } from '../../helpers/require-program.ts';

describe('frame statistics', () => {
  it('takes the median of an odd and an even number of values, and null for none', () => {
    expect(medianMs([30, 10, 20])).toBe(20);
    expect(medianMs([40, 10, 30, 20])).toBe(25);
    expect(medianMs([])).toBeNull();
  });

  it('takes the nearest-rank p95: the 95th of 100 frames, the largest of 10', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileMs(hundred, 95)).toBe(95);
    expect(percentileMs([5, 1, 9, 3, 7, 2, 8, 4, 6, 10], 95)).toBe(10);
    expect(percentileMs([16.7], 95)).toBe(16.7);
  });

  it('counts frames strictly over 50 ms as slow and reports the longest', () => {
    const s = frameStats([16.7, 16.6, 50, 50.1, 120, 16.7]);
    expect(s).toEqual({ frames: 6, medianMs: 33.35, p95Ms: 120, maxMs: 120, slow: 2 });
  });

  it('reports no figures for no frames', () => {
    expect(frameStats([])).toEqual({ frames: 0, medianMs: null, p95Ms: null, maxMs: null, slow: 0 });
  });

  it('prints milliseconds with a decimal below 100 ms, whole below 10 s, seconds above', () => {
    expect(formatMs(16.66)).toBe('16.7 ms');
    expect(formatMs(920.4)).toBe('920 ms');
    expect(formatMs(44_512)).toBe('44.5 s');
    expect(formatMs(null)).toBe('n/a');
  });
});

describe('the flumen serve URL line', () => {
  it('is found once the whole line has arrived, with its token', () => {
    const line = 'Flumen is serving /tmp/ws at http://127.0.0.1:41234/?token=Ab-_9z\n';
    expect(parseServeUrl('building the renderer…\n' + line)).toBe('http://127.0.0.1:41234/?token=Ab-_9z');
    expect(parseServeUrl('Flumen is serving /tmp/ws at http://127.0.0.1:41')).toBeNull();
    expect(parseServeUrl('Flumen is serving /tmp/ws at http://0.0.0.0:80/?token=x\n')).toBeNull();
  });
});

const chromium = existsSync(CHROMIUM_PATH) || requireProgram('chromium');

describe.skipIf(!chromium)('the grid measurement in Chromium against flumen serve', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flumen-bench-grid-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('observes every figure on a 3,000-line syslog file: rows after Enter, frames, fills, G to the last row', async () => {
    const file = await generateFile(DATASETS.syslog, { dir, lines: 3000 });
    const workspace = path.join(dir, 'ws');
    const ingest = await flumenIngest(workspace, file.path);
    expect(ingest.error).toBeNull();
    const word = DATASETS.syslog.words.common;
    const expected = await flumenCount(workspace, word);
    const served = await startServe(workspace);
    try {
      const f = await measureGrid(served.url, word, 2, () => {});
      expect(f.total).toBe(3000);
      expect(f.wordCount).toBe(expected.count);
      for (const ms of [...f.enterAll, ...f.enterWord, ...f.jumps.fillMs, f.jumpToEnd, f.sweep.fillMs]) {
        expect(ms).toEqual(expect.any(Number));
      }
      expect(f.enterAll).toHaveLength(2);
      expect(f.jumps.fillMs).toHaveLength(5);
      expect(f.sweep.frames.length).toBeGreaterThan(1);
      expect(f.sweep.scrollHeight).toBeGreaterThan(3000 * 20);
      expect(f.pageErrors).toEqual([]);

      const { tables, checks } = formatGrid(f, 'syslog 3,000 lines', []);
      expect(tables[0].rows.map((r) => r[0])).toContain('G → last rows filled');
      expect(checks).toHaveLength(1);
      expect(checks[0].ok).not.toBeNull();
    } finally {
      await served.stop();
    }
  }, 300_000);
});
