// The parse stage's contract: raw records in, events (without store ids) out.
import type { LogEvent } from '../../../shared/event.ts';
import type { RawRecord } from '../sources/types.ts';

/**
 * A parsed event is already a whole LogEvent (one object per event from parser to store): the parser leaves
 * `sourceId` 0, `template` null and `anomaly` 0, and the sink fills them in.
 */
export type ParsedEvent = LogEvent;

export interface ParseContext {
  uri: string;
  /** Modification time of the file or archive member: anchors the year of year-less timestamps. */
  mtimeMs: number | null;
  /** Zone for zone-less timestamps: IANA name or `+HH:MM`; default the machine's. */
  timezone?: string | null;
  /** Forced format name (manual override); detection is skipped. */
  format?: string | null;
  /** Folders to load user-defined formats (*.json) from. */
  formatDirs?: string[];
}

/** A per-source parser: stateful (multi-line joining, year roll-over), fed records in source order. */
export interface SourceParser {
  readonly format: string;
  readonly reason: string;
  /** Returns the events completed by this record (a multi-line event completes when the next one starts). */
  push(record: RawRecord): ParsedEvent[];
  /** push() for the ingest hot path: the record's parts in, the completed events appended to `out`. */
  pushLine(text: string, offset: number, line: number, truncated: boolean, out: ParsedEvent[]): void;
  /** Returns the last pending event at the end of the source. */
  flush(): ParsedEvent[];
}
