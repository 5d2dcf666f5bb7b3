// The BGL evaluation (npm run eval:anomalies) as a test: Flumen must beat "FATAL means alert" on line-level F1.
import { describe, expect, it } from 'vitest';
import { BASELINE_F1, evaluateBgl } from '../../../electron/engine/analysis/label-eval.ts';
import { LOGHUB } from '../../helpers/cli.ts';

describe('anomaly scores against BGL labels', () => {
  it('beats the severity baseline F1 of 0.58 at the default threshold', async () => {
    const r = await evaluateBgl(LOGHUB);
    expect(r.lines).toBe(2000);
    expect(r.baseline.precision).toBeCloseTo(0.412, 3);
    expect(r.baseline.recall).toBe(1);
    expect(r.baseline.f1).toBeCloseTo(0.584, 3);
    expect(r.flumen.f1).toBeGreaterThan(BASELINE_F1);
    // Every BGL line is scored, and every score is in 0..1.
    expect(r.scores).toHaveLength(2000);
    for (const s of r.scores) expect(s.score >= 0 && s.score <= 1).toBe(true);
  }, 60_000);
});
