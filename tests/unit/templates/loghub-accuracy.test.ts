import { describe, expect, it } from 'vitest';
import { groupingAccuracy, TemplateMiner } from '../../../shared/templates/index.ts';
import { loadLoghub, loghubDatasets } from './loghub-data.ts';

// The miner gets no per-dataset settings: one configuration must generalise to all of them.
function accuracyOn(name: string): number {
  const { contents, events } = loadLoghub(name);
  const miner = new TemplateMiner();
  const ids = contents.map((m) => miner.add(m, null)).map((id) => miner.resolve(id));
  return groupingAccuracy(ids, events);
}

describe('grouping accuracy on the Loghub 2k datasets', () => {
  const names = loghubDatasets();
  const scores = new Map(names.map((n) => [n, accuracyOn(n)]));

  it('covers all eleven datasets', () => {
    expect(names).toHaveLength(11);
  });

  it.each(names)('reaches at least 0.75 on %s', (name) => {
    expect(scores.get(name)).toBeGreaterThanOrEqual(0.75);
  });

  it('averages at least 0.90', () => {
    const avg = [...scores.values()].reduce((a, b) => a + b, 0) / scores.size;
    expect(avg).toBeGreaterThanOrEqual(0.9);
  });
});
