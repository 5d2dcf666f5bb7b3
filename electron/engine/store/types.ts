// The store's contract with the pipeline (writing) and the query stage (reading).
import type { Database } from 'sql.js';
import type { LogEvent, SourceInfo } from '../../../shared/event.ts';
import type { EventColumns } from './event-columns.ts';

/** One sealed segment as the manifest records it. */
export interface SegmentMeta {
  id: number;
  /** File name relative to the workspace's `segments/` folder. */
  file: string;
  events: number;
  /** Size of the file on disk. */
  bytes: number;
  tsMin: number | null;
  tsMax: number | null;
  /** Events without a timestamp in this segment (they match no time bound). */
  untimed: number;
  sources: number[];
  hosts: string[];
}

/** The workspace manifest (`flumen.json`), replaced atomically on every commit. */
export interface Manifest {
  version: 1;
  createdAt: string;
  sources: SourceInfo[];
  segments: SegmentMeta[];
}

/** Filters a query may use to skip whole segments before loading them. */
export interface SegmentFilter {
  from?: number | null;
  to?: number | null;
  sourceIds?: number[] | null;
  hosts?: string[] | null;
}

/** Accepts events and makes them durable. The pipeline's sink. */
export interface EventWriter {
  /** Accepts a batch into the open segment (resolves once the segment builder has it). */
  append(events: LogEvent[]): Promise<void>;
  /** Seals what is open, writes the segment files and the manifest: after this resolves, the events are durable. */
  commit(): Promise<void>;
  close(): Promise<void>;
}

/** A writer that also takes batches already packed into columns (a one-shot ingest's parse worker packs them). */
export interface ColumnWriter extends EventWriter {
  appendColumns(cols: EventColumns): Promise<void>;
}

/** Read access to sealed segments, within a memory cap. */
export interface SegmentReader {
  /** Sealed segments that may hold events passing the filter, oldest first. */
  segments(filter?: SegmentFilter): SegmentMeta[];
  /** Runs fn with the segment's database loaded (from a bounded cache). Do not keep the Database. */
  withSegment<T>(meta: SegmentMeta, fn: (db: Database) => T): Promise<T>;
  /**
   * Runs fn with the segment's word index (its `.terms.sqlite` sidecar, see term-index.ts) loaded, without loading
   * the segment; terms is null when the segment has none (it is then searched by scanning).
   */
  withTerms<T>(meta: SegmentMeta, fn: (terms: SegmentTerms | null) => T): Promise<T>;
}

/** One word's entry in a terms sidecar: how many rows hold it, and their ids (delta + LEB128, postings.ts). */
export interface TermEntry {
  n: number;
  rows: Uint8Array;
}

/** A segment's terms sidecar, read (store/terms-file.ts). Keys are folded words (shared/words.ts). */
export interface SegmentTerms {
  get(term: string): TermEntry | null;
  /** Every term in [from, to) in order (UTF-8 byte order); fn returns false to stop. */
  range(from: string, to: string, fn: (term: string, entry: TermEntry) => boolean | void): void;
  /** A value of the sidecar's meta table (`events`, `segment_id`, …). */
  meta(key: string): string | null;
}
