// Per-source clock offsets (shared/clock-offset.ts) on ClickHouse, applied at read time as the local store applies
// them (query/clock-offsets.ts): rows keep the times as logged, and every read that filters, orders, buckets or
// looks around by time uses the row's corrected time, `ts` plus its source's correction.
//
// The correction is a multiIf on source_id (ClickHouse 18.16 through current releases; every branch an Int64,
// so the sum stays Int64 whatever the literals). Time bounds keep partition pruning: the table is partitioned by
// day of the stored `ts`, so each bound on the corrected time also bounds the stored time, widened by the largest
// correction the other way (implied by the exact test, so adding it never changes which rows pass, under NOT
// included).
import { correctionsOf, type Corrections } from '../clock-offsets.ts';
import type { SourceInfo } from '../../../../shared/event.ts';

export interface CorrectedTime {
  /** SQL of a timed row's corrected time (`ts` when no source has an offset). */
  ts: string;
  /** The smallest and largest correction of any row (0 included: sources without an offset). */
  lo: number;
  hi: number;
  corrections: Corrections | null;
}

/** Stored time: no source corrected. */
export const PLAIN_TIME: CorrectedTime = { ts: 'ts', lo: 0, hi: 0, corrections: null };

/** The corrected time of the sources' rows (PLAIN_TIME when none has an offset). */
export function correctedTime(sources: readonly SourceInfo[]): CorrectedTime {
  const corrections = correctionsOf(sources);
  if (!corrections) return PLAIN_TIME;
  let lo = 0;
  let hi = 0;
  const branches: string[] = [];
  for (const [id, d] of [...corrections].sort((a, b) => a[0] - b[0])) {
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
    branches.push(`source_id = ${id}, toInt64(${d})`);
  }
  return { ts: `(ts + multiIf(${branches.join(', ')}, toInt64(0)))`, lo, hi, corrections };
}

/**
 * `corrected >= from` (when from is given) and `corrected < to` (when to is given) for timed rows, with the
 * stored-time bounds that let ClickHouse skip partitions.
 */
export function timeRange(t: CorrectedTime, from: number | null, to: number | null): string {
  const parts = ['timed = 1'];
  if (from != null) {
    const f = Math.floor(from);
    if (t.ts !== 'ts') parts.push(`ts >= ${f - t.hi}`);
    parts.push(`${t.ts} >= ${f}`);
  }
  if (to != null) {
    const c = Math.ceil(to);
    if (t.ts !== 'ts') parts.push(`ts < ${c - t.lo}`);
    parts.push(`${t.ts} < ${c}`);
  }
  return `(${parts.join(' AND ')})`;
}

/** `corrected BETWEEN from AND to` for timed rows, with its stored-time bounds. */
export function timeBetween(t: CorrectedTime, from: number, to: number): string {
  const raw = t.ts === 'ts' ? '' : `ts BETWEEN ${from - t.hi} AND ${to - t.lo} AND `;
  return `timed = 1 AND ${raw}${t.ts} BETWEEN ${from} AND ${to}`;
}

/** A stored time as its source's correction makes it (what rows read back show). */
export function correctStored(ts: number | null, sourceId: number, t: CorrectedTime): number | null {
  return ts == null || !t.corrections ? ts : ts + (t.corrections.get(sourceId) ?? 0);
}
