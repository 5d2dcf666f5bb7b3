// `anomaly>=0.5` on ClickHouse, with exactly the local store's results (query/anomaly-filter.ts). Scores are not
// stored: they come at read time from the workspace model, which lives in JavaScript. So before the query runs,
// each anomaly term becomes a condition ClickHouse can evaluate:
//
// 1. The (template, severity) pairs whose score ceiling already decides the comparison (the same scorer.known() and
//    ceiling() the local gate uses, anomaly-gate.ts) go into SQL as pair tests with their fixed answer.
// 2. For the other rows a score depends only on (template, scoring bucket of the stored time, host, severity)
//    (analysis/model-scorer.ts). ClickHouse lists the distinct groups among the rows the query could let through
//    (the query with every anomaly term read as "either way"); each group is scored once in JavaScript, by the
//    same scorer, and the passing (or, when fewer, the failing) groups go into SQL as one `key IN (…)` over a
//    string key of the group. A string key rather than a tuple: 50k six-element tuples take ClickHouse 18.16 ~3 s
//    to parse, 50k strings ~0.7 s.
//
// Scores use the stored (logged) time, as the model counted events by it: clock offsets do not move them.
//
// Limits: at most MAX_SCORED_GROUPS groups are read and scored, and at most MAX_LISTED_GROUPS keys go into one
// statement (all terms together); past either the query fails with a one-line error asking to narrow it.
import { QuerySyntaxError, type AnomalyNode, type QueryNode } from '../../../../shared/query/index.ts';
import type { SourceInfo } from '../../../../shared/event.ts';
import { quoteString } from '../../store/clickhouse/sql-text.ts';
import { decidedBy, holds, missingScorer, OPS, type AnomalyScorer } from '../anomaly-filter.ts';
import { compileClickHouse, prefilterOf } from './compile.ts';
import type { CorrectedTime } from './corrected-time.ts';

/** Distinct (template, bucket, host, severity) groups read and scored for one statement, at most. */
export const MAX_SCORED_GROUPS = 500_000;
/** Group keys written into one statement, at most (~20 bytes each; ~0.7 s to parse 50k on ClickHouse 18.16). */
export const MAX_LISTED_GROUPS = 50_000;

export interface AnomalyContext {
  sources: SourceInfo[];
  time: CorrectedTime;
  scorer: AnomalyScorer | undefined;
  /** `FROM … ` target and the commit mark condition. */
  table: string;
  committed: string;
  /** Runs a SELECT and returns its rows. */
  rows: <T>(sql: string) => Promise<T[]>;
  /** MAX_SCORED_GROUPS and MAX_LISTED_GROUPS unless given (tests reach the limits with small data). */
  maxScored?: number;
  maxListed?: number;
}

interface Term {
  node: AnomalyNode;
  code: number;
  /** SQL of the rows its ceilings decide, or null. */
  decided: string | null;
  /** The same pairs as `template:rank` (rank '' for none). */
  decidedKeys: Set<string>;
}

interface GroupRow {
  g_t: number;
  g_s: number;
  g_d: number;
  g_n: number;
  g_h: string;
  g_b: number;
}

/** The condition of each anomaly term of `ast` (compile.ts CompileOptions.anomaly). */
export async function anomalyConditions(
  ast: QueryNode,
  ctx: AnomalyContext,
): Promise<(node: AnomalyNode) => string> {
  const scorer = ctx.scorer;
  if (!scorer) throw missingScorer();
  const terms = new Map<string, Term>();
  collect(ast, (node) => {
    const key = `${node.op} ${node.score}`;
    if (!terms.has(key)) terms.set(key, decidedTerm(node, scorer));
  });
  const maxScored = ctx.maxScored ?? MAX_SCORED_GROUPS;
  const maxListed = ctx.maxListed ?? MAX_LISTED_GROUPS;
  const width = scoringWidth(scorer);
  const bucket =
    width === 1
      ? 'ts'
      : `intDiv(ts - ((ts % toInt64(${width})) + toInt64(${width})) % toInt64(${width}), toInt64(${width}))`;
  const groupKey =
    `concat(toString(template), ':', toString(sev), ':', toString(timed), ':', toString(host_null), ':', ` +
    `toString(if(timed = 1, ${bucket}, toInt64(0))), ':', host)`;

  // The rows any anomaly term can matter for: those the query passes for some answer of its terms.
  const relaxed = relax(ast, true);
  const where = compileClickHouse(relaxed, ctx.sources, { time: ctx.time });
  const pre = prefilterOf(relaxed);
  const undecided = [...terms.values()].map((t) => (t.decided ? `NOT ${t.decided}` : '1')).join(' OR ');
  const groups = await ctx.rows<GroupRow>(
    `SELECT template AS g_t, sev AS g_s, timed AS g_d, host_null AS g_n, host AS g_h, ` +
      `if(timed = 1, ${bucket}, toInt64(0)) AS g_b FROM ${ctx.table} ${pre ? `PREWHERE ${pre} ` : ''}` +
      `WHERE ${where} AND ${ctx.committed} AND (${undecided}) GROUP BY g_t, g_s, g_d, g_n, g_h, g_b ` +
      `LIMIT ${maxScored + 1}`,
  );
  const first = [...terms.values()][0].node;
  if (groups.length > maxScored) {
    throw new QuerySyntaxError(
      `anomaly terms on ClickHouse score at most ${maxScored} (template, time bucket, host, severity) ` +
        'groups per query, and this one has more: narrow it (a time range, hosts, words)',
      first.start,
    );
  }

  const conditions = new Map<string, string>();
  let listed = 0;
  for (const [key, term] of terms) {
    const pass: string[] = [];
    const fail: string[] = [];
    for (const g of groups) {
      const template = g.g_t < 0 ? null : g.g_t;
      const sev = g.g_s < 0 ? null : g.g_s;
      if (term.decidedKeys.has(`${template}:${sev ?? ''}`)) continue;
      const ts = g.g_d === 1 ? g.g_b * width : null;
      const host = g.g_n === 1 ? null : g.g_h;
      const x = term.node.score;
      const ok =
        (scorer.ceiling ? decidedBy(term.code, x, scorer.ceiling(template, sev)) : null) ??
        holds(term.code, scorer(template, ts, host, sev), x);
      (ok ? pass : fail).push(`${g.g_t}:${g.g_s}:${g.g_d}:${g.g_n}:${g.g_b}:${g.g_h}`);
    }
    // Rows outside the listed groups are either decided above or cannot pass the query: either list is exact.
    const usePass = pass.length <= fail.length;
    const list = usePass ? pass : fail;
    listed += list.length;
    if (listed > maxListed) {
      throw new QuerySyntaxError(
        `anomaly terms on ClickHouse send at most ${maxListed} scored (template, time bucket, host, ` +
          `severity) groups per query, and this one needs ${listed}+: narrow it (a time range, hosts, words)`,
        term.node.start,
      );
    }
    const inList = list.length ? `${groupKey} IN (${list.map(quoteString).join(', ')})` : '0';
    const scored = usePass ? inList : `NOT (${inList})`;
    conditions.set(key, term.decided ? `if(${term.decided}, ${term.code >= 3 ? 1 : 0}, ${scored})` : scored);
  }
  return (node) => `(${conditions.get(`${node.op} ${node.score}`) as string})`;
}

