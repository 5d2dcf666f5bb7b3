// Counts per time bucket, split by severity, host or source: the data behind the timeline histogram.
import type { SourceInfo } from '../../../shared/event.ts';
import { SEVERITIES } from '../../../shared/severity.ts';
import type { SegmentReader } from '../store/types.ts';
import { registerFunctions } from './compile.ts';
import type { AnomalyScorer } from './anomaly-filter.ts';
import { allRows, withDb } from './db.ts';
import { planQuery, segmentQuery, type TemplateMembers } from './plan.ts';

export interface BucketOptions {
  bucketMs: number;
  groupBy: 'severity' | 'host' | 'source';
  /** Bounds (ms, `from` inclusive, `to` exclusive) on top of the query's own. */
  from?: number | null;
  to?: number | null;
  now?: number;
  /** Expands `template:N` to the ids merged into N (from the workspace's miner). */
  templateMembers?: TemplateMembers;
  /** Scores rows for `anomaly` terms (anomaly-filter.ts). */
  anomalyScorer?: AnomalyScorer;
}

export interface BucketCounts {
  bucketMs: number;
  /** Ascending by start; empty buckets between the first and last are filled in (when there are not too many). */
  buckets: { start: number; counts: Record<string, number> }[];
}

/** Events with no severity or host are counted under this key. */
export const UNKNOWN_GROUP = 'unknown';
const MAX_FILLED_BUCKETS = 10_000;

export async function bucketCounts(
  reader: SegmentReader,
  sources: SourceInfo[],
  query: string,
  opts: BucketOptions,
): Promise<BucketCounts> {
  const b = Math.floor(opts.bucketMs);
  if (!(b > 0))
    throw new RangeError(`bucketMs must be a positive number of milliseconds, not ${opts.bucketMs}`);
  const plan = planQuery(reader, sources, query, opts);
  const group = opts.groupBy === 'severity' ? 'ev.sev' : opts.groupBy === 'host' ? 'ev.host' : 'ev.source_id';
  // Floor division that stays right for times before 1970 (SQLite's % keeps the dividend's sign). `ts` is the
  // time as the query reads it (clock-offsets.ts): `ev.ts` unless an offset applies.
  const sql = (where: string, ts: string): string =>
    `SELECT ${ts} - ((${ts} % ${b}) + ${b}) % ${b} AS bucket, ${group} AS g, count(*) FROM ev ` +
    `WHERE (${where}) AND ev.ts IS NOT NULL GROUP BY bucket, g`;
  const uris = new Map(sources.map((s) => [s.id, s.uri]));
  const label = (g: unknown): string => {
    if (g == null) return UNKNOWN_GROUP;
    if (opts.groupBy === 'severity') return SEVERITIES[g as number] ?? UNKNOWN_GROUP;
    if (opts.groupBy === 'source') return uris.get(g as number) ?? `source#${g}`;
    return String(g);
  };

  const byStart = new Map<number, Record<string, number>>();
  for (const meta of plan.segments) {
    const q = await segmentQuery(reader, plan, meta);
    if (q.count === 0) continue;
    const { where, params } = q.compiled;
    const rows = await withDb(reader, meta, (db) => {
      registerFunctions(db, q.compiled);
      return allRows(db, sql(where, q.compiled.ts), params);
    });
    for (const [start, g, n] of rows) {
      let counts = byStart.get(start as number);
      if (!counts) byStart.set(start as number, (counts = {}));
      const key = label(g);
      counts[key] = (counts[key] ?? 0) + (n as number);
    }
  }

  return assembleBuckets(byStart, b, opts);
}

/**
 * The counts per bucket start as the API returns them: ascending, with the empty buckets between the first and
 * last (or the bounds asked for) filled in when there are not too many.
 */
export function assembleBuckets(
  byStart: Map<number, Record<string, number>>,
  b: number,
  opts: Pick<BucketOptions, 'from' | 'to'>,
): BucketCounts {
  const starts = [...byStart.keys()].sort((x, y) => x - y);
  if (starts.length === 0 && (opts.from == null || opts.to == null)) return { bucketMs: b, buckets: [] };
  const first = opts.from != null ? opts.from - (((opts.from % b) + b) % b) : starts[0];
  const last = opts.to != null ? opts.to - 1 - ((((opts.to - 1) % b) + b) % b) : starts[starts.length - 1];
  if ((last - first) / b + 1 <= MAX_FILLED_BUCKETS) {
    const buckets = [];
    for (let s = first; s <= last; s += b) buckets.push({ start: s, counts: byStart.get(s) ?? {} });
    return { bucketMs: b, buckets };
  }
  return { bucketMs: b, buckets: starts.map((start) => ({ start, counts: byStart.get(start)! })) };
}
