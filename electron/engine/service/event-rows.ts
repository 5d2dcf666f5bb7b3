// Events as the API returns them (EventRow), read straight from a segment's `ev` table. Used for context,
// which addresses events by their `<segment>:<row>` id rather than by a query.
import type { Database, SqlValue } from 'sql.js';
import type { EventRow } from '../../../shared/api.ts';
import type { FieldValue, LogEvent } from '../../../shared/event.ts';
import { severityFromRank } from '../../../shared/severity.ts';

/** The columns every statement below selects, in this order (see ROW_* indexes). */
export const EV_COLUMNS =
  'id, ts, host, source_id, line, off, sev, raw, COALESCE(msg, substr(raw, msg_at + 1)), fields, template, anomaly';

export function eventId(segmentId: number, rowId: number): string {
  return `${segmentId}:${rowId}`;
}

export function parseEventId(id: string): { segmentId: number; rowId: number } | null {
  const m = /^(\d{1,15}):(\d{1,15})$/.exec(id);
  return m ? { segmentId: Number(m[1]), rowId: Number(m[2]) } : null;
}

/** Runs `sql` (selecting EV_COLUMNS) on one segment and returns its rows as EventRows. */
export function selectRows(
  db: Database,
  segmentId: number,
  sql: string,
  params: SqlValue[],
  uriOf: (sourceId: number) => string,
  /** When given, receives each row's byte offset in its source (EventRow does not carry it). */
  offsets?: number[],
): EventRow[] {
  const stmt = db.prepare(sql);
  const out: EventRow[] = [];
  try {
    stmt.bind(params);
    while (stmt.step()) {
      const values = stmt.get();
      out.push(rowFromValues(segmentId, values, uriOf));
      offsets?.push(Number(values[5]));
    }
  } finally {
    stmt.free();
  }
  return out;
}

function rowFromValues(segmentId: number, v: SqlValue[], uriOf: (sourceId: number) => string): EventRow {
  const tsMs = v[1] == null ? null : Number(v[1]);
  const sourceId = Number(v[3]);
  return {
    id: eventId(segmentId, Number(v[0])),
    ts: tsMs == null ? null : new Date(tsMs).toISOString(),
    tsMs,
    host: v[2] == null ? null : String(v[2]),
    source: uriOf(sourceId),
    sourceId,
    line: v[4] == null ? null : Number(v[4]),
    severity: severityFromRank(v[6] == null ? null : Number(v[6])),
    message: String(v[8] ?? ''),
    raw: String(v[7] ?? ''),
    fields: parseFields(v[9]),
    template: v[10] == null ? null : Number(v[10]),
    anomaly: Number(v[11] ?? 0),
  };
}

/** An EventRow from a LogEvent that the query stage returned together with its address. */
export function rowFromEvent(e: LogEvent, id: string, uri: string): EventRow {
  return {
    id,
    ts: e.ts == null ? null : new Date(e.ts).toISOString(),
    tsMs: e.ts,
    host: e.host,
    source: uri,
    sourceId: e.sourceId,
    line: e.line,
    severity: e.severity,
    message: e.message,
    raw: e.raw,
    fields: e.fields,
    template: e.template,
    anomaly: e.anomaly,
  };
}

function parseFields(v: SqlValue | undefined): Record<string, FieldValue> {
  if (typeof v !== 'string' || v === '') return {};
  try {
    const parsed: unknown = JSON.parse(v);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, FieldValue>)
      : {};
  } catch {
    return {};
  }
}