/**
 * The scoring bucket width when the scorer names one usable in Int64 arithmetic, else 1 (every stored time its
 * own group: exact, only more groups).
 */
function scoringWidth(scorer: AnomalyScorer): number {
  const w = scorer.bucketMs?.();
  return w != null && Number.isSafeInteger(w) && w > 0 ? w : 1;
}

function collect(node: QueryNode, visit: (n: AnomalyNode) => void): void {
  if (node.type === 'anomaly') visit(node);
  else if (node.type === 'and' || node.type === 'or') node.children.forEach((c) => collect(c, visit));
  else if (node.type === 'not') collect(node.child, visit);
}

/**
 * The tree with each anomaly term replaced so that every row the query passes for some answer of the terms passes
 * it: true where the term counts positively, false under an odd number of NOTs.
 */
function relax(node: QueryNode, positive: boolean): QueryNode {
  switch (node.type) {
    case 'anomaly': {
      const all: QueryNode = { type: 'all', start: node.start, end: node.end };
      return positive ? all : { type: 'not', child: all, start: node.start, end: node.end };
    }
    case 'and':
    case 'or':
      return { ...node, children: node.children.map((c) => relax(c, positive)) };
    case 'not':
      return { ...node, child: relax(node.child, !positive) };
    default:
      return node;
  }
}

/** The term with the (template, severity) pairs its comparison is decided for by their ceiling. */
function decidedTerm(node: AnomalyNode, scorer: AnomalyScorer): Term {
  const code = OPS.indexOf(node.op);
  const { ceiling, known } = scorer;
  const byRank = new Map<number | null, number[]>();
  const decidedKeys = new Set<string>();
  if (ceiling && known) {
    for (const [id, ranks] of known()) {
      if (!Number.isSafeInteger(id)) continue;
      for (const rank of ranks) {
        if (decidedBy(code, node.score, ceiling(id, rank)) == null) continue;
        let ids = byRank.get(rank);
        if (!ids) byRank.set(rank, (ids = []));
        ids.push(id);
        decidedKeys.add(`${id}:${rank ?? ''}`);
      }
    }
  }
  return { node, code, decided: pairsSql(byRank), decidedKeys };
}

/** SQL true exactly for rows of the listed (template, severity rank) pairs (rank null: no severity); null if none. */
function pairsSql(byRank: Map<number | null, number[]>): string | null {
  // Severities whose ids are the same share one test.
  const byIds = new Map<string, (number | null)[]>();
  for (const [rank, ids] of byRank) {
    const key = templateTest(ids);
    const ranks = byIds.get(key);
    if (ranks) ranks.push(rank);
    else byIds.set(key, [rank]);
  }
  if (byIds.size === 0) return null;
  const parts = [...byIds].map(([test, ranks]) => {
    const sev = ranks.map((r) => (r == null ? 'sev < 0' : `sev = ${r}`));
    return `((${sev.join(' OR ')}) AND ${test})`;
  });
  return `(${parts.join(' OR ')})`;
}

/** `template` among the ids: runs as BETWEEN, lone ids in one IN. */
function templateTest(ids: number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const id of sorted) {
    const last = runs[runs.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else runs.push([id, id]);
  }
  const single = runs.filter(([a, b]) => b - a < 2).flatMap(([a, b]) => (a === b ? [a] : [a, b]));
  const tests = runs.filter(([a, b]) => b - a >= 2).map(([a, b]) => `template BETWEEN ${a} AND ${b}`);
  if (single.length) tests.push(`template IN (${single.join(', ')})`);
  return `(${tests.join(' OR ')})`;
}
