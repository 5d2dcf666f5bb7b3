// An event's surroundings: the lines just before and after it in its own source, and what every source logged
// within a few seconds of it (the "what else happened then" view). Times are as the sources' clock offsets correct
// them (query/clock-offsets.ts): "around" means around the corrected time, in every source's corrected time.
import type { ContextRequest, ContextResult, EventRow } from '../../../shared/api.ts';
import {
  candidateSegments,
  correctedTs,
  STORED_TS,
  timeSql,
  type Corrections,
} from '../query/clock-offsets.ts';
import type { SegmentMeta, SegmentReader } from '../store/types.ts';
import { ApiFailure } from './api-failure.ts';
import { EV_COLUMNS, parseEventId, selectRows } from './event-rows.ts';

/** At most this many events around the event in time (the nearest ones win). */
export const MAX_AROUND = 1000;

export async function eventContext(
  reader: SegmentReader,
  req: ContextRequest,
  uriOf: (sourceId: number) => string,
  corr: Corrections | null = null,
): Promise<ContextResult> {
  const address = parseEventId(req.id);
  const seg = address && reader.segments().find((s) => s.id === address.segmentId);
  if (!address || !seg) throw notFound(req.id);
  const [event] = await reader.withSegment(seg, (db) =>
    selectRows(db, seg.id, `SELECT ${EV_COLUMNS} FROM ev WHERE id = ?`, [address.rowId], uriOf),
  );
  if (!event) throw notFound(req.id);
  correctRows([event], corr);
  const sameSource =
    req.lines > 0 ? correctRows(await neighbours(reader, event, req.lines, uriOf), corr) : [];
  const around =
    req.seconds > 0 && event.tsMs != null ? await nearInTime(reader, event, req.seconds, uriOf, corr) : [];
  return { event, sameSource, around };
}

/** Rows read as stored, their times corrected in place. */
function correctRows(rows: EventRow[], corr: Corrections | null): EventRow[] {
  if (!corr) return rows;
  for (const r of rows) {
    const ts = correctedTs(r.tsMs, r.sourceId, corr);
    if (ts === r.tsMs) continue;
    r.tsMs = ts;
    r.ts = ts == null ? null : new Date(ts).toISOString();
  }
  return rows;
}

/** ±n lines of the event's source (by line number; by byte offset for sources without lines), the event excluded. */
async function neighbours(
  reader: SegmentReader,
  event: EventRow,
  n: number,
  uriOf: (sourceId: number) => string,
): Promise<EventRow[]> {
  const segments = reader.segments({ sourceIds: [event.sourceId] });
  const rows: EventRow[] = [];
  if (event.line != null) {
    const sql = `SELECT ${EV_COLUMNS} FROM ev WHERE source_id = ? AND line BETWEEN ? AND ? ORDER BY line, off`;
    const params = [event.sourceId, event.line - n, event.line + n];
    for (const seg of segments) rows.push(...(await inSegment(reader, seg, sql, params, uriOf)));
    rows.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return rows.filter((r) => r.id !== event.id);
  }
  // No line numbers: the n events before and after by offset, from each segment, then the nearest overall.
  const segId = Number(event.id.split(':')[0]);
  const offset = await reader.withSegment(segments.find((s) => s.id === segId) as SegmentMeta, (db) => {
    const res = db.exec('SELECT off FROM ev WHERE id = ?', [Number(event.id.split(':')[1])]);
    return Number(res[0]?.values[0]?.[0] ?? 0);
  });
  const before = `SELECT ${EV_COLUMNS} FROM ev WHERE source_id = ? AND off < ? ORDER BY off DESC LIMIT ?`;
  const after = `SELECT ${EV_COLUMNS} FROM ev WHERE source_id = ? AND off > ? ORDER BY off ASC LIMIT ?`;
  const earlier: { off: number; row: EventRow }[] = [];
  const later: { off: number; row: EventRow }[] = [];
  for (const seg of segments) {
    await reader.withSegment(seg, (db) => {
      for (const [sql, into] of [
        [before, earlier],
        [after, later],
      ] as const) {
        const offs: number[] = [];
        const found = selectRows(db, seg.id, sql, [event.sourceId, offset, n], uriOf, offs);
        found.forEach((row, i) => into.push({ off: offs[i], row }));
      }
    });
  }
  earlier.sort((a, b) => b.off - a.off);
  later.sort((a, b) => a.off - b.off);
  return [...earlier.slice(0, n).reverse(), ...later.slice(0, n)].map((x) => x.row);
}

/** Events of every source within ±seconds of the event, nearest first up to MAX_AROUND, returned in time order. */
async function nearInTime(
  reader: SegmentReader,
  event: EventRow,
  seconds: number,
  uriOf: (sourceId: number) => string,
  corr: Corrections | null,
): Promise<EventRow[]> {
  const ts = event.tsMs as number;
  const from = Math.floor(ts - seconds * 1000);
  const to = Math.ceil(ts + seconds * 1000);
  // `t`: a row's time in this segment, corrected where a source of it has an offset.
  const sql = (t: string) =>
    `SELECT ${EV_COLUMNS} FROM ev WHERE ${t} BETWEEN ? AND ? AND NOT (id = ? AND ? = 1) ` +
    `ORDER BY abs(${t} - ?), id LIMIT ?`;
  const rows: EventRow[] = [];
  const [eventSeg] = event.id.split(':').map(Number);
  const rowId = Number(event.id.split(':')[1]);
  for (const seg of candidateSegments(reader, { from, to }, corr)) {
    const params = [from, to, rowId, seg.id === eventSeg ? 1 : 0, ts, MAX_AROUND];
    const t = timeSql(corr, seg.sources);
    const found = await inSegment(reader, seg, sql(t === STORED_TS ? 'ts' : t), params, uriOf);
    rows.push(...correctRows(found, corr));
  }
  rows.sort((a, b) => Math.abs((a.tsMs as number) - ts) - Math.abs((b.tsMs as number) - ts));
  const kept = rows.slice(0, MAX_AROUND);
  kept.sort(
    (a, b) =>
      (a.tsMs as number) - (b.tsMs as number) || a.sourceId - b.sourceId || (a.line ?? 0) - (b.line ?? 0),
  );
  return kept;
}

function inSegment(
  reader: SegmentReader,
  seg: SegmentMeta,
  sql: string,
  params: (number | string)[],
  uriOf: (sourceId: number) => string,
): Promise<EventRow[]> {
  return reader.withSegment(seg, (db) => selectRows(db, seg.id, sql, params, uriOf));
}

function notFound(id: string): ApiFailure {
  return new ApiFailure({ code: 'not-found', message: `no event ${id} in this workspace` });
}
