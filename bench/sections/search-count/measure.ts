// Collects the search figures for one generated file: ripgrep, lnav and Flumen (CLI and in-process) counting the
// dataset's common and rare words, each timing repeated and reduced to its median.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Dataset } from '../../generate/datasets.ts';
import type { GeneratedFile } from '../../generate/write.ts';
import { NA, repeat, unavailable, type Figure } from '../../measure/figure.ts';
import { flumenAvailable, flumenCount, flumenIngest, type Availability } from '../../peers/flumen-cli.ts';
import { flumenInProcess } from '../../peers/flumen-inprocess.ts';
import { lnavCount, type LnavTarget } from '../../peers/lnav.ts';
import { rgCount } from '../../peers/ripgrep.ts';
import { hasProgram } from '../../measure/programs.ts';
import type { BenchContext } from '../types.ts';

export interface WordFigures {
  rg: Figure;
  /** lnav: open + index + one count. */
  lnav: Figure;
  /** lnav: the cost of one more count in the same process (see LNAV_EXTRA_COUNTS). */
  lnavRepeat: Figure;
  /** Flumen: the count from a new process on the existing workspace. */
  flumenNewProcess: Figure;
  /** Flumen: the median of repeated counts in one process that has the workspace open. */
  flumenInProcess: Figure;
}

export interface FileFigures {
  dataset: Dataset;
  file: GeneratedFile;
  /** Why lnav has no figures for this file, if it has none. */
  lnavUnavailable: string | null;
  flumenUnavailable: string | null;
  /** Flumen: ingest into a fresh workspace. */
  ingest: Figure;
  /** Flumen: the first count (common word) right after ingest. */
  firstCount: Figure;
  words: Record<string, WordFigures>;
}

/** Which lnav column holds the searchable text, per lnav table (access_log leaves log_body empty). */
const LNAV_COLUMN: Record<string, string> = { syslog_log: 'log_body', access_log: 'log_text' };

const LNAV_EXTRA_COUNTS = 4;

let flumenCheck: Promise<Availability> | null = null;

