// Messages between the EventWriter (main thread) and its segment-builder workers.
import type { EventColumns } from './event-columns.ts';

/** A row of a segment's `sources` table. */
export interface SegmentSourceRow {
  id: number;
  uri: string;
  format: string | null;
}

export type BuilderRequest =
  /** Inserts a batch into segment `segId`, starting it when it is not the worker's open segment. */
  | { type: 'batch'; seq: number; segId: number; cols: EventColumns }
  /** Seals the open segment and writes it to `path` atomically. `sources` holds at least its sources. */
  | { type: 'seal'; seq: number; segId: number; path: string; sources: SegmentSourceRow[] };

/** What one segment added to one source. */
export interface SourceDelta {
  id: number;
  events: number;
  /** UTF-8 bytes of the raw text, one newline per event included. */
  bytes: number;
  tsMin: number | null;
  tsMax: number | null;
}

export interface SealedSegment {
  segId: number;
  events: number;
  bytes: number;
  tsMin: number | null;
  tsMax: number | null;
  untimed: number;
  sources: number[];
  hosts: string[];
  perSource: SourceDelta[];
}

export interface BuilderInit {
  /** For error messages only. */
  name: string;
}
