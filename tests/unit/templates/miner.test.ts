import { describe, expect, it } from 'vitest';
import { TemplateMiner } from '../../../shared/templates/index.ts';
import { loadLoghub, loghubDatasets } from './loghub-data.ts';

const T0 = Date.UTC(2024, 0, 1);

function mineAll(miner: TemplateMiner, lines: string[], from = 0): number[] {
  return lines.map((m, i) => miner.add(m, T0 + (from + i) * 7_000));
}

describe('TemplateMiner', () => {
  it('groups lines that differ only in masked variables under one template', () => {
    const miner = new TemplateMiner();
    const a = miner.add('Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106', null);
    const b = miner.add('Receiving block blk_7503483334202473044 src: /10.251.71.16:51590', null);
    expect(b).toBe(a);
    expect(miner.templates()).toMatchObject([
      { id: a, template: 'Receiving block blk_<*> src: /<*>:<*>', count: 2 },
    ]);
  });

  it('keeps two-valued words apart and turns a position variable once it shows three values', () => {
    const miner = new TemplateMiner();
    const init = miner.add('Ending TrustedInstaller initialization.', null);
    const fin = miner.add('Ending TrustedInstaller finalization.', null);
    expect(fin).not.toBe(init);
    const admin = miner.add('Invalid user admin from 1.2.3.4', null);
    const test = miner.add('Invalid user test from 1.2.3.5', null);
    expect(test).not.toBe(admin);
    const oracle = miner.add('Invalid user oracle from 1.2.3.6', null);
    // The third value folds the younger cluster into the oldest; its id now resolves to the survivor.
    expect(oracle).toBe(admin);
    expect(miner.resolve(test)).toBe(admin);
    expect(miner.resolve(admin)).toBe(admin);
    expect(miner.add('Invalid user test from 9.9.9.9', null)).toBe(admin);
    const t = miner.templates().find((x) => x.id === admin);
    expect(t).toMatchObject({
      template: 'Invalid user <*> from <*>',
      count: 4,
      example: 'Invalid user admin from 1.2.3.4',
    });
  });

  it('keeps an id naming the same cluster while its template generalises', () => {
    const miner = new TemplateMiner();
    const id = miner.add('connection from 24.54.76.216 () at Fri Jun 17 07:07:00 2005', null);
    // `(<*>)` covers the empty `()`: the template widens and the id stays.
    expect(miner.add('connection from 10.0.0.1 (10.0.0.1) at Fri Jun 17 07:07:01 2005', null)).toBe(id);
    expect(miner.templates()[0].template).toBe('connection from <*> (<*>) at <*> <*> <*> <*>:<*>:<*> <*>');
    // A slot that holds a variable takes digit-free values too.
    expect(miner.add('connection from 10.0.0.2 (topspot.net) at Sat Jun 18 07:07:01 2005', null)).toBe(id);
    expect(miner.templates().map((t) => t.id)).toEqual([id]);
  });

  it('tracks first and last seen, an example and per-minute buckets', () => {
    const miner = new TemplateMiner();
    const id = miner.add('disk full on 3', T0 + 61_000);
    miner.add('disk full on 4', T0 + 5_000);
    miner.add('disk full on 5', T0 + 62_000);
    miner.add('disk full on 6', null);
    const [t] = miner.templates();
    expect(t).toEqual({
      id,
      template: 'disk full on <*>',
      count: 4,
      firstSeen: T0 + 5_000,
      lastSeen: T0 + 62_000,
      example: 'disk full on 3',
      buckets: [
        [T0, 1],
        [T0 + 60_000, 2],
      ],
    });
  });

  it('bounds buckets per template by evicting the earliest-created one', () => {
    const miner = new TemplateMiner({ maxBuckets: 3 });
    for (let m = 0; m < 5; m++) miner.add(`tick ${m}`, T0 + m * 60_000);
    const [t] = miner.templates();
    expect(t.count).toBe(5);
    expect(t.buckets).toEqual([
      [T0 + 120_000, 1],
      [T0 + 180_000, 1],
      [T0 + 240_000, 1],
    ]);
  });

  it('is deterministic: the same input order gives the same ids and templates', () => {
    const { contents } = loadLoghub('Android');
    const a = new TemplateMiner();
    const b = new TemplateMiner();
    expect(mineAll(a, contents)).toEqual(mineAll(b, contents));
    expect(b.templates()).toEqual(a.templates());
  });

  it.each(loghubDatasets())('resumes %s from JSON with the same ids as one uninterrupted run', (name) => {
    const { contents } = loadLoghub(name);
    const whole = new TemplateMiner();
    const expected = mineAll(whole, contents);
    for (const cut of [1, 700, 1500]) {
      const first = new TemplateMiner();
      const ids = mineAll(first, contents.slice(0, cut));
      const stored = JSON.stringify(first);
      const resumed = TemplateMiner.fromJSON(JSON.parse(stored));
      expect(resumed.templates()).toEqual(first.templates());
      ids.push(...mineAll(resumed, contents.slice(cut), cut));
      expect(ids).toEqual(expected);
      expect(resumed.templates()).toEqual(whole.templates());
      expect(ids.map((id) => resumed.resolve(id))).toEqual(expected.map((id) => whole.resolve(id)));
    }
  });

  it('refuses a snapshot of an unknown version', () => {
    expect(() => TemplateMiner.fromJSON({ version: 2 } as never)).toThrow(/unsupported version 2/);
  });
});
