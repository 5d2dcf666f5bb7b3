// Timeline buckets have round widths (a person reads "5 min" bars, not "4 min 17 s" bars).

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// prettier-ignore
export const ROUND_WIDTHS_MS: readonly number[] = [
  1, 5, 10, 50, 100, 500,
  SECOND, 5 * SECOND, 10 * SECOND, 30 * SECOND,
  MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 180 * DAY, 365 * DAY,
];

/**
 * The smallest round width at least range/buckets, so the timeline never gets more bars than it asked for.
 * Past a year, whole multiples of 365 days.
 */
export function pickBucketMs(rangeMs: number, buckets: number): number {
  const raw = Math.max(1, rangeMs) / Math.max(1, buckets);
  for (const w of ROUND_WIDTHS_MS) if (w >= raw) return w;
  const year = 365 * DAY;
  return Math.ceil(raw / year) * year;
}

/** Start of the bucket holding `ts` (buckets are aligned on multiples of the width since the epoch, UTC). */
export function bucketStart(ts: number, bucketMs: number): number {
  return Math.floor(ts / bucketMs) * bucketMs;
}
