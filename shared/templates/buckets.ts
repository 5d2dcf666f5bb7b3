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

/**
 * A template's counts per bucket. Events of one template mostly arrive in the same bucket as the one before, so
 * those are counted in `pending` and added to the Map only when another bucket comes or the counts are read: one
 * comparison per event instead of a Map lookup and store. The Map sees inserts and evictions in the same order
 * as addToBuckets would give it event by event.
 */
export class TimeBuckets {
  private readonly map: Map<number, number>;
  /** The bucket of the latest event, and events in it not yet added to the Map. */
  private lastKey = NaN;
  private pending = 0;

  constructor(entries?: Iterable<[number, number]>) {
    this.map = new Map(entries);
  }

  add(ts: number, opts: BucketOptions): void {
    const key = Math.floor(ts / opts.bucketMs);
    if (key === this.lastKey) {
      this.pending++;
      return;
    }
    this.settle();
    addToBuckets(this.map, ts, 1, opts);
    this.lastKey = key;
  }

  /** Adds every bucket of `from` into these (two clusters merging), oldest first. */
  merge(from: TimeBuckets, opts: BucketOptions): void {
    mergeBuckets(this.counts(), from.counts(), opts);
    // The merge may have evicted the latest bucket: the next event goes through addToBuckets again.
    this.lastKey = NaN;
  }

  /** The counts by bucket index, in insertion order. */
  counts(): Map<number, number> {
    this.settle();
    return this.map;
  }

  private settle(): void {
    if (this.pending === 0) return;
    // A bucket evicted as soon as it came (maxBuckets 0) stays out, as addToBuckets would leave it.
    const prev = this.map.get(this.lastKey);
    if (prev !== undefined) this.map.set(this.lastKey, prev + this.pending);
    this.pending = 0;
  }
}
