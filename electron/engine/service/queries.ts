// The API's query methods over the query stage: pages with event ids, counts and timeline buckets, each bounded
// by the request's TimeRange.
import type {
  BucketRequest,
  BucketResult,
  CountRequest,
  EventRow,
  QueryPage,
  QueryRequest,
  TimeRange,
} from '../../../shared/api.ts';
import type { SourceInfo } from '../../../shared/event.ts';
import { parseQuery } from '../../../shared/query/index.ts';
import type { TemplateMembers } from '../query/index.ts';
import type { AnomalyScorer } from '../query/anomaly-filter.ts';
import type { EventStore } from '../query/event-store.ts';
import { pickBucketMs } from './bucket-width.ts';
import { rowFromEvent } from './event-rows.ts';

/** 0000-01-01 and 10000-01-01 (UTC): the query language writes times with four-digit years. */
const MIN_WRITABLE = -62_167_219_200_000;
const MAX_WRITABLE = 253_402_300_800_000;

export async function pageOf(
  store: EventStore,
  sources: SourceInfo[],
  req: QueryRequest,
  templateMembers?: TemplateMembers,
  anomalyScorer?: AnomalyScorer,
): Promise<QueryPage> {
  const started = performance.now();
  const text = bounded(req.query, req);
  const events = await store.list(sources, text, {
    limit: req.limit,
    offset: req.offset,
    order: req.order,
    now: Date.now(),
    templateMembers,
    anomalyScorer,
  });
  const ids = await store.addresses(events);
  const uris = new Map(sources.map((s) => [s.id, s.uri]));
  const rows: EventRow[] = events.map((e, i) =>
    rowFromEvent(e, ids[i], uris.get(e.sourceId) ?? `source#${e.sourceId}`),
  );
  return { rows, offset: req.offset, tookMs: Math.round((performance.now() - started) * 10) / 10 };
}

export function countOf(
  store: EventStore,
  sources: SourceInfo[],
  req: CountRequest,
  templateMembers?: TemplateMembers,
  anomalyScorer?: AnomalyScorer,
): Promise<number> {
  return store.count(sources, bounded(req.query, req), { now: Date.now(), templateMembers, anomalyScorer });
}

export async function bucketsOf(
  store: EventStore,
  sources: SourceInfo[],
  req: BucketRequest,
  span: { tsMin: number | null; tsMax: number | null },
  templateMembers?: TemplateMembers,
  anomalyScorer?: AnomalyScorer,
): Promise<BucketResult> {
  // Open ends take the workspace's own time range, so "everything" gets sensible bars.
  const from = req.from ?? span.tsMin;
  const to = req.to ?? (span.tsMax == null ? null : span.tsMax + 1);
  if (from == null || to == null || to <= from) {
    parseQuery(req.query); // still report a bad query as one
    return { bucketMs: pickBucketMs(0, req.buckets), buckets: [] };
  }
  const bucketMs = pickBucketMs(to - from, req.buckets);
  const result = await store.buckets(sources, req.query, {
    bucketMs,
    groupBy: req.groupBy,
    from,
    to,
    now: Date.now(),
    templateMembers,
    anomalyScorer,
  });
  return { bucketMs: result.bucketMs, buckets: result.buckets };
}

/**
 * The user's query with the request's time bounds as `from:`/`to:` terms. The query is parsed alone first, so a
 * syntax error points at the user's own text; once it parses, wrapping it in parentheses keeps its meaning.
 */
export function bounded(query: string, range: TimeRange): string {
  const from = range.from != null && range.from > MIN_WRITABLE ? range.from : null;
  const to = range.to != null && range.to < MAX_WRITABLE ? range.to : null;
  if (from == null && to == null) return query;
  parseQuery(query);
  const terms: string[] = [];
  if (query.trim() !== '') terms.push(`(${query})`);
  if (from != null) terms.push(`from:${new Date(from).toISOString()}`);
  // `to:` with a millisecond time ends after that millisecond; the API's `to` is exclusive.
  if (to != null) terms.push(`to:${new Date(to - 1).toISOString()}`);
  return terms.join(' ');
}
