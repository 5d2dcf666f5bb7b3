// Per-template counts per time bucket, kept sparse and bounded.
//
// Buckets are keyed by floor(ts / bucketMs) in a Map. When a template has more than `maxBuckets` buckets
// the earliest-created one is evicted (Map keeps insertion order; logs arrive roughly in time order, so
// that is the oldest). Evicted buckets only lose their time detail: the template's total count stays.

export interface BucketOptions {
  /** Width of one bucket in milliseconds (default one minute). */
  bucketMs: number;
  /** Most buckets kept per template (default 1440: a day of minutes). */
  maxBuckets: number;
}

export const DEFAULT_BUCKETS: BucketOptions = { bucketMs: 60_000, maxBuckets: 1440 };

export function addToBuckets(buckets: Map<number, number>, ts: number, n: number, opts: BucketOptions): void {
  const key = Math.floor(ts / opts.bucketMs);
  const prev = buckets.get(key);
  if (prev !== undefined) {
    buckets.set(key, prev + n);
    return;
  }
  buckets.set(key, n);
  if (buckets.size > opts.maxBuckets) {
    const oldest = buckets.keys().next().value as number;
    buckets.delete(oldest);
  }
}

/** Adds every bucket of `from` into `into` (used when two clusters merge), oldest first. */
export function mergeBuckets(
  into: Map<number, number>,
  from: Map<number, number>,
  opts: BucketOptions,
): void {
  const keys = [...from.keys()].sort((a, b) => a - b);
  for (const k of keys) addToBuckets(into, k * opts.bucketMs, from.get(k) as number, opts);
}
