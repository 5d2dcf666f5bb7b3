import { describe, expect, it } from 'vitest';
import { addToBuckets, mergeBuckets, TimeBuckets } from '../../../shared/templates/buckets.ts';
import { mulberry32 } from './edge-lines.ts';

/** Timestamps mostly in order, a minute or a few apart, with some late ones. */
function times(count: number, seed: number): number[] {
  const rnd = mulberry32(seed);
  let t = Date.UTC(2024, 0, 1);
  return Array.from({ length: count }, () => {
    t += Math.floor(rnd() * 40_000);
    return rnd() < 0.05 ? t - Math.floor(rnd() * 600_000) : t;
  });
}

describe('TimeBuckets', () => {
  it('counts like addToBuckets event by event, evictions and their order included', () => {
    for (const maxBuckets of [0, 1, 3, 50, 1440]) {
      const opts = { bucketMs: 60_000, maxBuckets };
      const want = new Map<number, number>();
      const got = new TimeBuckets();
      for (const [i, ts] of times(3_000, maxBuckets + 1).entries()) {
        addToBuckets(want, ts, 1, opts);
        got.add(ts, opts);
        if (i % 500 === 0) expect([...got.counts()]).toEqual([...want]);
      }
      expect([...got.counts()]).toEqual([...want]);
    }
  });

  it('merges like mergeBuckets and goes on counting right after', () => {
    const opts = { bucketMs: 60_000, maxBuckets: 5 };
    const [a, b] = [times(400, 7), times(400, 8)];
    const want = new Map<number, number>();
    const wantFrom = new Map<number, number>();
    const got = new TimeBuckets();
    const gotFrom = new TimeBuckets();
    for (let i = 0; i < 400; i++) {
      addToBuckets(want, a[i], 1, opts);
      got.add(a[i], opts);
      addToBuckets(wantFrom, b[i], 1, opts);
      gotFrom.add(b[i], opts);
    }
    mergeBuckets(want, wantFrom, opts);
    got.merge(gotFrom, opts);
    // The merge evicted the latest bucket: the next event in it must start it again, not count into it unseen.
    const next = a[399];
    expect(want.has(Math.floor(next / 60_000))).toBe(false);
    addToBuckets(want, next, 1, opts);
    got.add(next, opts);
    expect([...got.counts()]).toEqual([...want]);
  });
});
