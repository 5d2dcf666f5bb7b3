// Parses and compiles a query once, and picks the segments that can hold a match: the store's manifest filter
// (time bounds and sources from the top-level AND) first, then a walk of the whole tree over each segment's
// time range, sources and hosts (which also prunes inside OR).
import type { SourceInfo } from '../../../shared/event.ts';
import { parseQuery, type QueryNode } from '../../../shared/query/index.ts';
import type { SegmentFilter, SegmentMeta, SegmentReader } from '../store/types.ts';
import type { AnomalyScorer } from './anomaly-filter.ts';
import { candidateSegments, correctionsOf, timeSql, type Corrections } from './clock-offsets.ts';
import { compileQuery, type CompiledQuery } from './compile.ts';
import { cardinality } from './id-sets.ts';
import { hostPredicate, resolveSources } from './match.ts';
import { evaluateIndex, StaleIndexError, type SegmentIndex } from './segment-index.ts';

export interface QueryPlan {
  ast: QueryNode;
  /** The condition for a segment without a word index (it scans `raw`). */
  compiled: CompiledQuery;
  /** In corrected time when a source has a clock offset (clock-offsets.ts: then not the manifest's own entries). */
  segments: SegmentMeta[];
  sources: SourceInfo[];
  /** The sources' clock corrections, null when none has an offset. */
  corrections: Corrections | null;
  scorer?: AnomalyScorer;
}

/** The query on one segment: its word-index sets (null without a sidecar) and the SQL made for it. */
export interface SegmentQuery {
  index: SegmentIndex | null;
  compiled: CompiledQuery;
  /** The exact number of matches when the index alone knows it (the segment need not be loaded). */
  count: number | null;
}

/**
 * The template ids stored on events that a template id stands for: the id itself plus the clusters the miner
 * merged into it after their events were stored (see TemplateMiner.resolve).
 */
export type TemplateMembers = (id: number) => number[];

/** `template:N` → `template:N OR template:M …` over N's members, so merged clusters' older events still match. */
export function expandTemplates(node: QueryNode, members: TemplateMembers): QueryNode {
  switch (node.type) {
    case 'and':
    case 'or':
      return { ...node, children: node.children.map((c) => expandTemplates(c, members)) };
    case 'not':
      return { ...node, child: expandTemplates(node.child, members) };
    case 'template': {
      const ids = node.op === '=' ? members(node.id) : [node.id];
      return ids.length <= 1
        ? node
        : { type: 'or', children: ids.map((id) => ({ ...node, id })), start: node.start, end: node.end };
    }
    default:
      return node;
  }
}

/** The query's tree as every store runs it: parsed, `template:N` expanded, and within the bounds given. */
export function queryAst(
  query: string,
  now?: number,
  bounds?: { from?: number | null; to?: number | null },
  templateMembers?: TemplateMembers,
): QueryNode {
  let ast = parseQuery(query, { now });
  if (templateMembers) ast = expandTemplates(ast, templateMembers);
  if (bounds && (bounds.from != null || bounds.to != null)) {
    const time: QueryNode = {
      type: 'time',
      from: bounds.from ?? null,
      to: bounds.to ?? null,
      start: 0,
      end: 0,
    };
    ast = {
      type: 'and',
      children: ast.type === 'and' ? [time, ...ast.children] : [time, ast],
      start: 0,
      end: query.length,
    };
  }
  return ast;
}

/** What a query is planned with besides its text: the clock for relative times, a time window, the analysis. */
export interface PlanOptions {
  now?: number;
  from?: number | null;
  to?: number | null;
  templateMembers?: TemplateMembers;
  anomalyScorer?: AnomalyScorer;
}

