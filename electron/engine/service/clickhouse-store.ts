// The EventStore of a ClickHouse-backed workspace: the query stage's ClickHouse statements (query/clickhouse/
// execute.ts), with events addressed as `0:<seq>` (segment 0 is never a local segment) and the context view
// assembled here as the local one is (context.ts). Times are read as the sources' clock offsets correct them
// (query/clickhouse/corrected-time.ts), as the local store reads them.
import type { ContextRequest, ContextResult, EventRow } from '../../../shared/api.ts';
import type { LogEvent, SourceInfo } from '../../../shared/event.ts';
import type { BucketCounts, BucketOptions, QueryOptions, SqlResult } from '../query/index.ts';
import type { CountOptions, EventStore, StoreSpan } from '../query/event-store.ts';
import { correctedTime } from '../query/clickhouse/corrected-time.ts';
import { ClickHouseQueries, type Located } from '../query/clickhouse/execute.ts';
import type { ClickHouseClient } from '../store/clickhouse/client.ts';
import { ApiFailure } from './api-failure.ts';
import { MAX_AROUND } from './context.ts';
import { eventId, parseEventId, rowFromEvent } from './event-rows.ts';

/** The segment number of every ClickHouse event id. */
const STORE_SEGMENT = 0;

export class ClickHouseEventStore implements EventStore {
  readonly kind = 'clickhouse';
  readonly queries: ClickHouseQueries;
  /** Where each event `list` returned is stored (its seq), for addresses(). */
  private readonly seqs = new WeakMap<LogEvent, number>();

  constructor(
    readonly client: ClickHouseClient,
    /** The workspace's commit mark (writer.ts commitMark). */
    mark: () => number,
    /** The workspace's committed sources (their counts make span()). */
    private readonly sources: () => SourceInfo[],
  ) {
    this.queries = new ClickHouseQueries(client, mark);
  }

  async count(sources: SourceInfo[], query: string, opts?: CountOptions): Promise<number> {
    return this.queries.count(sources, query, opts);
  }

  async list(sources: SourceInfo[], query: string, opts: QueryOptions): Promise<LogEvent[]> {
    return this.remember(await this.queries.list(sources, query, opts));
  }

  async addresses(events: LogEvent[]): Promise<string[]> {
    return events.map((e) => {
      const seq = this.seqs.get(e);
      return seq == null ? '' : eventId(STORE_SEGMENT, seq);
    });
  }

  async buckets(sources: SourceInfo[], query: string, opts: BucketOptions): Promise<BucketCounts> {
    return this.queries.buckets(sources, query, opts);
  }

  async context(req: ContextRequest, uriOf: (sourceId: number) => string): Promise<ContextResult> {
    const time = correctedTime(this.sources());
    const address = parseEventId(req.id);
    if (!address || address.segmentId !== STORE_SEGMENT) throw notFound(req.id);
    const [found] = await this.queries.bySeqs([address.rowId], time);
    if (!found) throw notFound(req.id);
    const row = (l: Located): EventRow =>
      rowFromEvent(l.event, eventId(STORE_SEGMENT, l.seq), uriOf(l.event.sourceId));
    const e = found.event;
    let sameSource: EventRow[] = [];
    if (req.lines > 0) {
      if (e.line != null) {
        const lines = await this.queries.sameSourceLines(
          e.sourceId,
          e.line - req.lines,
          e.line + req.lines,
          time,
        );
        sameSource = lines.filter((l) => l.seq !== found.seq).map(row);
      } else {
        const before = await this.queries.sameSourceOffsets(e.sourceId, e.offset, req.lines, true, time);
        const after = await this.queries.sameSourceOffsets(e.sourceId, e.offset, req.lines, false, time);
        sameSource = [...before.reverse(), ...after].map(row);
      }
    }
    let around: EventRow[] = [];
    if (req.seconds > 0 && e.ts != null) {
      const from = Math.floor(e.ts - req.seconds * 1000);
      const to = Math.ceil(e.ts + req.seconds * 1000);
      const near = await this.queries.nearInTime(e.ts, from, to, found.seq, MAX_AROUND, time);
      near.sort(
        (a, b) =>
          (a.event.ts as number) - (b.event.ts as number) ||
          a.event.sourceId - b.event.sourceId ||
          (a.event.line ?? 0) - (b.event.line ?? 0),
      );
      around = near.map(row);
    }
    return { event: row(found), sameSource, around };
  }

  sql(statement: string): Promise<SqlResult> {
    return this.queries.sql(statement);
  }

  /** The union of the sources' spans, each in its corrected time (as the local store's span). */
  span(): StoreSpan {
    let events = 0;
    let tsMin: number | null = null;
    let tsMax: number | null = null;
    for (const s of this.sources()) {
      events += s.events;
      const d = -(s.clockOffsetMs ?? 0);
      if (s.tsMin != null && (tsMin == null || s.tsMin + d < tsMin)) tsMin = s.tsMin + d;
      if (s.tsMax != null && (tsMax == null || s.tsMax + d > tsMax)) tsMax = s.tsMax + d;
    }
    return { events, tsMin, tsMax };
  }

  async close(): Promise<void> {
    this.client.close();
  }

  private remember(located: Located[]): LogEvent[] {
    return located.map((l) => {
      this.seqs.set(l.event, l.seq);
      return l.event;
    });
  }
}

function notFound(id: string): ApiFailure {
  return new ApiFailure({ code: 'not-found', message: `no event ${id} in this workspace` });
}
