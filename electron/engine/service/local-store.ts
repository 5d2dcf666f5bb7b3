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
    return eventIds(this.reader, events);
  }

  buckets(sources: SourceInfo[], query: string, opts: BucketOptions): Promise<BucketCounts> {
    return bucketCounts(this.reader, sources, query, opts);
  }

  context(req: ContextRequest, uriOf: (sourceId: number) => string): Promise<ContextResult> {
    return eventContext(this.reader, req, uriOf);
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
    return { events, tsMin, tsMax };
  }

  async close(): Promise<void> {
    // The reader belongs to the workspace, which closes it.
  }
}

/**
 * The `<segment>:<row>` ids of events the query stage returned (it does not report them): each is looked up by
 * (ts, source, offset) through the segment's time index, in the segments whose manifest entry may hold it.
 */
export async function eventIds(reader: SegmentReader, events: LogEvent[]): Promise<string[]> {
  const ids: string[] = new Array(events.length).fill('');
  const bySegment = new Map<SegmentMeta, number[]>();
  const candidates = (e: LogEvent) =>
    e.ts == null
      ? reader.segments({ sourceIds: [e.sourceId] }).filter((s) => s.untimed > 0)
      : reader.segments({ sourceIds: [e.sourceId], from: e.ts, to: e.ts });
  events.forEach((e, i) => {
    for (const seg of candidates(e)) {
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
          stmt.bind([e.ts, e.sourceId, e.offset]);
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