export async function measureFile(
  ctx: BenchContext,
  dataset: Dataset,
  file: GeneratedFile,
): Promise<FileFigures> {
  const { common, rare } = dataset.words;
  const n = ctx.repeats;
  const log = (what: string): void => ctx.log(`${dataset.name}: ${what}`);

  // Warm the page cache once so no tool pays the first read from disk.
  if (hasProgram('rg')) await rgCount(file.path, common);

  const lnavTarget: LnavTarget | null =
    'table' in dataset.lnav
      ? { table: dataset.lnav.table, column: LNAV_COLUMN[dataset.lnav.table] ?? 'log_text' }
      : null;
  const lnavUnavailable = !hasProgram('lnav')
    ? 'n/a (lnav not installed: apt-get install lnav)'
    : lnavTarget
      ? null
      : 'unavailable' in dataset.lnav
        ? dataset.lnav.unavailable
        : 'n/a';

  flumenCheck ??= flumenAvailable();
  const availability = await flumenCheck;
  let flumenUnavailable = availability.ok ? null : `flumen: not available (${availability.reason})`;

  // Flumen: ingest + first count into a fresh workspace, n times; the last workspace stays for the later counts.
  let workspace = '';
  let ingest: Figure = NA;
  let firstCount: Figure = NA;
  if (!flumenUnavailable) {
    const ingestRuns: Figure[] = [];
    const firstRuns: Figure[] = [];
    for (let i = 0; i < n && !flumenUnavailable; i++) {
      if (workspace) rmSync(workspace, { recursive: true, force: true });
      workspace = path.join(ctx.tmpDir, `${dataset.name}-ws-${i}`);
      mkdirSync(workspace, { recursive: true });
      log(`flumen ingest ${i + 1}/${n}`);
      const ing = await repeat(1, async () => flumenIngest(workspace, file.path));
      const first = ing.error ? ing : await repeat(1, async () => flumenCount(workspace, common));
      if (ing.error || first.error) flumenUnavailable = `flumen: ${ing.error ?? first.error}`;
      ingestRuns.push(ing);
      firstRuns.push(first);
    }
    if (!flumenUnavailable) {
      ingest = medianFigure(ingestRuns);
      firstCount = medianFigure(firstRuns);
    }
  }

  const words: Record<string, WordFigures> = {};
  for (const word of [common, rare]) {
    log(`rg -c -w -i ${word} ×${n}`);
    const rg = hasProgram('rg')
      ? await repeat(n, async () => rgCount(file.path, word))
      : unavailable('n/a (ripgrep not installed: apt-get install ripgrep)');

    let lnav: Figure = lnavUnavailable ? unavailable(lnavUnavailable) : NA;
    let lnavRepeat: Figure = lnav;
    if (lnavTarget && !lnavUnavailable) {
      log(`lnav count ${word} ×${n}`);
      lnav = await repeat(n, async () => checkLnav(await lnavCount(file.path, lnavTarget, word)));
      if (word === common) {
        // The per-query cost inside one lnav process: (open + 1 + EXTRA counts − open + 1 count) / EXTRA;
        // several extra counts, so the difference stands out of the run-to-run noise of the open.
        log(`lnav ${1 + LNAV_EXTRA_COUNTS} counts of ${word} in one process ×${n}`);
        const more = await repeat(n, async () =>
          checkLnav(await lnavCount(file.path, lnavTarget, word, 1 + LNAV_EXTRA_COUNTS)),
        );
        lnavRepeat =
          more.seconds != null && lnav.seconds != null
            ? { ...more, seconds: Math.max(0, more.seconds - lnav.seconds) / LNAV_EXTRA_COUNTS }
            : more;
      } else {
        lnavRepeat = NA;
      }
    }

    let flumenNew: Figure = flumenUnavailable ? unavailable(flumenUnavailable) : NA;
    let flumenIn: Figure = flumenNew;
    if (!flumenUnavailable) {
      log(`flumen query --count ${word} (new process) ×${n}`);
      flumenNew = await repeat(n, async () => flumenCount(workspace, word));
      log(`flumen in-process repeated count ${word}`);
      flumenIn = await repeat(1, async () => {
        const r = await flumenInProcess(workspace, word, n);
        return { ...r, seconds: r.repeatSeconds };
      });
      if (flumenIn.error) flumenIn = unavailable(`n/a (${flumenIn.error})`);
    }
    words[word] = { rg, lnav, lnavRepeat, flumenNewProcess: flumenNew, flumenInProcess: flumenIn };
  }
  if (workspace) rmSync(workspace, { recursive: true, force: true });
  return { dataset, file, lnavUnavailable, flumenUnavailable, ingest, firstCount, words };
}

function checkLnav(r: Awaited<ReturnType<typeof lnavCount>>): {
  measured: typeof r.measured;
  count: number | null;
  error: string | null;
} {
  const reason = r.measured.stderr.trim().split('\n').slice(0, 2).join(' ').slice(0, 160);
  return { measured: r.measured, count: r.count, error: r.count == null ? `lnav failed: ${reason}` : null };
}

/** Median over single-run figures taken in separate fresh workspaces. */
function medianFigure(runs: Figure[]): Figure {
  const sorted = [...runs].sort((a, b) => (a.seconds ?? 0) - (b.seconds ?? 0));
  const mid = sorted[sorted.length >> 1];
  const rss = runs
    .map((r) => r.rssKb)
    .filter((x): x is number => x != null)
    .sort((a, b) => a - b);
  const counts = new Set(runs.map((r) => r.count));
  return {
    ...mid,
    rssKb: rss.length ? rss[rss.length >> 1] : null,
    error: counts.size > 1 ? `count changed between fresh workspaces: ${[...counts].join(', ')}` : null,
  };
}
