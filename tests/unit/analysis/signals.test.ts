import { describe, expect, it } from 'vitest';
import { AnalysisAccumulator } from '../../../shared/analysis/accumulator.ts';
import { eventSignals, scoreEvent } from '../../../shared/analysis/score.ts';
import { MIN, T0, modelOf, steady, type Ev } from './synthetic.ts';

const kinds = (model: ReturnType<typeof modelOf>, e: Ev) => eventSignals(model, e).map((s) => s.kind);

describe('anomaly scorer on synthetic streams', () => {
  it('scores an ordinary steady info stream near zero', () => {
    const events = steady(1, 0, 120, 5);
    const model = modelOf(events);
    for (const e of [events[0], events[300], events[599]]) expect(scoreEvent(model, e)).toBeLessThan(0.1);
  });

  it('flags a template that first appears late as new, in its first minute only', () => {
    const events = [...steady(1, 0, 120, 5), ...steady(2, 90, 120, 2)];
    const model = modelOf(events);
    const first = events.find((e) => e.template === 2) as Ev;
    const later = events.filter((e) => e.template === 2).at(-1) as Ev;
    expect(kinds(model, first)).toContain('new-template');
    expect(kinds(model, later)).not.toContain('new-template');
    // Novelty is a hint: an info line that is merely new stays below the threshold.
    expect(scoreEvent(model, first)).toBeLessThan(0.5);
  });

  it('flags a rare template, and a rare critical one above the threshold', () => {
    const events = [
      ...steady(1, 0, 200, 10),
      { template: 9, ts: T0 + 5 * MIN + 7, host: 'h1', severity: 'critical' as const },
    ];
    const model = modelOf(events);
    const rare = events.at(-1) as Ev;
    expect(kinds(model, rare)).toContain('rare-template');
    expect(scoreEvent(model, rare)).toBeGreaterThanOrEqual(0.5);
    expect(scoreEvent(model, { ...rare, template: 1 })).toBeLessThan(0.5);
  });

  it('flags a per-template spike against its usual count per minute', () => {
    const base = steady(1, 0, 120, 2);
    const spike = steady(1, 60, 61, 40).map((e) => ({ ...e, ts: e.ts + 50, severity: 'warn' as const }));
    const model = modelOf([...base, ...spike]);
    const signals = eventSignals(model, spike[0]);
    const s = signals.find((x) => x.kind === 'spike');
    expect(s?.observed).toBe(42);
    expect(s?.expected).toBe(2);
    expect(eventSignals(model, base[0]).find((x) => x.kind === 'spike')).toBeUndefined();
  });

  it('flags a burst of errors and scores the errors in it above the threshold', () => {
    const info = steady(1, 0, 240, 5);
    const scattered: Ev[] = [];
    for (let m = 0; m < 240; m += 20)
      scattered.push({ template: 2, ts: T0 + m * MIN + 1, host: 'h1', severity: 'error' });
    const burst: Ev[] = [];
    for (let i = 0; i < 30; i++)
      burst.push({ template: 3, ts: T0 + 130 * MIN + i * 1000, host: 'h1', severity: 'error' });
    const model = modelOf([...info, ...scattered, ...burst]);
    expect(kinds(model, burst[0])).toContain('error-burst');
    expect(scoreEvent(model, burst[0])).toBeGreaterThanOrEqual(0.5);
    expect(scoreEvent(model, scattered[0])).toBeLessThan(0.5);
  });

  it('flags a host logging a shared template far more than its peers', () => {
    const hosts = ['a', 'b', 'c', 'd', 'e'];
    const events = [...steady(1, 0, 100, 5, hosts), ...steady(2, 0, 100, 1, hosts)];
    // Host c repeats template 2 forty extra times, spread out so that no single minute spikes.
    for (let i = 0; i < 40; i++)
      events.push({ template: 2, ts: T0 + (i * 2 + 1) * MIN + 500, host: 'c', severity: 'info' });
    const model = modelOf(events);
    const outlier = events.at(-1) as Ev;
    const s = eventSignals(model, outlier).find((x) => x.kind === 'host-outlier');
    expect(s?.observed).toBe(60);
    expect(eventSignals(model, { ...outlier, host: 'a' }).some((x) => x.kind === 'host-outlier')).toBe(false);
  });

  it('does not call a template only one host writes a host outlier', () => {
    const events = [...steady(1, 0, 60, 5, ['a', 'b', 'c']), ...steady(2, 0, 60, 3, ['b'])];
    const model = modelOf(events);
    expect(kinds(model, events.at(-1) as Ev)).not.toContain('host-outlier');
  });

  it('keeps the counts order-independent when buckets widen under the cell cap', () => {
    const events = [...steady(1, 0, 600, 1), ...steady(2, 0, 600, 1), ...steady(3, 300, 600, 1)];
    const forward = new AnalysisAccumulator({ maxCells: 500 });
    const backward = new AnalysisAccumulator({ maxCells: 500 });
    for (const e of events) forward.add(e.template, e.ts, e.host, 2);
    for (const e of [...events].reverse()) backward.add(e.template, e.ts, e.host, 2);
    expect(forward.bucketMs).toBeGreaterThan(MIN);
    const norm = (s: ReturnType<AnalysisAccumulator['toJSON']>) =>
      JSON.stringify({
        ...s,
        volume: [...s.volume].sort((a, b) => a[0] - b[0]),
        severity: s.severity.map((x) => [...x].sort((a, b) => a[0] - b[0])),
        templates: s.templates.map((t) => ({ ...t, buckets: [...t.buckets].sort((a, b) => a[0] - b[0]) })),
      });
    expect(norm(backward.toJSON())).toBe(norm(forward.toJSON()));
  });

  it('folds merged templates into their survivor and still scores events carrying the old id', () => {
    const acc = new AnalysisAccumulator();
    for (const e of steady(1, 0, 10, 3)) acc.add(1, e.ts, e.host, 2);
    for (const e of steady(2, 0, 10, 3)) acc.add(2, e.ts, e.host, 2);
    acc.compact((id) => (id === 2 ? 1 : id));
    const s = acc.toJSON();
    expect(s.templates.map((t) => [t.id, t.count])).toEqual([[1, 60]]);
    expect(s.aliases).toEqual([[2, 1]]);
  });
});
