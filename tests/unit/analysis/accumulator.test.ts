import { describe, expect, it } from 'vitest';
import { AnalysisAccumulator } from '../../../shared/analysis/accumulator.ts';
import { mulberry32 } from '../templates/edge-lines.ts';

const T0 = Date.UTC(2024, 0, 1);

interface Row {
  template: number | null;
  ts: number | null;
  host: string | null;
  sev: number | null;
}

function stream(count: number, seed: number): Row[] {
  const rnd = mulberry32(seed);
  const hosts = ['web-1', 'web-2', 'db', 'cache', null];
  let t = T0;
  return Array.from({ length: count }, () => {
    t += Math.floor(rnd() * 20_000);
    return {
      template: rnd() < 0.05 ? null : 1 + Math.floor(rnd() * 30),
      ts: rnd() < 0.03 ? null : rnd() < 0.05 ? t - Math.floor(rnd() * 3_600_000) : t,
      host: hosts[Math.floor(rnd() * hosts.length)],
      sev: rnd() < 0.2 ? null : Math.floor(rnd() * 9),
    };
  });
}

function feed(acc: AnalysisAccumulator, rows: Row[]): void {
  for (const r of rows) acc.add(r.template, r.ts, r.host, r.sev);
}

describe('AnalysisAccumulator', () => {
  it('lists hosts in the order first seen, in total and per template', () => {
    const acc = new AnalysisAccumulator();
    acc.add(1, T0, 'b', 2);
    acc.add(2, T0, 'a', 2);
    acc.add(1, T0, 'a', 2);
    acc.add(1, T0, 'b', 2);
    acc.add(null, T0, 'c', null);
    const s = acc.toJSON();
    expect(s.hosts).toEqual([
      ['b', 2],
      ['a', 2],
      ['c', 1],
    ]);
    expect(s.templates.map((t) => [t.id, t.hosts])).toEqual([
      [
        1,
        [
          ['b', 2],
          ['a', 1],
        ],
      ],
      [2, [['a', 1]]],
    ]);
  });

  it('continues from its snapshot exactly as one that kept running, widening and merged templates included', () => {
    const merge = (id: number): number => (id % 7 === 0 ? id - 1 : id);
    for (const maxCells of [300, 2_000, 400_000]) {
      const rows = stream(6_000, maxCells);
      const running = new AnalysisAccumulator({ maxCells });
      const stopped = new AnalysisAccumulator({ maxCells });
      feed(running, rows.slice(0, 2_500));
      feed(stopped, rows.slice(0, 2_500));
      running.compact(merge);
      stopped.compact(merge);
      const restored = AnalysisAccumulator.fromJSON(stopped.toJSON(), { maxCells });
      feed(running, rows.slice(2_500));
      feed(restored, rows.slice(2_500));
      expect(JSON.stringify(restored.toJSON())).toBe(JSON.stringify(running.toJSON()));
      expect(restored.toJSON().total).toBe(rows.length);
    }
  });

  it('keeps a host named only by a restored template out of the totals until it is counted', () => {
    const acc = new AnalysisAccumulator();
    acc.add(1, T0, 'a', 2);
    const snapshot = acc.toJSON();
    snapshot.templates[0].hosts.push(['ghost', 3]);
    const restored = AnalysisAccumulator.fromJSON(snapshot);
    expect(restored.toJSON().hosts).toEqual([['a', 1]]);
    restored.add(2, T0, 'ghost', 2);
    expect(restored.toJSON().hosts).toEqual([
      ['a', 1],
      ['ghost', 1],
    ]);
    expect(restored.toJSON().templates[0].hosts).toEqual([
      ['a', 1],
      ['ghost', 3],
    ]);
  });
});
