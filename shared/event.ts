// The event model shared by the engine, the command line and the renderer.
import type { Severity } from './severity.ts';

export type FieldValue = string | number | boolean | null;

/** One log event as the store keeps it. Times are milliseconds since the epoch, UTC. */
export interface LogEvent {
  /** Event time (ms, UTC), or null when the line carries none we could read. */
  ts: number | null;
  host: string | null;
  sourceId: number;
  /** 1-based line number of the event's first line in its source, where the source has lines. */
  line: number | null;
  /** Byte offset of the event's first line in its source (for context and resumption). */
  offset: number;
  severity: Severity | null;
  message: string;
  /** The whole original text (all lines of a multi-line event). */
  raw: string;
  fields: Record<string, FieldValue>;
  /** Mined template id, or null before mining. */
  template: number | null;
  /** Anomaly score 0..1. */
  anomaly: number;
}

/** The JSON shape of one event on `flumen query --json` and in the API (DESIGN.md). */
export interface EventRecord {
  ts: string | null;
  host: string | null;
  source: string;
  line: number | null;
  severity: Severity | null;
  message: string;
  template: number | null;
  anomaly: number;
  fields: Record<string, FieldValue>;
}

export type SourceKind = 'file' | 'archive-member' | 'stdin' | 'tail' | 'syslog' | 'ssh';

/** What the workspace knows about one source. */
export interface SourceInfo {
  id: number;
  /** Path, `archive.tar.gz!/var/log/syslog` for a member, `stdin:`, or a URI (ssh://, udp://…). */
  uri: string;
  kind: SourceKind;
  format: string | null;
  /** Why that format was chosen ("detected: 20/20 sample lines match", "forced by --format"). */
  formatReason: string | null;
  /** IANA zone or fixed offset used for zone-less timestamps. */
  timezone: string | null;
  /** Content identity used to skip re-ingesting the same input. */
  fingerprint: string | null;
  size: number | null;
  mtimeMs: number | null;
  events: number;
  bytes: number;
  tsMin: number | null;
  tsMax: number | null;
  errors: string[];
  /**
   * How far the source's clock was ahead of true time (ms; negative: behind), as a person set it
   * (shared/clock-offset.ts). Absent means 0. Stored times stay as logged; every read subtracts it, and
   * `tsMin`/`tsMax` above stay as logged too.
   */
  clockOffsetMs?: number;
}

/** A source as first registered: what is known of it, with nothing counted yet (the store adds the counts). */
export function newSource(
  known: Pick<SourceInfo, 'uri' | 'kind'> & Partial<Omit<SourceInfo, 'id'>>,
): Omit<SourceInfo, 'id'> {
  return {
    format: null,
    formatReason: null,
    timezone: null,
    fingerprint: null,
    size: null,
    mtimeMs: null,
    events: 0,
    bytes: 0,
    tsMin: null,
    tsMax: null,
    errors: [],
    ...known,
  };
}

export function toEventRecord(e: LogEvent, sourceUri: string): EventRecord {
  return {
    ts: e.ts == null ? null : new Date(e.ts).toISOString(),
    host: e.host,
    source: sourceUri,
    line: e.line,
    severity: e.severity,
    message: e.message,
    template: e.template,
    anomaly: e.anomaly,
    fields: e.fields,
  };
}
