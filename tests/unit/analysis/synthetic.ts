// Small synthetic streams for the scorer tests: counts go through the real accumulator and model.
import { AnalysisAccumulator } from '../../../shared/analysis/accumulator.ts';
import { buildModel, type AnalysisModel } from '../../../shared/analysis/model.ts';
import { severityRank, type Severity } from '../../../shared/severity.ts';

export const MIN = 60_000;
export const T0 = Date.UTC(2024, 0, 1);

export interface Ev {
  template: number;
  ts: number;
  host: string | null;
  severity: Severity | null;
}

export function modelOf(events: Ev[]): AnalysisModel {
  const acc = new AnalysisAccumulator();
  for (const e of events)
    acc.add(e.template, e.ts, e.host, e.severity == null ? null : severityRank(e.severity));
  return buildModel(acc.toJSON());
}

/** `perMinute` events of `template` in each minute [from, to), spread over hosts in turn. */
export function steady(
  template: number,
  from: number,
  to: number,
  perMinute: number,
  hosts: string[] = ['h1'],
): Ev[] {
  const out: Ev[] = [];
  let k = 0;
  for (let m = from; m < to; m++) {
    for (let i = 0; i < perMinute; i++) {
      out.push({ template, ts: T0 + m * MIN + i * 100, host: hosts[k++ % hosts.length], severity: 'info' });
    }
  }
  return out;
}
