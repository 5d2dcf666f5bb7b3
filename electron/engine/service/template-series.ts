// Sparkline data for the Templates view: each template's events in equal slices of its own life (first to last
// seen), read from the anomaly model's per-template counts (already in memory), so no query runs per template.
// Its own span rather than the workspace's: a workspace mixing a 2008 cluster log with this year's syslog would
// squash every sparkline into one bar at either end; where it sits in time is what the First seen column says.
import type { AnalysisModel } from '../../../shared/analysis/model.ts';

/** Slices per sparkline: enough to show a burst or a gap, few enough to draw in a narrow cell. */
export const SERIES_SLICES = 48;

/** The template's counts in SERIES_SLICES slices of its [first, last] buckets; [] when none has a time. */
export function templateSeries(model: AnalysisModel, templateId: number): number[] {
  const stats = model.template(templateId);
  if (!stats || stats.buckets.size === 0) return [];
  const span = stats.last - stats.first + 1;
  const out = new Array<number>(SERIES_SLICES).fill(0);
  for (const [bucket, n] of stats.buckets) {
    const slice = Math.floor(((bucket - stats.first) * SERIES_SLICES) / span);
    out[Math.min(SERIES_SLICES - 1, Math.max(0, slice))] += n;
  }
  return out;
}
