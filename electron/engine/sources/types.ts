// What a source hands to the channel: raw lines with where they came from. No parsing happens here.

/** One raw line (or one datagram/message for network sources). */
export interface RawRecord {
  text: string;
  /** Byte offset of the line's first byte within its source. */
  offset: number;
  /** 1-based line number within its source. */
  line: number;
  /** True when the line was longer than the cap and was cut (the rest was skipped, memory stays bounded). */
  truncated?: boolean;
}

/** A batch of raw records from one source: the unit the channel moves. */
/**
 * Lines packed for a trip between threads: joined by '\n' (a line never holds one), and per line its byte offset
 * and line number; `truncated` lists the indexes of lines cut at the length cap.
 */
export interface PackedLines {
  text: string;
  offsets: Float64Array;
  lines: Float64Array;
  truncated: number[];
}

export interface RawBatch {
  sourceId: number;
  records: RawRecord[];
  /** Bytes these records cover in the source (for progress and counters). */
  bytes: number;
  /** Receive time (ms) for live sources; null for files. */
  receivedAt?: number | null;
}

/** An input found while expanding the command line's paths: a file, an archive member or stdin. */
export interface InputItem {
  /** Stable display URI: path, `outer.tar.gz!/inner/path` for members (nested with further `!/`), or `stdin:`. */
  uri: string;
  kind: 'file' | 'archive-member' | 'stdin';
  size: number | null;
  mtimeMs: number | null;
  /** Decompressed byte stream of the input. For archive members it must be consumed before the next item. */
  open(): NodeJS.ReadableStream;
}

/** An input that was passed over, with the reason, for the ingest summary. */
export interface SkippedInput {
  uri: string;
  reason: string;
  /** 'skipped' for expected cases (binary member), 'error' for bad input (corrupt, hostile, unreadable). */
  severity: 'skipped' | 'error';
}
