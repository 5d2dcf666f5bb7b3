// Collects the mining figures for one generated file: the per-event rates from a child (rates-child.ts), and
// `flumen ingest` into fresh workspaces with and without template mining (FLUMEN_NO_MINING=1).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Dataset } from '../../generate/datasets.ts';
import type { GeneratedFile } from '../../generate/write.ts';
import { repeat, type Figure } from '../../measure/figure.ts';
import { failureReason, median, runMeasured } from '../../measure/process.ts';
import { flumenIngest, ROOT } from '../../peers/flumen-cli.ts';
import type { BenchContext } from '../types.ts';
import type { Pass, RatesReport } from './rates-child.ts';

/** Lines per second of one step, from the median pass. */
export interface Rate {
  wall: number;
  /** By CPU time of the process: what one core does when the machine is busy with other work too. */
  cpu: number;
}

export interface RateFigures {
  lines: number;
  templates: number;
  mining: Rate;
  identifiers: Rate;
  accumulator: Rate;
  peakRssKb: number | null;
}

export interface IngestFigures {
  withMining: Figure;
  withoutMining: Figure;
  /** Templates the run without mining stored: more than none means FLUMEN_NO_MINING had no effect. */
  templatesWithout: number | null;
}

export interface FileFigures {
  dataset: Dataset;
  file: GeneratedFile;
  rates: RateFigures | string;
  ingest: IngestFigures;
}

export const NO_MINING_ENV = 'FLUMEN_NO_MINING';

export async function measureFile(
  ctx: BenchContext,
  dataset: Dataset,
  file: GeneratedFile,
): Promise<FileFigures> {
  ctx.log(`${dataset.name}: mining, identifier and anomaly-count rates ×${ctx.repeats}`);
  const rates = await measureRates(file.path, ctx.repeats);
  const ingest = await measureIngest(ctx, dataset, file);
  return { dataset, file, rates, ingest };
}

async function measureRates(file: string, repeats: number): Promise<RateFigures | string> {
  const child = path.join(ROOT, 'bench', 'sections', 'mining', 'rates-child.ts');
  const m = await runMeasured(process.execPath, [
    path.join(ROOT, 'bin', 'run-ts.mjs'),
    child,
    file,
    String(repeats),
  ]);
  if (m.code !== 0) return failureReason(m);
  let report: RatesReport;
  try {
    report = JSON.parse(m.stdout.trim().split('\n').pop() ?? '') as RatesReport;
  } catch {
    return `rates child printed no report: ${m.stdout.slice(0, 120)}`;
  }
  const rate = (passes: Pass[]): Rate => ({
    wall: report.lines / median(passes.map((p) => p.wallSeconds)),
    cpu: report.lines / median(passes.map((p) => p.cpuSeconds)),
  });
  return {
    lines: report.lines,
    templates: report.templates,
    mining: rate(report.mining),
    identifiers: rate(report.identifiers),
    accumulator: rate(report.accumulator),
    peakRssKb: m.peakRssKb,
  };
}

/**
 * `flumen ingest` into a fresh workspace, with and without mining, `ctx.repeats` times each. The two kinds of run
 * alternate, so a slow spell on a shared machine falls on both rather than on one.
 */
async function measureIngest(
  ctx: BenchContext,
  dataset: Dataset,
  file: GeneratedFile,
): Promise<IngestFigures> {
  const withRuns: Figure[] = [];
  const withoutRuns: Figure[] = [];
  let templatesWithout: number | null = null;
  for (let i = 0; i < ctx.repeats; i++) {
    for (const mining of [true, false]) {
      const workspace = path.join(ctx.tmpDir, `mining-${dataset.name}-${mining ? 'on' : 'off'}-${i}`);
      mkdirSync(workspace, { recursive: true });
      ctx.log(`${dataset.name}: flumen ingest ${mining ? 'with' : 'without'} mining ${i + 1}/${ctx.repeats}`);
      const env = { [NO_MINING_ENV]: mining ? '0' : '1' };
      const figure = await repeat(1, async () => flumenIngest(workspace, file.path, env));
      (mining ? withRuns : withoutRuns).push(figure);
      if (!mining) templatesWithout = storedTemplates(workspace);
      rmSync(workspace, { recursive: true, force: true });
    }
  }
  return { withMining: medianOf(withRuns), withoutMining: medianOf(withoutRuns), templatesWithout };
}

/** Templates in the workspace's templates.json, or null when it has none. */
function storedTemplates(workspace: string): number | null {
  const file = path.join(workspace, 'templates.json');
  if (!existsSync(file)) return null;
  try {
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as { clusters?: unknown[] };
    return snapshot.clusters?.length ?? null;
  } catch {
    return null;
  }
}

function medianOf(runs: Figure[]): Figure {
  const failed = runs.find((f) => f.error);
  if (failed) return failed;
  const rss = runs.map((f) => f.rssKb).filter((x): x is number => x != null);
  return {
    seconds: median(runs.map((f) => f.seconds as number)),
    rssKb: rss.length ? median(rss) : null,
    count: null,
    error: null,
  };
}
