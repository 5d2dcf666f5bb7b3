// A figure: one measurement repeated n times, reduced to medians, with the count it produced and any failure.
import { medianOrNull, median, type Measured } from './process.ts';

export interface Figure {
  /** Median wall time over the repeats, seconds; null when not measured. */
  seconds: number | null;
  /** Median peak RSS over the repeats, KiB. */
  rssKb: number | null;
  /** The count the command produced (the same in every repeat, or `error` says otherwise). */
  count: number | null;
  /** Why there is no figure (tool missing or failed), or a count that changed between repeats. */
  error: string | null;
}

export interface Attempt {
  measured: Measured;
  count?: number | null;
  error?: string | null;
  /** Overrides measured.seconds (e.g. a time reported from inside the process). */
  seconds?: number | null;
}

export const NA: Figure = { seconds: null, rssKb: null, count: null, error: null };

export function unavailable(reason: string): Figure {
  return { ...NA, error: reason };
}

/** Runs `attempt` n times (stopping at the first failure) and reduces the results to a Figure. */
export async function repeat(n: number, attempt: (i: number) => Promise<Attempt>): Promise<Figure> {
  const seconds: number[] = [];
  const rss: (number | null)[] = [];
  const counts = new Set<number | null>();
  for (let i = 0; i < n; i++) {
    const a = await attempt(i);
    if (a.error) return { ...NA, error: a.error };
    seconds.push(a.seconds ?? a.measured.seconds);
    rss.push(a.measured.peakRssKb);
    counts.add(a.count ?? null);
  }
  const count = counts.size === 1 ? [...counts][0] : null;
  return {
    seconds: median(seconds),
    rssKb: medianOrNull(rss),
    count,
    error: counts.size > 1 ? `count changed between repeats: ${[...counts].join(', ')}` : null,
  };
}

/** Adds two figures' times (a two-step operation, e.g. ingest then first count); memory is the larger peak. */
export function sum(a: Figure, b: Figure): Figure {
  if (a.seconds == null || b.seconds == null) return { ...NA, error: a.error ?? b.error };
  return {
    seconds: a.seconds + b.seconds,
    rssKb: a.rssKb == null || b.rssKb == null ? (a.rssKb ?? b.rssKb) : Math.max(a.rssKb, b.rssKb),
    count: b.count,
    error: null,
  };
}
