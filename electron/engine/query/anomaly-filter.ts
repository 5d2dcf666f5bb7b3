// `anomaly>=0.5` in a query. Scores are not stored: they come at read time from the workspace's model
// (shared/analysis/score.ts), so the condition is an SQL function over the row's template, stored time, host and
// severity, evaluated by SQLite on exactly the rows the rest of the condition lets through. Counts, pages at any
// offset and histogram buckets therefore agree with each other and with the `anomaly` field the rows show
// (filled by the same scoreEvent from the same stored time: the model's buckets are in logged time, so a clock
// offset changes neither).
//
// Cost: no index knows a score, so a query with `anomaly` loads every segment its other terms leave possible
// and calls back into JavaScript once per candidate row; scores are memoised per (template, scoring bucket,
// host, severity), which is all a score depends on, so the callback is mostly a map lookup.
import type { AnalysisModel } from '../../../shared/analysis/model.ts';
import { scoreEvent } from '../../../shared/analysis/score.ts';
import type { CompareOp, QueryNode } from '../../../shared/query/index.ts';
import { severityFromRank } from '../../../shared/severity.ts';
import type { SqlDatabase } from './db.ts';

/** An event's score from what its `ev` row stores: template, stored time, host and severity rank. */
export type AnomalyScorer = (
  template: number | null,
  ts: number | null,
  host: string | null,
  sevRank: number | null,
) => number;

/** Past this many distinct keys the memo starts over (memory stays bounded on any workspace). */
const MEMO_MAX = 200_000;

/** Scores against one model, memoised (a scorer belongs to one read: the model may change between reads). */
export function modelScorer(model: AnalysisModel): AnomalyScorer {
  const memo = new Map<string, number>();
  return (template, ts, host, sevRank) => {
    const bucket = ts == null ? '' : String(Math.floor(ts / model.widthMs));
    const key = `${template ?? ''}\u0000${bucket}\u0000${sevRank ?? ''}\u0000${host ?? '\u0001'}`;
    let score = memo.get(key);
    if (score === undefined) {
      score = scoreEvent(model, { template, ts, host, severity: severityFromRank(sevRank) });
      if (memo.size >= MEMO_MAX) memo.clear();
      memo.set(key, score);
    }
    return score;
  };
}

const SCORE_FUNCTION = 'fq_score';

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

/** The SQL condition of `anomaly OP score` (its parameter pushed onto params). Never NULL: every row has a score. */
export function anomalyCondition(op: CompareOp, score: number, params: unknown[]): string {
  params.push(score);
  return `${SCORE_FUNCTION}(ev.template, ev.ts, ev.host, ev.sev) ${op} ?`;
}

/** Registers the scorer as `fq_score` on a segment's database for this query. */
export function registerScorer(db: SqlDatabase, scorer: AnomalyScorer): void {
  db.create_function(SCORE_FUNCTION, ((
    template: number | null,
    ts: number | null,
    host: string | null,
    sev: number | null,
  ) => scorer(template, ts, host, sev)) as (...args: never[]) => unknown);
}

/** The error for a query scored without a model (a caller that did not pass one). */
export function missingScorer(): Error {
  return new Error('anomaly filters need the workspace anomaly model, and this reader was given none');
}
