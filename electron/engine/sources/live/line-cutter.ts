// Cuts the complete lines out of a chunk read from a live source. Unlike readLines (one pass over a finished
// stream), a live reader must leave a trailing partial line for the next read: the writer is still writing it.
import type { RawRecord } from '../types.ts';

export interface CutLines {
  records: RawRecord[];
  /** Bytes of the chunk covered by the records (up to and including the last newline). */
  consumed: number;
  /** Line number the next record gets. */
  nextLine: number;
}

/** Lines longer than this are cut into pieces of this size (memory stays bounded). */
export const MAX_LINE_BYTES = 1024 * 1024;
const NL = 0x0a;
const CR = 0x0d;

/**
 * Lines of buf[0, end) whose first byte is at `baseOffset` in the source. `final` also emits a trailing partial
 * line (the source will not grow any more: a drained rotated file, a closed connection).
 */
export function cutLines(
  buf: Buffer,
  end: number,
  baseOffset: number,
  firstLine: number,
  final: boolean,
): CutLines {
  const records: RawRecord[] = [];
  let line = firstLine;
  let start = 0;
  while (start < end) {
    let nl = buf.indexOf(NL, start);
    if (nl < 0 || nl >= end) nl = -1;
    let stop: number;
    let next: number;
    if (nl >= 0 && nl - start <= MAX_LINE_BYTES) {
      stop = nl;
      next = nl + 1;
    } else if (end - start >= MAX_LINE_BYTES) {
      stop = start + MAX_LINE_BYTES;
      next = stop;
    } else if (final) {
      stop = end;
      next = end;
    } else break;
    const textEnd = stop > start && buf[stop - 1] === CR ? stop - 1 : stop;
    const rec: RawRecord = {
      text: buf.toString('utf8', start, textEnd),
      offset: baseOffset + start,
      line: line++,
    };
    if (next === stop && stop - start >= MAX_LINE_BYTES) rec.truncated = true;
    records.push(rec);
    start = next;
  }
  return { records, consumed: start, nextLine: line };
}
