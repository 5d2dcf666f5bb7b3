import { describe, expect, it } from 'vitest';
import { Tally } from '../../../shared/analysis/tally.ts';
import { mulberry32 } from '../templates/edge-lines.ts';

describe('Tally', () => {
  it('counts like one Map update per bump, keys in the order first seen, and says which bumps are new', () => {
    const rnd = mulberry32(3);
    const want = new Map<number, number>();
    const got = new Tally();
    let key = 100;
    for (let i = 0; i < 5_000; i++) {
      if (rnd() < 0.1) key = Math.floor(rnd() * 300); // runs of one key, then a jump
      const isNew = !want.has(key);
      want.set(key, (want.get(key) ?? 0) + 1);
      expect(got.bump(key)).toBe(isNew);
      if (i % 700 === 0) expect([...got.counts()]).toEqual([...want]);
    }
    expect([...got.counts()]).toEqual([...want]);
    expect(got.size).toBe(want.size);
  });

  it('counts on from edits made through counts() once told they changed', () => {
    const t = new Tally([[1, 5]]);
    t.bump(2);
    t.bump(2);
    const m = t.counts();
    m.clear();
    m.set(1, 10);
    t.changed();
    t.bump(2);
    t.bump(1);
    expect([...t.counts()]).toEqual([
      [1, 11],
      [2, 1],
    ]);
  });
});
