// The SQL that decides most rows of an `anomaly OP x` term without calling into JavaScript: the (template,
// severity) pairs whose score ceiling already decides the comparison (analysis/model-scorer.ts), as a CASE over
// the severity and, per severity, numeric comparisons on the template id.
//
// Why comparisons: on a 100k-row segment (min of 6 runs) a plain scan took 6-10 ms, while any lookup SQLite makes
// inside an expression was several times that: `x IN (list)` 22-27 ms even for three values (an ephemeral table
// and its NULL bookkeeping), `substr` of a bitmap blob ~30 ms, an SQL function ~20 ms before it does anything
// (and ~55 ms more with the host string). Comparisons cost well under a millisecond each, and CASE WHEN tests
// short-circuit. Template ids are dense (1..n), so the decided ids of one severity are few runs of neighbours.

/** More runs than this for one severity and that severity is left to JavaScript (the tree would cost more). */
const MAX_RUNS = 4096;

/**
 * Rows the gate may decide: an integer template and a severity rank on the scale, or none. Any other row
 * (a NULL template, or values no writer stores) is left to the exact test.
 */
const GUARD =
  'ev.template = CAST(ev.template AS INTEGER) AND ' +
  '(ev.sev IS NULL OR (ev.sev = CAST(ev.sev AS INTEGER) AND ev.sev BETWEEN 0 AND 8))';

/**
 * SQL that is true exactly for the rows whose (template, severity rank) pair is listed (rank null: no severity),
 * and false or NULL for every other row (a CASE WHEN reads both as "not decided"); null when no pair is listed.
 * Template ids must be integers.
 */
export function pairsCondition(pairs: Iterable<readonly [number, number | null]>): string | null {
  const byRank = new Map<number | null, number[]>();
  for (const [id, rank] of pairs) {
    let ids = byRank.get(rank);
    if (!ids) byRank.set(rank, (ids = []));
    ids.push(id);
  }
  // Severities whose ids run alike share one test.
  const byRuns = new Map<string, { ranks: (number | null)[]; runs: [number, number][] }>();
  for (const [rank, ids] of byRank) {
    const runs = runsOf(ids);
    if (runs.length > MAX_RUNS) continue;
    const key = runs.join(';');
    const group = byRuns.get(key);
    if (group) group.ranks.push(rank);
    else byRuns.set(key, { ranks: [rank], runs });
  }
  if (byRuns.size === 0) return null;
  const whens = [...byRuns.values()].map(
    ({ ranks, runs }) => `WHEN ${severityTest(ranks)} THEN ${tree(runs, 0, runs.length)}`,
  );
  return `(${GUARD} AND CASE ${whens.join(' ')} ELSE 0 END)`;
}

/** Sorted runs [first, last] of consecutive ids. */
function runsOf(ids: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else runs.push([id, id]);
  }
  return runs;
}

/** The test of `ev.sev` for these ranks (the guard has made it an integer 0..8 or NULL). */
function severityTest(ranks: (number | null)[]): string {
  const parts = runsOf(ranks.filter((r): r is number => r != null)).map(([lo, hi]) =>
    lo === hi ? `ev.sev = ${lo}` : `ev.sev BETWEEN ${lo} AND ${hi}`,
  );
  if (ranks.includes(null)) parts.unshift('ev.sev IS NULL');
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

/** Whether `ev.template` lies in runs[from, to): a balanced tree of comparisons, a few tests at each leaf. */
function tree(runs: [number, number][], from: number, to: number): string {
  if (to - from <= 3) {
    const tests = runs
      .slice(from, to)
      .map(([lo, hi]) => (lo === hi ? `ev.template = ${lo}` : `ev.template BETWEEN ${lo} AND ${hi}`));
    return tests.length === 1 ? tests[0] : `(${tests.join(' OR ')})`;
  }
  const mid = (from + to) >> 1;
  return `CASE WHEN ev.template < ${runs[mid][0]} THEN ${tree(runs, from, mid)} ELSE ${tree(runs, mid, to)} END`;
}
