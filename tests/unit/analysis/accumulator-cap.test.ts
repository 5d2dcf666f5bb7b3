// More templates than the cell cap: widening the buckets cannot get under it, so it must stop rather than loop.
import { describe, expect, it } from 'vitest';
import { AnalysisAccumulator } from '../../../shared/analysis/accumulator.ts';

describe('the anomaly counts under their cell cap', () => {
  it('stop widening when there are more templates than cells allowed', () => {
    const acc = new AnalysisAccumulator({ maxCells: 50 });
    for (let t = 0; t < 200; t++) acc.add(t, 1_700_000_000_000 + t * 60_000, 'h', 2);
    // Reaching here is the point; every event is still counted, each template in one bucket at most.
    const snap = acc.toJSON();
    expect(snap.total).toBe(200);
    expect(snap.templates).toHaveLength(200);
    expect(snap.templates.every((t) => t.count === 1 && t.buckets.length === 1)).toBe(true);
  });
});
