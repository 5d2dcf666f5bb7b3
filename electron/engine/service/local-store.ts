// The default EventStore: the workspace's sql.js segments, read through the query stage (query/execute.ts,
// buckets.ts, sql.ts) and the segment-addressed helpers here (event ids, context).
import type { ContextRequest, ContextResult } from '../../../shared/api.ts';
import type { LogEvent, SourceInfo } from '../../../shared/event.ts';
import {
  bucketCounts,
  countEvents,
  queryEvents,
  runSql,
  type BucketCounts,
  type BucketOptions,
  type QueryOptions,
  type SqlResult,
} from '../query/index.ts';
import type { CountOptions, EventStore, StoreSpan } from '../query/event-store.ts';
import { correctionsOf, storedTs, type Corrections } from '../query/clock-offsets.ts';
import type { Manifest, SegmentMeta, SegmentReader } from '../store/types.ts';
import { eventContext } from './context.ts';
import { eventId } from './event-rows.ts';

export class LocalEventStore implements EventStore {
  readonly kind = 'local';

  constructor(
    readonly reader: SegmentReader,
    private readonly manifest: () => Manifest,
  ) {}

  count(sources: SourceInfo[], query: string, opts: CountOptions = {}): Promise<number> {
    return countEvents(this.reader, sources, query, opts);
  }

  list(sources: SourceInfo[], query: string, opts: QueryOptions): Promise<LogEvent[]> {
    return queryEvents(this.reader, sources, query, opts);
  }

  addresses(events: LogEvent[]): Promise<string[]> {
    return eventIds(this.reader, events, this.corrections());
  }

  buckets(sources: SourceInfo[], query: string, opts: BucketOptions): Promise<BucketCounts> {
    return bucketCounts(this.reader, sources, query, opts);
  }

  context(req: ContextRequest, uriOf: (sourceId: number) => string): Promise<ContextResult> {
    return eventContext(this.reader, req, uriOf, this.corrections());
  }

  sql(statement: string): Promise<SqlResult> {
    return runSql(this.reader, statement);
  }

  span(): StoreSpan {
    let events = 0;
    let tsMin: number | null = null;
    let tsMax: number | null = null;
    for (const s of this.manifest().segments) {
      events += s.events;
      if (s.tsMin != null && (tsMin == null || s.tsMin < tsMin)) tsMin = s.tsMin;
      if (s.tsMax != null && (tsMax == null || s.tsMax > tsMax)) tsMax = s.tsMax;
    }
    const corr = this.corrections();
    if (!corr) return { events, tsMin, tsMax };
    // Clock offsets move sources apart: the span is the union of the sources' corrected spans.
    tsMin = tsMax = null;
    for (const s of this.manifest().sources) {
      const d = corr.get(s.id) ?? 0;
      if (s.tsMin != null && (tsMin == null || s.tsMin + d < tsMin)) tsMin = s.tsMin + d;
      if (s.tsMax != null && (tsMax == null || s.tsMax + d > tsMax)) tsMax = s.tsMax + d;
    }
    return { events, tsMin, tsMax };
  }

  /** The committed sources' clock corrections (what context, addresses and span read by; null: none). */
  private corrections(): Corrections | null {
    return correctionsOf(this.manifest().sources);
  }

  async close(): Promise<void> {
    // The reader belongs to the workspace, which closes it.
  }
}

/**
 * The `<segment>:<row>` ids of events the query stage returned (it does not report them): each is looked up by
 * (ts, source, offset) through the segment's time index, in the segments whose manifest entry may hold it.
 */
export async function eventIds(
  reader: SegmentReader,
  events: LogEvent[],
  corr: Corrections | null = null,
): Promise<string[]> {
  const ids: string[] = new Array(events.length).fill('');
  const bySegment = new Map<SegmentMeta, number[]>();
  // Events come with corrected times (clock offsets); segments hold them as logged.
  const stored = events.map((e) => storedTs(e.ts, e.sourceId, corr));
  const candidates = (e: LogEvent, ts: number | null) =>
    ts == null
      ? reader.segments({ sourceIds: [e.sourceId] }).filter((s) => s.untimed > 0)
      : reader.segments({ sourceIds: [e.sourceId], from: ts, to: ts });
  events.forEach((e, i) => {
    for (const seg of candidates(e, stored[i])) {
      let list = bySegment.get(seg);
      if (!list) bySegment.set(seg, (list = []));
      list.push(i);
    }
  });
  for (const [seg, indexes] of bySegment) {
    const open = indexes.filter((i) => ids[i] === '');
    if (open.length === 0) continue;
    await reader.withSegment(seg, (db) => {
      const stmt = db.prepare('SELECT id FROM ev WHERE ts IS ? AND source_id = ? AND off = ? LIMIT 1');
      try {
        for (const i of open) {
          const e = events[i];
          stmt.bind([stored[i], e.sourceId, e.offset]);
          if (stmt.step()) ids[i] = eventId(seg.id, Number(stmt.get()[0]));
          stmt.reset();
        }
      } finally {
        stmt.free();
      }
    });
  }
  return ids;
}
