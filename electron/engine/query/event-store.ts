// The store as the layers above it use it: what the API service, the command line and the analysis need to read,
// whichever store holds the events. Two implementations: the local sql.js segments (service/local-store.ts, the
// default) and ClickHouse (query/clickhouse/store.ts). Sources, templates and anomaly counts stay in the
// workspace folder either way; only the events move.
import type { ContextRequest, ContextResult } from '../../../shared/api.ts';
import type { LogEvent, SourceInfo } from '../../../shared/event.ts';
import type { AnomalyScorer } from './anomaly-filter.ts';
import type { BucketCounts, BucketOptions } from './buckets.ts';
import type { QueryOptions } from './execute.ts';
import type { TemplateMembers } from './plan.ts';
import type { SqlResult } from './sql.ts';

export interface CountOptions {
  now?: number;
  templateMembers?: TemplateMembers;
  /**
   * Scores for `anomaly>=…` terms (query/anomaly-filter.ts; also in QueryOptions and BucketOptions). The local
   * store checks them on candidate rows; ClickHouse scores the rows' groups first (query/clickhouse/anomaly.ts).
   */
  anomalyScorer?: AnomalyScorer;
}

export interface StoreSpan {
  events: number;
  tsMin: number | null;
  tsMax: number | null;
}

/**
 * Sources carry their clock offsets (SourceInfo.clockOffsetMs): every method reads times corrected by them, the
 * ones without a `sources` argument (context, addresses, span) by the workspace's committed sources. The local
 * store applies them (query/clock-offsets.ts), ClickHouse in its SQL (query/clickhouse/corrected-time.ts).
 */
export interface EventStore {
  readonly kind: 'local' | 'clickhouse';
  /** How many events match (the query language; `sources` are the committed ones, for `source:`). */
  count(sources: SourceInfo[], query: string, opts?: CountOptions): Promise<number>;
  /** A page of matches in time order (ties: source, then line; untimed events last), from `offset`. */
  list(sources: SourceInfo[], query: string, opts: QueryOptions): Promise<LogEvent[]>;
  /** The `<segment>:<row>` address of each event `list` returned, for context requests (same order). */
  addresses(events: LogEvent[]): Promise<string[]>;
  /** Counts per time bucket, split by severity, host or source. */
  buckets(sources: SourceInfo[], query: string, opts: BucketOptions): Promise<BucketCounts>;
  /** The lines around an event and what every source logged near it in time. */
  context(req: ContextRequest, uriOf: (sourceId: number) => string): Promise<ContextResult>;
  /** One read-only SELECT over the store's `events` view (the store's own SQL dialect). */
  sql(statement: string): Promise<SqlResult>;
  /** How many events are committed and their time range. */
  span(): StoreSpan;
  close(): Promise<void>;
}
