// Reduces measured durations (frame times, Enter → rows times) to the figures the grid table prints. Pure, so the
// unit tests check it on known inputs.

/** A frame slower than this is a visible stall; the bar: p95 frame time at most this. */
export const SLOW_FRAME_MS = 50;

export interface FrameStats {
  frames: number;
  medianMs: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  /** Frames that took longer than SLOW_FRAME_MS. */
  slow: number;
}

/** The median of the values (the mean of the middle two for an even count); null for none. */
export function medianMs(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The nearest-rank percentile (p in 0..100): the smallest value with at least p% of values at or below it. */
export function percentileMs(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1];
}

export function frameStats(durations: readonly number[]): FrameStats {
  let max: number | null = null;
  let slow = 0;
  for (const d of durations) {
    if (max == null || d > max) max = d;
    if (d > SLOW_FRAME_MS) slow++;
  }
  return {
    frames: durations.length,
    medianMs: medianMs(durations),
    p95Ms: percentileMs(durations, 95),
    maxMs: max,
    slow,
  };
}

/** Milliseconds for a table cell: one decimal below 100 ms, whole ms below 10 s, else seconds. */
export function formatMs(ms: number | null): string {
  if (ms == null) return 'n/a';
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
