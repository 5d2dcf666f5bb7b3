// `anomaly>=0.5` in a query. Scores are not stored: they come at read time from the workspace's model
// (shared/analysis/score.ts), so the condition is evaluated on exactly the rows the rest of the query lets
// through, from the row's template, stored time, host and severity. Counts, pages at any offset and histogram
// buckets therefore agree with each other and with the `anomaly` field the rows show (filled by the same
// scoreEvent from the same stored time: the model's buckets are in logged time, so a clock offset changes
// neither).
//
// Cost: no index knows a score, so a query with `anomaly` loads every segment its other terms leave possible.
// What made the term slow was the rest: a call into JavaScript for every row (on a 100k-row segment a scan takes
// ~15-45 ms, a call with the row's host string ~75 ms more) and scoring nearly every row afresh (100k generated
// syslog rows hold 56k distinct (template, bucket, host, severity) keys, ~6 µs each). Now SQL first tests the
// row's (template, severity) against the pairs whose ceiling, a score no row of the pair exceeds
// (analysis/model-scorer.ts), already decides the comparison (anomaly-gate.ts); only the other rows call
// `fq_anomaly`, which scores them from signals memoised by the parts they depend on. Grouping rows by key in
// SQL and scoring each group once was tried and was slower: keys barely repeat, and the GROUP BY sort alone cost
// ~300 ms per 100k rows.
import type { CompareOp, QueryNode } from '../../../shared/query/index.ts';
import { pairsCondition } from './anomaly-gate.ts';
import type { SqlDatabase } from './db.ts';

/** An event's score from what its `ev` row stores: template, stored time, host and severity rank. */
export interface AnomalyScorer {
  (template: number | null, ts: number | null, host: string | null, sevRank: number | null): number;
  /**
   * A score no row of this template and severity rank exceeds, whatever its time and host (memoised), or absent
   * (then every row is scored).
   */
  ceiling?: (template: number | null, sevRank: number | null) => number;
  /**
   * The template ids worth deciding in SQL up front, each with the severity ranks (null: none) to decide it for;
   * rows of other pairs are decided one by one. Needs `ceiling`.
   */
  known?: () => readonly (readonly [number, readonly (number | null)[]])[];
  /**
   * The width (ms) of the model's scoring buckets: a score depends on a row's time only through
   * floor(ts / width), so a store may score one row per (template, bucket, host, severity). Absent: any time.
   */
  bucketMs?: () => number;
}

const TEST_FUNCTION = 'fq_anomaly';

/** Whether the tree holds an `anomaly` term (then the rows must be scored). */
export function usesAnomaly(node: QueryNode): boolean {
  switch (node.type) {
    case 'anomaly':
      return true;
    case 'and':
    case 'or':
      return node.children.some(usesAnomaly);
    case 'not':
      return usesAnomaly(node.child);
    default:
      return false;
  }
}

/** The comparisons, by the code the SQL passes (a number: no string crosses into JavaScript per row). */
export const OPS: readonly CompareOp[] = ['=', '>', '>=', '<', '<='];

/**
 * What a ceiling c (score <= c) decides for `score OP x`: false for `=`, `>`, `>=` and true for `<`, `<=` when
 * c < x (or c <= x for `>` and `<=`), else null.
 */
export function decidedBy(op: number, x: number, c: number): boolean | null {
  return c < x || (c === x && (op === 1 || op === 4)) ? op >= 3 : null;
}

/** The SQL of `anomaly OP x` (its parameter pushed onto params). Never NULL: every row has a score. */
export function anomalyCondition(op: CompareOp, x: number, params: unknown[], scorer: AnomalyScorer): string {
  const code = OPS.indexOf(op);
  params.push(x);
  const test = `${TEST_FUNCTION}(${code}, ?, ev.template, ev.ts, ev.host, ev.sev)`;
  const decided = decidedPairs(scorer, code, x);
  return decided ? `CASE WHEN ${decided} THEN ${code >= 3 ? 1 : 0} ELSE ${test} END` : test;
}

/** Per scorer and comparison: the SQL of the pairs its ceiling decides (anomaly-gate.ts), or null. */
const gates = new WeakMap<AnomalyScorer, Map<string, string | null>>();

/** The pairs of `scorer.known()` whose ceiling decides `score OP x`, as SQL; null when none (or unknown). */
function decidedPairs(scorer: AnomalyScorer, op: number, x: number): string | null {
  const { ceiling, known } = scorer;
  if (!ceiling || !known) return null;
  let byCmp = gates.get(scorer);
  if (!byCmp) gates.set(scorer, (byCmp = new Map()));
  const key = `${op} ${x}`;
  let gate = byCmp.get(key);
  if (gate === undefined) {
    const pairs: [number, number | null][] = [];
    for (const [id, ranks] of known()) {
      if (!Number.isInteger(id)) continue;
      for (const rank of ranks) if (decidedBy(op, x, ceiling(id, rank)) != null) pairs.push([id, rank]);
    }
    gate = pairsCondition(pairs);
    byCmp.set(key, gate);
  }
  return gate;
}

/**
 * `score OP x` for a row (op: 0 =, 1 >, 2 >=, 3 <, 4 <=; 1 true, 0 false), from what its `ev` row stores: decided
 * on the scorer's ceiling when it can, else the row is scored. Six named parameters: sql.js declares the SQL
 * function's arity from the function's length.
 */
function anomalyTest(
  scorer: AnomalyScorer,
): (
  op: number,
  x: number,
  template: number | null,
  ts: number | null,
  host: string | null,
  sev: number | null,
) => 0 | 1 {
  const { ceiling } = scorer;
  return (op, x, template, ts, host, sev) => {
    const decided = ceiling ? decidedBy(op, x, ceiling(template, sev)) : null;
    if (decided != null) return decided ? 1 : 0;
    return holds(op, scorer(template, ts, host, sev), x) ? 1 : 0;
  };
}

/** `score OP x` by the comparison's code in OPS. */
export function holds(op: number, score: number, x: number): boolean {
  switch (op) {
    case 0:
      return score === x;
    case 1:
      return score > x;
    case 2:
      return score >= x;
    case 3:
      return score < x;
    default:
      return score <= x;
  }
}

/** Registers the scorer's test as `fq_anomaly` on a segment's database for this query. */
export function registerScorer(db: SqlDatabase, scorer: AnomalyScorer): void {
  db.create_function(TEST_FUNCTION, anomalyTest(scorer) as (...args: never[]) => unknown);
}

/** The error for a query scored without a model (a caller that did not pass one). */
export function missingScorer(): Error {
  return new Error('anomaly filters need the workspace anomaly model, and this reader was given none');
}
