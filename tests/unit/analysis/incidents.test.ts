import { describe, expect, it } from 'vitest';
import { duration, findIncidents } from '../../../shared/analysis/incidents.ts';
import { MIN, T0, modelOf, steady, type Ev } from './synthetic.ts';

describe('incidents', () => {
  const base = [...steady(1, 0, 240, 2), ...steady(2, 0, 240, 3)];
  const spike = steady(1, 100, 101, 40).map((e) => ({ ...e, ts: e.ts + 50, severity: 'warn' as const }));
  const burst: Ev[] = [];
  for (let i = 0; i < 25; i++)
    burst.push({ template: 3, ts: T0 + 200 * MIN + i * 1000, host: 'h1', severity: 'critical' });
  const model = modelOf([...base, ...spike, ...burst]);
  const text = new Map([
    [1, 'GET <*> 200'],
    [2, 'heartbeat ok'],
    [3, 'disk <*> failed'],
  ]);
  const incidents = findIncidents(model, { describe: (id) => text.get(id), minScore: 0.3 });

  it('ranks incidents by score, strongest first', () => {
    expect(incidents.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < incidents.length; i++)
      expect(incidents[i - 1].score).toBeGreaterThanOrEqual(incidents[i].score);
  });

  it('explains a spike with the observed count, the window and the baseline median ± spread', () => {
    const s = incidents.find((i) => i.kind === 'spike' && i.template === 1);
    expect(s?.explanation).toBe('template 1 "GET <*> 200" seen 42 times in 1 min, usually 2 ± 0');
    expect(s?.start).toBe(T0 + 100 * MIN);
    expect(s?.end).toBe(T0 + 101 * MIN);
  });

  it('groups the new failing template and the burst of errors it makes into one incident', () => {
    const at200 = incidents.filter((i) => (i.start ?? 0) <= T0 + 200 * MIN && (i.end ?? 0) > T0 + 200 * MIN);
    expect(at200).toHaveLength(1);
    const kinds = at200[0].findings.map((f) => f.kind).sort();
    expect(kinds).toEqual(['error-burst', 'new-template']);
    const burstLine = at200[0].findings.find((f) => f.kind === 'error-burst')?.explanation;
    expect(burstLine).toBe('25 events at error or above in 1 min, usually 0 ± 0');
    expect(at200[0].findings.find((f) => f.kind === 'new-template')?.explanation).toMatch(
      /^template 3 "disk <\*> failed" new: first seen 3h 20m after the workspace began, 25 times in 1 min$/,
    );
  });

  it('names the counted bucket when an incident merges several findings, so its numbers can be checked', () => {
    const merged = incidents.find((i) => i.size > 1)!;
    const top = merged.findings[0];
    const at = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    expect(merged.explanation).toBe(`${top.explanation} (${at(top.start!)} to ${at(top.end!)})`);
  });

  it('reports a busy template falling silent as a drop', () => {
    const gap = [...steady(1, 0, 120, 20), ...steady(1, 61, 120, 0), ...steady(2, 0, 120, 20)].filter(
      (e) => !(e.template === 1 && e.ts >= T0 + 60 * MIN && e.ts < T0 + 61 * MIN),
    );
    const drops = findIncidents(modelOf(gap)).filter((i) => i.kind === 'drop');
    expect(drops).toHaveLength(1);
    expect(drops[0].explanation).toBe('template 1 seen 0 times in 1 min, usually 20 ± 0');
    expect(drops[0].start).toBe(T0 + 60 * MIN);
  });

  it('writes durations as people say them', () => {
    expect(duration(60_000)).toBe('1 min');
    expect(duration(256 * 60_000)).toBe('4h 16m');
    expect(duration(3 * 86_400_000)).toBe('3 days');
  });
});
