// Counting and listing matches across segments. Listing goes through groups of segments whose time ranges are
// disjoint (a deep page skips whole groups by their counts); inside a group it is a k-way merge of per-segment
// streams, each read in chunks in the global order (time, then source id, then line; events without a time
// after the timed ones), so memory stays bounded by chunk size × segments however many events match.
import type { LogEvent, SourceInfo } from '../../../shared/event.ts';
import { severityFromRank } from '../../../shared/severity.ts';
import type { SegmentMeta, SegmentReader } from '../store/types.ts';
import type { AnomalyScorer } from './anomaly-filter.ts';
import { STORED_TS } from './clock-offsets.ts';
import { registerFunctions } from './compile.ts';
import { allRows, withDb } from './db.ts';
import type { CompiledQuery } from './compile.ts';
import {
  coversSegment,
  planQuery,
  segmentQuery,
  type QueryPlan,
  type SegmentQuery,
  type TemplateMembers,
} from './plan.ts';
import { cutGroup, matchCounts, timedGroups, type GroupCut } from './segment-groups.ts';

export interface QueryOptions {
  limit: number;
  offset?: number;
  order?: 'asc' | 'desc';
  /** The instant `since:` and bare times are relative to (ms); defaults to now. */
  now?: number;
  /** Rows read from a segment per step (memory vs round trips); defaults to limit + offset, within 16..5000. */
  chunk?: number;
  /** Expands `template:N` to the ids merged into N (from the workspace's miner). */
  templateMembers?: TemplateMembers;
  /** Scores rows for `anomaly` terms (anomaly-filter.ts); a query with one fails without it. */
  anomalyScorer?: AnomalyScorer;
}

export async function countEvents(
  reader: SegmentReader,
  sources: SourceInfo[],
  query: string,
  opts: { now?: number; templateMembers?: TemplateMembers; anomalyScorer?: AnomalyScorer } = {},
): Promise<number> {
  const plan = planQuery(reader, sources, query, opts);
  let total = 0;
  for (const meta of plan.segments) total += await countSegment(reader, plan, meta);
  return total;
}

async function countSegment(reader: SegmentReader, plan: QueryPlan, meta: SegmentMeta): Promise<number> {
  // The manifest already knows how many events a whole segment (or all its timed events) holds.
  if (plan.ast.type === 'all') return meta.events;
  if (coversSegment(plan.ast, meta)) return meta.events - meta.untimed;
  // Words alone are counted on the word index; the segment is loaded only for what the index cannot decide.
  const q = await segmentQuery(reader, plan, meta);
  if (q.count != null) return q.count;
  const { where, params } = q.compiled;
  return withDb(reader, meta, (db) => {
    registerFunctions(db, q.compiled);
    return Number(allRows(db, `SELECT count(*) FROM ev WHERE ${where}`, params)[0][0]);
  });
}

/** The columns read, the time as the query reads it (`ts`: `ev.ts` unless a clock offset applies). */
const columns = (ts: string): string =>
  `ev.id, ${ts}, ev.host, ev.source_id, ev.line, ev.off, ev.sev, ev.raw, ` +
  'COALESCE(ev.msg, substr(ev.raw, ev.msg_at + 1)), ev.fields, ev.template, ev.anomaly';

/** [id, ts, host, source_id, line, off, sev, raw, message, fields, template, anomaly] */
type Row = unknown[];

type Phase = 'timed' | 'untimed';

interface Cursor {
  meta: SegmentMeta;
  /** The query made for this segment, once its word index has been read. */
  compiled: CompiledQuery | null;
  seg: number;
  phase: Phase | 'done';
  /** Sort key of the last row read, and how many rows read so far share it (skipped by OFFSET next time). */
  key: { ts: number; src: number; line: number | null } | null;
  same: number;
  buf: Row[];
  pos: number;
}

