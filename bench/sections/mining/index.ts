// The mining section (issue 5): what template mining costs. Per file, on one core, the rate of each per-event step
// the ingest runs beside parsing (template mining, identifier extraction, anomaly counts), timed alone over the
// parsed messages; then `flumen ingest` with and without mining (FLUMEN_NO_MINING=1). The issue's bars, checked on
// the syslog file: mining at least 500k lines/s, ingest with mining at most 1.25× the time without.
import { DATASETS } from '../../generate/datasets.ts';
import type { BenchSection, Check, Table } from '../types.ts';
import { measureFile, NO_MINING_ENV, type FileFigures, type Rate } from './measure.ts';

export const BARS = { miningLinesPerSecond: 500_000, ingestRatio: 1.25 } as const;
const BAR_DATASET = 'syslog';

export const miningSection: BenchSection = {
  name: 'mining',
  summary:
    'template mining and identifier extraction lines/s on one core; flumen ingest with vs without mining',
  async run(ctx) {
    const figures: FileFigures[] = [];
    for (const dataset of Object.values(DATASETS)) {
      const file = ctx.files[dataset.name];
      if (file) figures.push(await measureFile(ctx, dataset, file));
    }
    const checks: Check[] = [];
    return {
      tables: [ratesTable(figures, checks, ctx.repeats), ingestTable(figures, checks, ctx.repeats)],
      checks,
    };
  },
};

function ratesTable(figures: FileFigures[], checks: Check[], repeats: number): Table {
  const rows = figures.map((f) => {
    const label = labelOf(f);
    if (typeof f.rates === 'string') return [label, 'n/a', 'n/a', f.rates, '', '', '', ''];
    const r = f.rates;
    let bar = '';
    if (f.dataset.name === BAR_DATASET) {
      // By CPU time: "on one core" is the work one core does, which wall time overstates when other work shares it.
      const ok = r.mining.cpu >= BARS.miningLinesPerSecond;
      checks.push({
        kind: 'bar',
        label: `${label}: template mining ≥ ${BARS.miningLinesPerSecond.toLocaleString('en')} lines/s on one core (issue 5)`,
        ok,
        detail: `${whole(r.mining.cpu)} lines/s by CPU time (${whole(r.mining.wall)} by wall time)`,
      });
      bar = `≥500k ${ok ? 'PASS' : 'MISS'}`;
    }
    return [
      label,
      whole(r.lines),
      whole(r.templates),
      rate(r.mining),
      bar,
      rate(r.identifiers),
      rate(r.accumulator),
      mb(r.peakRssKb),
    ];
  });
  return {
    title: `per-event steps alone, one core: lines/s (median of ${repeats} passes; by CPU time in brackets)`,
    header: [
      'file',
      'events',
      'templates',
      'template mining',
      'bar',
      'identifiers',
      'anomaly counts',
      'peak RSS',
    ],
    rows,
    notes: [
      'Each pass parses the file in batches of 8192 lines (untimed) and times each step over each batch just parsed: ' +
        'TemplateMiner.add (a fresh miner per pass), addIdentifierFields, AnalysisAccumulator.add ' +
        '(bench/sections/mining/rates-child.ts). The bar uses the rate by CPU time.',
    ],
  };
}

function ingestTable(figures: FileFigures[], checks: Check[], repeats: number): Table {
  const notes: string[] = [];
  const rows = figures.map((f) => {
    const label = labelOf(f);
    const { withMining, withoutMining, templatesWithout } = f.ingest;
    const error = withMining.error ?? withoutMining.error;
    if (error) {
      notes.push(`${label}: ${error}`);
      return [label, secs(withMining.seconds), secs(withoutMining.seconds), 'n/a', ''];
    }
    if (templatesWithout) {
      notes.push(
        `${label}: ${NO_MINING_ENV}=1 had no effect on this build (the run without mining stored ${templatesWithout} ` +
          'templates), so both runs mined',
      );
    }
    const ratio = (withMining.seconds as number) / (withoutMining.seconds as number);
    let bar = '';
    if (f.dataset.name === BAR_DATASET) {
      const ok = ratio <= BARS.ingestRatio;
      checks.push({
        kind: 'bar',
        label: `${label}: ingest with mining ≤ ${BARS.ingestRatio}× without (issue 5)`,
        ok,
        detail: `${ratio.toFixed(2)}×`,
      });
      bar = `≤${BARS.ingestRatio}× (issue 5) ${ok ? 'PASS' : 'MISS'}`;
    }
    return [label, secs(withMining.seconds), secs(withoutMining.seconds), `${ratio.toFixed(2)}×`, bar];
  });
  return {
    title: `flumen ingest into a fresh workspace, with and without template mining (median of ${repeats}, alternating)`,
    header: ['file', 'with mining', `without (${NO_MINING_ENV}=1)`, 'with / without', 'bar'],
    rows,
    notes,
  };
}

function labelOf(f: FileFigures): string {
  const n = f.file.lines;
  return `${f.dataset.name} ${n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n.toLocaleString('en')}`;
}

function rate(r: Rate): string {
  return `${whole(r.wall)} (${whole(r.cpu)})`;
}

function whole(n: number): string {
  return Math.round(n).toLocaleString('en');
}

function secs(s: number | null): string {
  return s == null ? 'n/a' : `${s.toFixed(2)} s`;
}

function mb(kb: number | null): string {
  return kb == null ? 'n/a' : `${Math.round(kb / 1024)} MB`;
}
