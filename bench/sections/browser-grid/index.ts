// The browser grid section (issue 3): the served app in Chromium on the generated syslog file. Enter → first page
// of rows for an empty and a word query, frame times while scrolling over every event, G → the last rows.
// Ingests once into its own workspace (the search section removes its workspaces as it goes).
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DATASETS } from '../../generate/datasets.ts';
import { flumenIngest } from '../../peers/flumen-cli.ts';
import type { BenchSection } from '../types.ts';
import { chromiumUnavailable } from './chromium.ts';
import { formatGrid, unavailableGrid } from './format.ts';
import { measureGrid } from './measure.ts';
import { startServe } from './serve.ts';

/** Enter is pressed at least this often per query (the issue: median of 5), more with --repeats. */
const MIN_PRESSES = 5;

export const browserGridSection: BenchSection = {
  name: 'browser-grid',
  summary: 'flumen serve in Chromium: Enter → first page of rows, scroll frame time over every row, G → end',
  async run(ctx) {
    const dataset = DATASETS.syslog;
    const file = ctx.files.syslog;
    if (!file) return unavailableGrid('syslog', 'n/a (the syslog input is not part of this run)');
    const label = `syslog ${lineLabel(file.lines)} lines`;
    const noChromium = chromiumUnavailable();
    if (noChromium) return unavailableGrid(label, noChromium);

    const workspace = path.join(ctx.tmpDir, 'browser-grid-ws');
    rmSync(workspace, { recursive: true, force: true });
    mkdirSync(workspace, { recursive: true });
    try {
      ctx.log(`browser-grid: flumen ingest ${file.path}`);
      const ingest = await flumenIngest(workspace, file.path);
      if (ingest.error) return unavailableGrid(label, `flumen ingest failed: ${ingest.error}`);
      ctx.log('browser-grid: flumen serve');
      const served = await startServe(workspace);
      try {
        const figures = await measureGrid(
          served.url,
          dataset.words.common,
          Math.max(MIN_PRESSES, ctx.repeats),
          (m) => ctx.log(`browser-grid: ${m}`),
        );
        return formatGrid(figures, label, [
          `${file.path} ingested once (${ingest.measured.seconds.toFixed(1)} s), served by flumen serve`,
        ]);
      } finally {
        await served.stop();
      }
    } catch (err) {
      return unavailableGrid(label, `failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  },
};

function lineLabel(n: number): string {
  return n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n.toLocaleString('en-US');
}