/**
 * Pages go group by group: the timed matches of time-disjoint groups of segments (segment-groups.ts) in order,
 * then the untimed matches of every segment. A group the offset passes entirely is skipped by its count; inside
 * the first group needed, one segment answers with LIMIT/OFFSET on its ordered query and several are merged.
 */
export async function queryEvents(
  reader: SegmentReader,
  sources: SourceInfo[],
  query: string,
  opts: QueryOptions,
): Promise<LogEvent[]> {
  const plan = planQuery(reader, sources, query, opts);
  const want = Math.max(0, opts.limit);
  if (want === 0) return [];
  const dir = opts.order === 'desc' ? -1 : 1;
  // Each segment's word index is read once, whether for counting or listing.
  const queries = new Map<number, Promise<SegmentQuery>>();
  const segQuery = (seg: number): Promise<SegmentQuery> => {
    let q = queries.get(seg);
    if (!q) queries.set(seg, (q = segmentQuery(reader, plan, plan.segments[seg])));
    return q;
  };
  const ctx: ListContext = { reader, plan, dir, chunk: opts.chunk, segQuery };

  const groups: { segs: number[]; phase: Phase }[] = timedGroups(plan.segments).map((segs) => ({
    segs,
    phase: 'timed',
  }));
  if (dir < 0) groups.reverse();
  const untimed = plan.segments.flatMap((m, seg) => (m.untimed > 0 ? [seg] : []));
  if (untimed.length) groups.push({ segs: untimed, phase: 'untimed' });

  const out: Row[] = [];
  let skip = Math.max(0, opts.offset ?? 0);
  for (const { segs, phase } of groups) {
    if (out.length >= want) break;
    let live = segs;
    let cut: GroupCut | null = null;
    if (skip > 0) {
      // Counting is free from the manifest or the index, else one count(*); either beats reading the rows.
      const counts: number[] = [];
      for (const seg of segs) {
        const n = await matchCounts(reader, plan, plan.segments[seg], () => segQuery(seg));
        counts.push(n[phase]);
      }
      const total = counts.reduce((a, b) => a + b, 0);
      if (total <= skip) {
        skip -= total;
        continue;
      }
      live = segs.filter((_, i) => counts[i] > 0);
      if (live.length > 1 && phase === 'timed') {
        // Touching or overlapping segments: start the merge at a time near the page, not at the group's start.
        cut = await cutGroup(
          reader,
          plan,
          dir,
          live,
          counts.filter((n) => n > 0),
          skip,
          segQuery,
        );
        if (cut) {
          skip -= cut.before;
          const { ts } = cut;
          live = live.filter((seg) =>
            dir > 0 ? plan.segments[seg].tsMax! >= ts : plan.segments[seg].tsMin! <= ts,
          );
        }
      }
    }
    const need = want - out.length;
    const got =
      live.length === 1 && !cut
        ? await pageOfSegment(ctx, live[0], phase, skip, need)
        : await mergeGroup(ctx, live, phase, skip, need, cut?.ts ?? null);
    skip -= got.skipped;
    for (const r of got.rows) out.push(r);
  }
  return out.map(toLogEvent);
}

interface ListContext {
  reader: SegmentReader;
  plan: QueryPlan;
  dir: number;
  chunk?: number;
  segQuery: (seg: number) => Promise<SegmentQuery>;
}

interface GroupPage {
  rows: Row[];
  /** Rows of the group passed over for the offset. */
  skipped: number;
}

