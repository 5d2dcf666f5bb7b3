// Turns the grid figures into the printed table (figure | value | note) and the one bar the issue sets:
// "responsive: p95 frame ≤ 50 ms" over every frame recorded while scrolling (the sweep and the jumps).
import type { Check, Table } from '../types.ts';
import { formatMs, frameStats, medianMs, SLOW_FRAME_MS } from './frame-stats.ts';
import { SWEEP_FILL_MS, type GridFigures } from './measure.ts';

export function formatGrid(
  f: GridFigures,
  label: string,
  setup: string[],
): { tables: Table[]; checks: Check[] } {
  const sweep = frameStats(f.sweep.frames);
  const jumps = frameStats(f.jumps.frames);
  const all = frameStats([...f.sweep.frames, ...f.jumps.frames]);
  const ok = all.p95Ms == null ? null : all.p95Ms <= SLOW_FRAME_MS;
  const verdict = ok == null ? 'n/a' : ok ? 'PASS' : 'MISS';

  const enter = (runs: (number | null)[]): string[] => {
    const done = runs.filter((x): x is number => x != null);
    const missed = runs.length - done.length;
    return [
      formatMs(medianMs(done)),
      `median of ${done.length}` +
        (missed ? ` (${missed} never showed rows in time)` : '') +
        `; each: ${runs.map(formatMs).join(', ')}`,
    ];
  };
  const jumpFills = f.jumps.fillMs.filter((x): x is number => x != null);

  const rows: string[][] = [
    [
      `Enter → first page of rows, empty query (all ${f.total.toLocaleString('en-US')})`,
      ...enter(f.enterAll),
    ],
    [`Enter → first page of rows, "${f.word}"`, ...enter(f.enterWord)],
    [
      'scroll frame time: median',
      formatMs(all.medianMs),
      `${all.frames} frames: ${sweep.frames} in a ${Math.round(sweepMs(f))} ms sweep top → bottom, ` +
        `${jumps.frames} around ${f.jumps.fillMs.length} jumps`,
    ],
    ['scroll frame time: p95', formatMs(all.p95Ms), `responsive: p95 frame ≤ ${SLOW_FRAME_MS} ms ${verdict}`],
    [
      'scroll frame time: max',
      formatMs(all.maxMs),
      `sweep max ${formatMs(sweep.maxMs)}, jumps max ${formatMs(jumps.maxMs)}`,
    ],
    [
      `frames over ${SLOW_FRAME_MS} ms`,
      String(all.slow),
      `sweep ${sweep.slow} of ${sweep.frames}, jumps ${jumps.slow} of ${jumps.frames}`,
    ],
    [
      'sweep frames with rows still loading',
      `${f.sweep.loadingFrames} of ${sweep.frames}`,
      'each step moves thousands of rows: pages arrive after the view has moved on',
    ],
    [
      'rows filled after the sweep stops',
      f.sweep.fillMs == null ? `> ${formatMs(SWEEP_FILL_MS)}` : formatMs(f.sweep.fillMs),
      'last step → bottom rows painted; pages the sweep left behind are cancelled, the last view is fetched once it stops',
    ],
    [
      'rows filled after a big jump',
      formatMs(medianMs(jumpFills)),
      `median of ${jumpFills.length}; each: ${f.jumps.fillMs.map(formatMs).join(', ')}`,
    ],
    [
      'G → last rows filled',
      formatMs(f.jumpToEnd),
      'from the top: key press → the last row and its neighbours painted',
    ],
  ];

  const notes = [
    ...setup,
    'times are taken in the page: key event timestamp → the first animation frame showing the rows is produced ' +
      '(rAF + a posted message); frame time = the interval between consecutive requestAnimationFrame callbacks',
    `"${f.word}" matches ${f.wordCount == null ? 'n/a' : f.wordCount.toLocaleString('en-US')} events; ` +
      'each Enter re-runs the search (count, pages, timeline) after the previous one settled',
  ];
  if (f.pageErrors.length) notes.push(`page errors: ${f.pageErrors.slice(0, 3).join(' | ').slice(0, 300)}`);

  return {
    tables: [{ title: `browser grid, ${label}: Chromium`, header: ['figure', 'value', 'note'], rows, notes }],
    checks: [
      {
        kind: 'bar',
        label: `${label}: grid responsive, p95 scroll frame ≤ ${SLOW_FRAME_MS} ms`,
        ok,
        detail: `p95 ${formatMs(all.p95Ms)}, max ${formatMs(all.maxMs)}, ${all.slow} of ${all.frames} frames over ${SLOW_FRAME_MS} ms`,
      },
    ],
  };
}

function sweepMs(f: GridFigures): number {
  let sum = 0;
  for (const d of f.sweep.frames) sum += d;
  return sum;
}

/** The table when the section could not run (no syslog input, no Chromium, flumen failed). */
export function unavailableGrid(label: string, reason: string): { tables: Table[]; checks: Check[] } {
  return {
    tables: [
      {
        title: `browser grid, ${label}: Chromium`,
        header: ['figure', 'value', 'note'],
        rows: [],
        notes: [reason],
      },
    ],
    checks: [
      {
        kind: 'bar',
        label: `${label}: grid responsive, p95 scroll frame ≤ ${SLOW_FRAME_MS} ms`,
        ok: null,
        detail: reason,
      },
    ],
  };
}