export function planQuery(
  reader: SegmentReader,
  sources: SourceInfo[],
  query: string,
  opts: PlanOptions = {},
): QueryPlan {
  const scorer = opts.anomalyScorer;
  const ast = queryAst(query, opts.now, { from: opts.from, to: opts.to }, opts.templateMembers);
  const corrections = correctionsOf(sources);
  const compiled = compileQuery(ast, { sources, ts: timeSql(corrections), scorer });
  const segments = candidateSegments(reader, segmentFilterFor(ast, sources), corrections).filter((m) =>
    mayMatch(ast, m, sources),
  );
  return { ast, compiled, segments, sources, corrections, scorer };
}

/** Reads the segment's word index (not the segment) and compiles the query for that segment. */
export async function segmentQuery(
  reader: SegmentReader,
  plan: QueryPlan,
  meta: SegmentMeta,
): Promise<SegmentQuery> {
  const index = await reader.withTerms(meta, (terms) => {
    if (!terms) return null;
    try {
      return evaluateIndex(terms, plan.ast, meta, plan.sources);
    } catch (err) {
      // A damaged or foreign sidecar must not make the segment unsearchable: scan it instead.
      if (err instanceof StaleIndexError || /not a database|malformed|no such table/i.test(String(err)))
        return null;
      throw err;
    }
  });
  // The segment's own time expression: a segment of uncorrected sources keeps `ev.ts` (and its time index).
  const ts = timeSql(plan.corrections, meta.sources);
  if (!index) {
    const compiled =
      ts === plan.compiled.ts ? plan.compiled : compileQuery(plan.ast, { ...compileContext(plan), ts });
    return { index, compiled, count: null };
  }
  const { root } = index;
  const empty = !root.hi.neg && root.hi.ids.length === 0;
  return {
    index,
    compiled: compileQuery(plan.ast, { ...compileContext(plan), ts }, index),
    count: root.exact || empty ? cardinality(root.hi, meta.events) : null,
  };
}

function compileContext(plan: QueryPlan) {
  return { sources: plan.sources, scorer: plan.scorer };
}

/** The manifest filter a query implies: bounds every match must satisfy (from the top-level AND only). */
export function segmentFilterFor(ast: QueryNode, sources: SourceInfo[]): SegmentFilter {
  const filter: SegmentFilter = {};
  for (const n of ast.type === 'and' ? ast.children : [ast]) {
    if (n.type === 'time') {
      if (n.from != null) filter.from = Math.max(filter.from ?? -Infinity, n.from);
      if (n.to != null) filter.to = Math.min(filter.to ?? Infinity, n.to);
    } else if (n.type === 'source') {
      const ids = resolveSources(n.match, sources);
      filter.sourceIds = filter.sourceIds ? filter.sourceIds.filter((id) => ids.includes(id)) : ids;
    }
  }
  return filter;
}

/** False only when no event of the segment can match (NOT is never pruned: it may match anything). */
export function mayMatch(node: QueryNode, meta: SegmentMeta, sources: SourceInfo[]): boolean {
  switch (node.type) {
    case 'and':
      return node.children.every((c) => mayMatch(c, meta, sources));
    case 'or':
      return node.children.some((c) => mayMatch(c, meta, sources));
    case 'time':
      if (meta.tsMin == null || meta.tsMax == null) return false;
      return (node.from == null || meta.tsMax >= node.from) && (node.to == null || meta.tsMin < node.to);
    case 'source': {
      const ids = resolveSources(node.match, sources);
      return meta.sources.some((id) => ids.includes(id));
    }
    case 'host':
      return meta.hosts.some(hostPredicate(node.match));
    default:
      return true;
  }
}

/** True when every timed event of the segment lies inside the query's only constraint, a time range. */
export function coversSegment(ast: QueryNode, meta: SegmentMeta): boolean {
  if (ast.type === 'all') return true;
  const parts = ast.type === 'and' ? ast.children : [ast];
  if (!parts.every((p) => p.type === 'time')) return false;
  const { tsMin, tsMax } = meta;
  if (tsMin == null || tsMax == null) return false;
  return parts.every(
    (p) => p.type === 'time' && (p.from == null || tsMin >= p.from) && (p.to == null || tsMax < p.to),
  );
}
