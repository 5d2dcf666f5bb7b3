// Counting and listing matches across segments. Listing is a k-way merge of per-segment streams, each read in
// chunks in the global order (time, then source id, then line; events without a time after the timed ones), so
// memory stays bounded by chunk size × segments however many events match.
import type { LogEvent, SourceInfo } from '../../../shared/event.ts';
import { severityFromRank } from '../../../shared/severity.ts';
import type { SegmentMeta, SegmentReader } from '../store/types.ts';
import { registerFunctions } from './compile.ts';
import { allRows, withDb } from './db.ts';
import type { CompiledQuery } from './compile.ts';
import { coversSegment, planQuery, segmentQuery, type QueryPlan, type TemplateMembers } from './plan.ts';

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
}

export async function countEvents(
  reader: SegmentReader,
  sources: SourceInfo[],
  query: string,
  opts: { now?: number; templateMembers?: TemplateMembers } = {},
): Promise<number> {
  const plan = planQuery(reader, sources, query, opts.now, undefined, opts.templateMembers);
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

const COLUMNS =
  'ev.id, ev.ts, ev.host, ev.source_id, ev.line, ev.off, ev.sev, ev.raw, ' +
  'COALESCE(ev.msg, substr(ev.raw, ev.msg_at + 1)), ev.fields, ev.template, ev.anomaly';

/** [id, ts, host, source_id, line, off, sev, raw, message, fields, template, anomaly] */
type Row = unknown[];

interface Cursor {
  meta: SegmentMeta;
  /** The query made for this segment, once its word index has been read. */
  compiled: CompiledQuery | null;
  seg: number;
  phase: 'timed' | 'untimed' | 'done';
  /** Sort key of the last row read, and how many rows read so far share it (skipped by OFFSET next time). */
  key: { ts: number; src: number; line: number | null } | null;
  same: number;
  buf: Row[];
  pos: number;
}

export async function queryEvents(
  reader: SegmentReader,
  sources: SourceInfo[],
  query: string,
  opts: QueryOptions,
): Promise<LogEvent[]> {
  const plan = planQuery(reader, sources, query, opts.now, undefined, opts.templateMembers);
  const offset = Math.max(0, opts.offset ?? 0);
  const want = Math.max(0, opts.limit);
  if (want === 0) return [];
  const dir = opts.order === 'desc' ? -1 : 1;
  const chunk = Math.max(1, Math.floor(opts.chunk ?? Math.min(Math.max(offset + want, 16), 5000)));

  const cursors: Cursor[] = plan.segments.map((meta, seg) => ({
    meta, seg, compiled: null, phase: 'timed', key: null, same: 0, buf: [], pos: 0,
  }));

  async function refill(c: Cursor): Promise<void> {
    if (!c.compiled && c.phase !== 'done') {
      const q = await segmentQuery(reader, plan, c.meta);
      c.compiled = q.compiled;
      if (q.count === 0) c.phase = 'done';
    }
    while (c.pos >= c.buf.length && c.phase !== 'done') {
      const { where, params } = c.compiled!;
      const sql = `SELECT ${COLUMNS} FROM ev WHERE (${where}) AND ${keyCondition(c, dir)} ORDER BY ${orderBy(c, dir)} LIMIT ${chunk} OFFSET ${c.same}`;
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
      if (rows.length < chunk) {
        c.phase = c.phase === 'timed' ? 'untimed' : 'done';
        c.key = null;
        c.same = 0;
      }
    }
  }

  const cmp = (a: Cursor, b: Cursor): number => compareRows(a.buf[a.pos], b.buf[b.pos], a.seg, b.seg, dir);
  const heap: Cursor[] = [];
  for (const c of cursors) {
    await refill(c);
    if (c.pos < c.buf.length) heapPush(heap, c, cmp);
  }
  const out: LogEvent[] = [];
  let skipped = 0;
  while (heap.length && out.length < want) {
    const c = heap[0];
    const row = c.buf[c.pos++];
    if (skipped < offset) skipped++;
    else out.push(toLogEvent(row));
    await refill(c);
    if (c.pos < c.buf.length) heapFixTop(heap, cmp);
    else heapPopTop(heap, cmp);
  }
  return out;
}

/** Rows after the cursor's key, in its phase. Lines may be NULL: SQLite sorts NULL first ascending. */
function keyCondition(c: Cursor, dir: number): string {
  const phase = c.phase === 'timed' ? 'ev.ts IS NOT NULL' : 'ev.ts IS NULL';
  const k = c.key;
  if (!k) return phase;
  const gt = dir > 0 ? '>' : '<';
  const lineCond =
    dir > 0
      ? k.line == null ? '1' : `ev.line >= ${k.line}`
      : k.line == null ? 'ev.line IS NULL' : `(ev.line <= ${k.line} OR ev.line IS NULL)`;
  const after = `ev.source_id ${gt} ${k.src} OR (ev.source_id = ${k.src} AND ${lineCond})`;
  if (c.phase === 'untimed') return `${phase} AND (${after})`;
  return `ev.ts ${gt}= ${k.ts} AND (ev.ts ${gt} ${k.ts} OR ${after})`;
}

function orderBy(c: Cursor, dir: number): string {
  const d = dir > 0 ? '' : ' DESC';
  const cols = c.phase === 'timed' ? ['ev.ts', 'ev.source_id', 'ev.line', 'ev.id'] : ['ev.source_id', 'ev.line', 'ev.id'];
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
