// One LogEvent as one JSONEachRow line of `flumen_events` (schema.ts), and back.
import type { FieldValue, LogEvent } from '../../../../shared/event.ts';
import { severityFromRank, severityRank } from '../../../../shared/severity.ts';
import type { EventColumns } from '../event-columns.ts';
import { deriveField, needsRealText, type RealText } from './field-values.ts';

/** Finite for JSON: SQLite's CAST gives ±Infinity past the double range; the largest double compares the same
 * against every finite number a query can write. */
function finite(n: number): number {
  return Number.isFinite(n) ? n : n > 0 ? Number.MAX_VALUE : n < 0 ? -Number.MAX_VALUE : 0;
}

/** True when some event has a field whose text needs RealText (load it before eventRow). */
export function needsReals(events: LogEvent[]): boolean {
  for (const e of events) for (const k in e.fields) if (needsRealText(e.fields[k])) return true;
  return false;
}

/** JSON of the strings that repeat on every row (hosts, source URIs), made once. */
const jsonCache = new Map<string, string>();
function cachedJson(text: string): string {
  let j = jsonCache.get(text);
  if (j === undefined) {
    if (jsonCache.size > 10_000) jsonCache.clear();
    jsonCache.set(text, (j = JSON.stringify(text)));
  }
  return j;
}

/**
 * The row as one JSONEachRow line. Written out by hand rather than JSON.stringify of an object: this runs for
 * every event on the ingest thread, and building the object first costs about twice as much.
 */
export function eventRow(e: LogEvent, seq: number, sourceUri: string, reals: RealText): string {
  let names = '';
  let numbers = '';
  let texts = '';
  let kinds = '';
  let fields = '""';
  let first = true;
  for (const name in e.fields) {
    const d = deriveField(e.fields[name], reals);
    const sep = first ? '' : ',';
    names += sep + JSON.stringify(name);
    numbers += sep + JSON.stringify(finite(d.number));
    texts += sep + JSON.stringify(d.text);
    kinds += sep + d.kinds;
    first = false;
  }
  // No fields: empty, as the local store's NULL (the events view shows NULL for both).
  if (!first) fields = JSON.stringify(JSON.stringify(e.fields));
  const ts = e.ts == null ? 0 : Math.floor(e.ts);
  // Most formats' message is the raw line's tail: only where it starts is sent, in UTF-8 bytes (ClickHouse
  // 18.16's substringUTF8 takes only a constant start; substring counts bytes and takes a column).
  const raw = e.raw;
  const msg = e.message;
  const tail = msg.length <= raw.length && raw.endsWith(msg);
  return (
    `{"seq":${seq},"ts":${ts},"timed":${e.ts == null ? 0 : 1},` +
    `"host":${e.host == null ? '""' : cachedJson(e.host)},"host_null":${e.host == null ? 1 : 0},` +
    `"source_id":${e.sourceId},"source":${cachedJson(sourceUri)},"line":${e.line ?? 0},"off":${e.offset},` +
    `"sev":${e.severity == null ? -1 : severityRank(e.severity)},` +
    `"raw":${JSON.stringify(raw)},"message":${tail ? '""' : JSON.stringify(msg)},` +
    `"msg_at":${tail ? Buffer.byteLength(raw) - Buffer.byteLength(msg) : -1},"fields":${fields},` +
    `"template":${e.template ?? -1},"field_names":[${names}],"field_numbers":[${numbers}],` +
    `"field_texts":[${texts}],"field_kinds":[${kinds}]}`
  );
}

/** The columns read back for an event, in this order (rowEvent's input). */
export const READ_COLUMNS =
  'seq, ts, timed, host, host_null, source_id, line, off, sev, raw, ' +
  'if(msg_at < 0, message, substring(raw, msg_at + 1)) AS message_text, fields, template';

export interface ReadRow {
  seq: number;
  ts: number;
  timed: number;
  host: string;
  host_null: number;
  source_id: number;
  line: number;
  off: number;
  sev: number;
  raw: string;
  message_text: string;
  fields: string;
  template: number;
}

export function rowEvent(r: ReadRow): LogEvent {
  return {
    ts: r.timed ? Number(r.ts) : null,
    host: r.host_null ? null : r.host,
    sourceId: Number(r.source_id),
    line: Number(r.line) === 0 ? null : Number(r.line),
    offset: Number(r.off),
    severity: severityFromRank(r.sev < 0 ? null : r.sev),
    raw: r.raw,
    message: r.message_text,
    fields: parseFields(r.fields),
    template: r.template < 0 ? null : Number(r.template),
    anomaly: 0,
  };
}

function parseFields(text: string): Record<string, FieldValue> {
  if (!text) return {};
  const v: unknown = JSON.parse(text);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, FieldValue>) : {};
}

/**
 * The events of a batch packed into columns (store/event-columns.ts: the one-shot ingest's parse worker sends
 * those), back as LogEvents: ClickHouse wants rows, not the segment builders' columns.
 */
export function eventsFromColumns(cols: EventColumns): LogEvent[] {
  const { n, nums, ints, hosts, text } = cols;
  const out: LogEvent[] = new Array(n);
  const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const rawLen = ints[2 * n + i];
    const raw = text.slice(at, (at += rawLen));
    const msgLen = ints[3 * n + i];
    const message = msgLen < 0 ? raw.slice(ints[4 * n + i]) : text.slice(at, (at += msgLen));
    const fieldsLen = ints[5 * n + i];
    const fields = fieldsLen < 0 ? {} : parseFields(text.slice(at, (at += fieldsLen)));
    const host = ints[n + i];
    out[i] = {
      ts: orNull(nums[i]),
      host: host < 0 ? null : hosts[host],
      sourceId: nums[3 * n + i],
      line: orNull(nums[n + i]),
      offset: nums[2 * n + i],
      severity: severityFromRank(ints[i] < 0 ? null : ints[i]),
      raw,
      message,
      fields,
      template: orNull(nums[4 * n + i]),
      anomaly: nums[5 * n + i],
    };
  }
  return out;
}
