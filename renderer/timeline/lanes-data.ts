// The data behind the Timeline's lanes: per host (or per source) counts per time bucket, split by severity into
// all events, warn and above, and error and above. Three bucket requests whatever the number of lanes.
import type { BucketResult } from '../../shared/api.ts';
import { useApi } from '../api/instance.ts';

export type LaneMode = 'host' | 'source';

/** The Timeline's x axis: the time span drawn and where it sits (CSS pixels), shared by the bars and the lanes. */
export interface TimeAxis {
  lo: number;
  hi: number;
  left: number;
  width: number;
}

export interface Lane {
  key: string;
  total: number;
  all: Map<number, number>;
  warn: Map<number, number>;
  error: Map<number, number>;
}

export interface LanesData {
  /** What the lanes are of (the choice may have changed since they were asked for). */
  mode: LaneMode;
  bucketMs: number;
  starts: number[];
  lanes: Lane[];
  /** Lanes left out (beyond MAX_LANES), with their events. */
  hidden: { lanes: number; events: number };
}

export const MAX_LANES = 12;

/** `query` narrowed to a minimum severity, keeping its own meaning (parenthesised). */
function atLeast(query: string, sev: 'warn' | 'error'): string {
  return query.trim() ? `(${query}) sev>=${sev}` : `sev>=${sev}`;
}

export async function loadLanes(
  mode: LaneMode,
  query: string,
  from: number,
  to: number,
  buckets: number,
): Promise<LanesData> {
  const api = useApi();
  const ask = (q: string) => api.buckets({ query: q, from, to, buckets, groupBy: mode });
  const [all, warn, error] = await Promise.all([
    ask(query),
    ask(atLeast(query, 'warn')),
    ask(atLeast(query, 'error')),
  ]);
  const byKey = new Map<string, Lane>();
  const lane = (key: string) => {
    let l = byKey.get(key);
    if (!l) byKey.set(key, (l = { key, total: 0, all: new Map(), warn: new Map(), error: new Map() }));
    return l;
  };
  const fill = (res: BucketResult, pick: (l: Lane) => Map<number, number>, counted: boolean) => {
    for (const b of res.buckets) {
      for (const [k, n] of Object.entries(b.counts)) {
        if (n <= 0) continue;
        const l = lane(k);
        pick(l).set(b.start, n);
        if (counted) l.total += n;
      }
    }
  };
  fill(all, (l) => l.all, true);
  fill(warn, (l) => l.warn, false);
  fill(error, (l) => l.error, false);
  const sorted = [...byKey.values()]
    .filter((l) => l.total > 0)
    .sort((a, b) => b.total - a.total || (a.key < b.key ? -1 : 1));
  const shown = sorted.slice(0, MAX_LANES);
  const rest = sorted.slice(MAX_LANES);
  return {
    mode,
    bucketMs: all.bucketMs,
    starts: all.buckets.map((b) => b.start),
    lanes: shown,
    hidden: { lanes: rest.length, events: rest.reduce((n, l) => n + l.total, 0) },
  };
}
