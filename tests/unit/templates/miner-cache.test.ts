import { describe, expect, it } from 'vitest';
import { TemplateMiner } from '../../../shared/templates/index.ts';
import { loadLoghub, loghubDatasets } from './loghub-data.ts';
import { mulberry32 } from './edge-lines.ts';

const T0 = Date.UTC(2024, 0, 1);

/** Lines whose clusters widen (`()` then `(x)`), generalise (a third value) and fold into each other. */
function shiftingLines(count: number, seed: number): string[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const users = ['admin', 'test', 'oracle', 'guest', 'pi', 'ubuntu', 'git'];
  const words = ['initialization.', 'finalization.', 'shutdown.', 'startup.'];
  const shapes = [
    () => `Invalid user ${pick(users)} from 10.0.${Math.floor(rnd() * 9)}.${Math.floor(rnd() * 200)}`,
    () => `Ending TrustedInstaller ${pick(words)}`,
    () => `call ${pick(['()', '(x)', '(a,b)', '()'])} returned ${Math.floor(rnd() * 5)}`,
    () => `job ${pick(['alpha', 'beta', 'gamma', 'delta', 'eps'])} state ${pick(['ok', 'failed', 'queued'])}`,
    () => `${pick(['GET', 'PUT', 'POST'])} /api/v1/items/${Math.floor(rnd() * 1000)} ${pick(['200', '404'])}`,
    () =>
      `worker-${Math.floor(rnd() * 4)} ${pick(['started', 'stopped'])} after ${Math.floor(rnd() * 90)} ms`,
  ];
  return Array.from({ length: count }, () => pick(shapes)());
}

function mine(lines: string[], cacheSlots: number, restoreAt = -1): { ids: number[]; json: string } {
  let miner = new TemplateMiner(undefined, { cacheSlots });
  const ids = lines.map((m, i) => {
    if (i === restoreAt) miner = TemplateMiner.fromJSON(miner.toJSON());
    return miner.add(m, T0 + i * 1_000);
  });
  return { ids, json: JSON.stringify([miner.toJSON(), miner.templates()]) };
}

describe('TemplateMiner line cache', () => {
  it('gives the same ids, templates and snapshot with the cache as without, on every Loghub dataset', () => {
    for (const name of loghubDatasets()) {
      const { contents } = loadLoghub(name);
      const without = mine(contents, 0);
      expect(mine(contents, 8192), name).toEqual(without);
      expect(mine(contents, 2), name).toEqual(without); // a cache too small to hold much
    }
  });

  it('gives the same answers as without the cache while clusters widen, generalise and fold', () => {
    for (const seed of [1, 2, 3]) {
      const lines = shiftingLines(5_000, seed);
      const without = mine(lines, 0);
      expect(mine(lines, 8192)).toEqual(without);
      expect(mine(lines, 4)).toEqual(without);
    }
  });

  it('continues after a snapshot exactly as an uninterrupted miner without a cache', () => {
    const lines = shiftingLines(4_000, 9);
    expect(mine(lines, 8192, 1_700)).toEqual(mine(lines, 0));
  });
});
