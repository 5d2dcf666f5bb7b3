// Turns one file's figures into the printed tables (times, ratios to lnav, peak memory, the bars) and
// the checks (Flumen's counts against `rg -c -w -i`; the bars, on the syslog file only).
import { sum, type Figure } from '../../measure/figure.ts';
import type { Check, Table } from '../types.ts';
import type { FileFigures } from './measure.ts';

/** The bars from the issue, checked on the syslog file: Flumen's figure over lnav's open + count. */
export const BARS = { firstCount: 1.5, newProcess: 0.25, memory: 4 } as const;
const BAR_DATASET = 'syslog';

export function formatFile(f: FileFigures): { tables: Table[]; checks: Check[] } {
  const { common, rare } = f.dataset.words;
  const c = f.words[common];
  const r = f.words[rare];
  const withBars = f.dataset.name === BAR_DATASET;
  const checks: Check[] = [];
  const label = `${f.dataset.name} ${lineCount(f.file.lines)} lines`;

  const bar = (name: string, limit: number, ratio: number | null): string => {
    if (!withBars) return '';
    const ok = ratio == null ? null : ratio <= limit;
    checks.push({
      kind: 'bar',
      label: `${label}: ${name} ≤ ${limit}× lnav`,
      ok,
      detail: ratio == null ? 'n/a' : `${ratio.toFixed(2)}×`,
    });
    return `≤${limit}× ${ok == null ? 'n/a' : ok ? 'PASS' : 'MISS'}`;
  };

  const openCount = sum(f.ingest, f.firstCount);
  const flumenPeak = maxRss([f.ingest, f.firstCount, c.flumenNewProcess, r.flumenNewProcess]);
  const lnavPeak = maxRss([c.lnav, r.lnav]);
  const rgPeak = maxRss([c.rg, r.rg]);
  const memRatio = flumenPeak != null && lnavPeak != null ? flumenPeak / lnavPeak : null;

  const row = (figure: string, fl: Figure, ln: Figure | null, rg: Figure | null, barText = ''): string[] => {
    const ratio = ln && fl.seconds != null && ln.seconds ? fl.seconds / ln.seconds : null;
    return [
      figure,
      secs(fl),
      ln ? secs(ln) : '—',
      rg ? secs(rg) : '—',
      ratio == null ? '—' : `${ratio.toFixed(2)}×`,
      barText,
      `${mb(fl.rssKb)} / ${ln ? mb(ln.rssKb) : '—'} / ${rg ? mb(rg.rssKb) : '—'}`,
    ];
  };
  const ratioOf = (fl: Figure, ln: Figure): number | null =>
    fl.seconds != null && ln.seconds ? fl.seconds / ln.seconds : null;

  const rows = [
    row('flumen ingest (fresh workspace)', f.ingest, null, null),
    row(`first count "${common}" after ingest`, f.firstCount, null, null),
    row(
      `open + ingest + first count "${common}"`,
      openCount,
      c.lnav,
      c.rg,
      bar('open + ingest + first count', BARS.firstCount, ratioOf(openCount, c.lnav)),
    ),
    row(
      `count "${common}", new process`,
      c.flumenNewProcess,
      c.lnav,
      c.rg,
      bar('count from a new process on the workspace', BARS.newProcess, ratioOf(c.flumenNewProcess, c.lnav)),
    ),
    row(`count "${common}", repeated in-process`, c.flumenInProcess, c.lnavRepeat, null),
    row(`count "${rare}", new process`, r.flumenNewProcess, r.lnav, r.rg),
    row(`count "${rare}", repeated in-process`, r.flumenInProcess, null, null),
    [
      'peak memory (largest process)',
      mb(flumenPeak),
      mb(lnavPeak),
      mb(rgPeak),
      memRatio == null ? '—' : `${memRatio.toFixed(2)}×`,
      bar('peak memory', BARS.memory, memRatio),
      '',
    ],
  ];

  const notes: string[] = [];
  if (f.flumenUnavailable) notes.push(f.flumenUnavailable);
  if (f.lnavUnavailable) notes.push(`lnav: ${f.lnavUnavailable}`);
  for (const [word, w] of Object.entries(f.words)) {
    if (w.flumenInProcess.error && !f.flumenUnavailable)
      notes.push(`flumen in-process "${word}": ${w.flumenInProcess.error}`);
    for (const [who, fig] of [
      ['rg', w.rg],
      ['lnav', w.lnav],
    ] as const) {
      if (fig.error && !(who === 'lnav' && f.lnavUnavailable)) notes.push(`${who} "${word}": ${fig.error}`);
    }
  }

  const countRows: string[][] = [];
  for (const word of [common, rare]) {
    const w = f.words[word];
    const flumenCounts = [word === common ? f.firstCount : null, w.flumenNewProcess, w.flumenInProcess]
      .filter((x): x is Figure => x != null && x.count != null)
      .map((x) => x.count as number);
    const oracle = w.rg.count;
    const ok = flumenCounts.length === 0 || oracle == null ? null : flumenCounts.every((n) => n === oracle);
    const verdict = ok == null ? 'n/a' : ok ? 'MATCH' : '*** MISMATCH ***';
    checks.push({
      kind: 'count',
      label: `${label}: flumen count "${word}" = rg -c -w -i`,
      ok,
      detail: `flumen ${flumenCounts.join('/') || 'n/a'}, rg ${oracle ?? 'n/a'}`,
    });
    countRows.push([
      `"${word}"`,
      word === common ? num(f.firstCount.count) : '—',
      num(w.flumenNewProcess.count),
      num(w.flumenInProcess.count),
      num(oracle),
      num(w.lnav.count),
      verdict,
    ]);
  }

  return {
    tables: [
      {
        title: `${label} (${(f.file.bytes / 1e6).toFixed(1)} MB, ${f.file.path}): median of repeats`,
        header: ['figure', 'flumen', 'lnav', 'rg', 'flumen/lnav', 'bar', 'peak RSS flumen / lnav / rg'],
        rows,
        notes,
      },
      {
        title: `${label}: counts (flumen must equal rg -c -w -i; lnav LIKE '%word%' is shown for reference)`,
        header: [
          'word',
          'flumen first',
          'flumen new process',
          'flumen in-process',
          'rg -c -w -i',
          'lnav',
          'verdict',
        ],
        rows: countRows,
        notes: [],
      },
    ],
    checks,
  };
}

function secs(f: Figure): string {
  if (f.seconds == null) return 'n/a';
  return f.seconds < 0.1 ? `${(f.seconds * 1000).toFixed(1)} ms` : `${f.seconds.toFixed(2)} s`;
}

function mb(kb: number | null): string {
  return kb == null ? 'n/a' : `${Math.round(kb / 1024)} MB`;
}

function num(n: number | null): string {
  return n == null ? 'n/a' : String(n);
}

function maxRss(figs: Figure[]): number | null {
  const v = figs.map((f) => f.rssKb).filter((x): x is number => x != null);
  return v.length ? Math.max(...v) : null;
}

function lineCount(n: number): string {
  return n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n.toLocaleString('en-US');
}