/** One segment alone in its group: its ordered query (the ev_time index) with LIMIT/OFFSET. */
async function pageOfSegment(
  ctx: ListContext,
  seg: number,
  phase: Phase,
  skip: number,
  need: number,
): Promise<GroupPage> {
  const q = await ctx.segQuery(seg);
  if (q.count === 0) return { rows: [], skipped: 0 };
  const c = { phase, key: null };
  const { where, params, ts } = q.compiled;
  const sql = `SELECT ${columns(ts)} FROM ev WHERE (${where}) AND ${keyCondition(c, ctx.dir, ts)} ORDER BY ${orderBy(c, ctx.dir, ts)} LIMIT ? OFFSET ?`;
  const rows = await withDb(ctx.reader, ctx.plan.segments[seg], (db) => {
    registerFunctions(db, q.compiled);
    return allRows(db, sql, [...params, need, skip]);
  });
  // Rows came back, so the offset was passed in full; none means the group held at most `skip` rows (its count
  // is known whenever skip > 0, so that does not happen).
  return { rows, skipped: rows.length ? skip : 0 };
}

/** A k-way merge of the group's segments in one phase, passing over `skip` rows, returning at most `need`. */
async function mergeGroup(
  ctx: ListContext,
  segs: number[],
  phase: Phase,
  skip: number,
  need: number,
  from: number | null,
): Promise<GroupPage> {
  const { reader, plan, dir } = ctx;
  const chunk = Math.max(1, Math.floor(ctx.chunk ?? Math.min(Math.max(skip + need, 16), 5000)));
  const cursors: Cursor[] = segs.map((seg) => ({
    meta: plan.segments[seg],
    seg,
    compiled: null,
    phase,
    key: null,
    same: 0,
    buf: [],
    pos: 0,
  }));
  // Rows before the cut (in the listing order) were counted, not read.
  const bound = (ts: string) => (from == null ? '' : ` AND ${ts} ${dir > 0 ? '>=' : '<='} ${from}`);

  async function refill(c: Cursor): Promise<void> {
    if (!c.compiled && c.phase !== 'done') {
      const q = await ctx.segQuery(c.seg);
      c.compiled = q.compiled;
      if (q.count === 0) c.phase = 'done';
    }
    while (c.pos >= c.buf.length && c.phase !== 'done') {
      const { where, params, ts } = c.compiled!;
      const sql = `SELECT ${columns(ts)} FROM ev WHERE (${where}) AND ${keyCondition(c, dir, ts)}${bound(ts)} ORDER BY ${orderBy(c, dir, ts)} LIMIT ${chunk} OFFSET ${c.same}`;
      const rows = await withDb(reader, c.meta, (db) => {
        registerFunctions(db, c.compiled!);
        return allRows(db, sql, params);
      });
      c.buf = rows;
      c.pos = 0;
      for (const r of rows) {
        const ts = (r[1] as number | null) ?? 0;
        const src = r[3] as number;
        const line = r[4] as number | null;
        if (c.key && c.key.ts === ts && c.key.src === src && c.key.line === line) c.same++;
        else {
          c.key = { ts, src, line };
          c.same = 1;
        }
      }
      if (rows.length < chunk) c.phase = 'done';
    }
  }

  const cmp = (a: Cursor, b: Cursor): number => compareRows(a.buf[a.pos], b.buf[b.pos], a.seg, b.seg, dir);
  const heap: Cursor[] = [];
  // A segment joins the merge only once the merge reaches its first time (its tsMin ascending, tsMax
  // descending), so a page near a group's start does not load every segment of the group.
  const first = (c: Cursor): number =>
    phase === 'untimed' ? -Infinity : dir > 0 ? (c.meta.tsMin ?? -Infinity) : -(c.meta.tsMax ?? Infinity);
  const pending = [...cursors].sort((a, b) => first(a) - first(b));
  let next = 0;
  const rows: Row[] = [];
  let skipped = 0;
  for (;;) {
    while (
      next < pending.length &&
      (heap.length === 0 || first(pending[next]) <= dir * (heap[0].buf[heap[0].pos][1] as number))
    ) {
      const c = pending[next++];
      await refill(c);
      if (c.pos < c.buf.length) heapPush(heap, c, cmp);
    }
    if (!heap.length) break;
    const c = heap[0];
    const row = c.buf[c.pos++];
    if (skipped < skip) skipped++;
    else {
      rows.push(row);
      if (rows.length >= need) break;
    }
    await refill(c);
    if (c.pos < c.buf.length) heapFixTop(heap, cmp);
    else heapPopTop(heap, cmp);
  }
  return { rows, skipped };
}

