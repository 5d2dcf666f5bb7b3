// Per-source clock offsets (shared/clock-offset.ts) applied at read time. Segments keep the times as logged; the
// query stage reads a row's corrected time as an SQL expression of its stored time and source, and widens each
// segment's manifest time range by the corrections of the sources it holds, so pruning, grouping and merging
// (which all work from those ranges) stay right. With no offset anywhere every expression is the plain `ev.ts`
// and every segment entry is the manifest's own object: the SQL is exactly what it is without this module.
//
// Cost when an offset is set: a segment holding a corrected source is ordered and bounded by an expression, which
// SQLite's time index cannot serve, so its listing sorts the matching rows instead of walking the index.
import type { SourceInfo } from '../../../shared/event.ts';
import { segmentMayMatch } from '../store/segment-reader.ts';
import type { SegmentFilter, SegmentMeta, SegmentReader } from '../store/types.ts';

/** Milliseconds added to each stored time of a source (minus its clock offset), for sources with an offset only. */
export type Corrections = ReadonlyMap<number, number>;

/** The stored time column: the corrected time of every source without an offset. */
export const STORED_TS = 'ev.ts';

/** The sources' corrections, or null when no source has an offset (the usual case). */
export function correctionsOf(sources: readonly SourceInfo[]): Corrections | null {
  let out: Map<number, number> | null = null;
  for (const s of sources) {
    const offset = s.clockOffsetMs ?? 0;
    if (offset !== 0) (out ??= new Map()).set(s.id, -offset);
  }
  return out;
}

/**
 * SQL for a row's corrected time over `ev`: for a segment holding `sourceIds` (or, without them, for any
 * segment). `ev.ts` when none of them is corrected, one addition when all share a correction, else a CASE on the
 * row's source. NULL stays NULL, so untimed rows stay untimed.
 */
export function timeSql(corr: Corrections | null, sourceIds?: readonly number[]): string {
  if (!corr) return STORED_TS;
  const ids = sourceIds ?? [...corr.keys()];
  const shifts = ids.map((id) => corr.get(id) ?? 0);
  if (shifts.every((d) => d === 0)) return STORED_TS;
  if (sourceIds && shifts.every((d) => d === shifts[0])) return `(ev.ts + ${shifts[0]})`;
  const cases = ids
    .filter((id) => (corr.get(id) ?? 0) !== 0)
    .map((id) => `WHEN ${id} THEN ${corr.get(id)}`)
    .join(' ');
  return `(ev.ts + CASE ev.source_id ${cases} ELSE 0 END)`;
}

/**
 * The segment's manifest entry with its time range in corrected time: widened by the smallest and largest
 * correction of its sources (a bound, exact when one correction applies). The entry itself when none applies.
 */
export function correctedMeta(meta: SegmentMeta, corr: Corrections | null): SegmentMeta {
  if (!corr || meta.tsMin == null || meta.tsMax == null || meta.sources.length === 0) return meta;
  let lo = Infinity;
  let hi = -Infinity;
  for (const id of meta.sources) {
    const d = corr.get(id) ?? 0;
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  if (lo === 0 && hi === 0) return meta;
  return { ...meta, tsMin: meta.tsMin + lo, tsMax: meta.tsMax + hi };
}

/**
 * The segments that may hold events passing the filter, whose time bounds are in corrected time: the manifest
 * prunes by source and host, the corrected ranges by time. reader.segments(filter) itself when nothing is corrected.
 */
export function candidateSegments(
  reader: SegmentReader,
  filter: SegmentFilter,
  corr: Corrections | null,
): SegmentMeta[] {
  if (!corr) return reader.segments(filter);
  const { from, to, ...rest } = filter;
  return reader
    .segments(rest)
    .map((m) => correctedMeta(m, corr))
    .filter((m) => segmentMayMatch(m, { from, to }));
}

/** A stored time as its source's correction makes it. */
export function correctedTs(ts: number | null, sourceId: number, corr: Corrections | null): number | null {
  return ts == null || !corr ? ts : ts + (corr.get(sourceId) ?? 0);
}

/** The stored time of a corrected one (to find the event in its segment again). */
export function storedTs(ts: number | null, sourceId: number, corr: Corrections | null): number | null {
  return ts == null || !corr ? ts : ts - (corr.get(sourceId) ?? 0);
}