/** Rows after the cursor's key, in its phase. Lines may be NULL: SQLite sorts NULL first ascending. */
function keyCondition(c: Pick<Cursor, 'phase' | 'key'>, dir: number, ts = STORED_TS): string {
  const phase = c.phase === 'timed' ? 'ev.ts IS NOT NULL' : 'ev.ts IS NULL';
  const k = c.key;
  if (!k) return phase;
  const gt = dir > 0 ? '>' : '<';
  const lineCond =
    dir > 0
      ? k.line == null
        ? '1'
        : `ev.line >= ${k.line}`
      : k.line == null
        ? 'ev.line IS NULL'
        : `(ev.line <= ${k.line} OR ev.line IS NULL)`;
  const after = `ev.source_id ${gt} ${k.src} OR (ev.source_id = ${k.src} AND ${lineCond})`;
  if (c.phase === 'untimed') return `${phase} AND (${after})`;
  return `${ts} ${gt}= ${k.ts} AND (${ts} ${gt} ${k.ts} OR ${after})`;
}

function orderBy(c: Pick<Cursor, 'phase'>, dir: number, ts = STORED_TS): string {
  const d = dir > 0 ? '' : ' DESC';
  const cols =
    c.phase === 'timed' ? [ts, 'ev.source_id', 'ev.line', 'ev.id'] : ['ev.source_id', 'ev.line', 'ev.id'];
  return cols.map((col) => col + d).join(', ');
}

/** The global order: the same as each segment's ORDER BY, then segment order for identical keys. */
function compareRows(a: Row, b: Row, segA: number, segB: number, dir: number): number {
  const ta = a[1] as number | null;
  const tb = b[1] as number | null;
  if ((ta == null) !== (tb == null)) return ta == null ? 1 : -1;
  let d = (ta ?? 0) - (tb ?? 0);
  if (d === 0) d = (a[3] as number) - (b[3] as number);
  if (d === 0) {
    const la = a[4] as number | null;
    const lb = b[4] as number | null;
    d = la === lb ? 0 : la == null ? -1 : lb == null ? 1 : la - lb;
  }
  if (d === 0) d = segA - segB;
  if (d === 0) d = (a[0] as number) - (b[0] as number);
  return d * dir;
}

export function toLogEvent(r: Row): LogEvent {
  const fields = r[9] as string | null;
  return {
    ts: r[1] as number | null,
    host: r[2] as string | null,
    sourceId: r[3] as number,
    line: r[4] as number | null,
    offset: r[5] as number,
    severity: severityFromRank(r[6] as number | null),
    raw: r[7] as string,
    message: (r[8] as string | null) ?? '',
    fields: fields ? JSON.parse(fields) : {},
    template: r[10] as number | null,
    anomaly: (r[11] as number | null) ?? 0,
  };
}

// A binary min-heap of cursors keyed on their current row.
function heapPush(h: Cursor[], c: Cursor, cmp: (a: Cursor, b: Cursor) => number): void {
  h.push(c);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (cmp(h[i], h[p]) >= 0) break;
    [h[i], h[p]] = [h[p], h[i]];
    i = p;
  }
}

function heapPopTop(h: Cursor[], cmp: (a: Cursor, b: Cursor) => number): void {
  const last = h.pop()!;
  if (h.length) {
    h[0] = last;
    heapFixTop(h, cmp);
  }
}

function heapFixTop(h: Cursor[], cmp: (a: Cursor, b: Cursor) => number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && cmp(h[l], h[m]) < 0) m = l;
    if (r < h.length && cmp(h[r], h[m]) < 0) m = r;
    if (m === i) return;
    [h[i], h[m]] = [h[m], h[i]];
    i = m;
  }
}
