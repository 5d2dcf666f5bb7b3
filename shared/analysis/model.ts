// The workspace-level anomaly model: the accumulated counts (accumulator.ts) seen at one scoring bucket width,
// with per-template baselines computed lazily (a query touches only the templates of the events it returns).
import { BASE_BUCKET_MS, SEVERITY_SLOTS, type AnalysisSnapshot } from './accumulator.ts';
import { baselineOf, type Baseline } from './robust.ts';

/** At most this many scoring buckets span the workspace: a day of minutes, or a season of hours. */
export const TARGET_BUCKETS = 1440;
/** Severity rank of `error` (shared/severity.ts): at or above it an event counts towards error bursts. */
export const ERROR_RANK = 5;

export interface TemplateStats {
  id: number;
  count: number;
  /** Scoring-bucket index of the first and last bucket holding the template. */
  first: number;
  last: number;
  buckets: Map<number, number>;
  /** Counts per bucket over the buckets holding the template: how many at a time when it occurs at all. */
  baseline: Baseline;
  hosts: Map<string, number>;
  /** The severity rank most of its events carry, or null. */
  severity: number | null;
  /** The highest severity rank any of its events carries, or null. */
  maxSeverity: number | null;
}

export interface AnalysisModel {
  widthMs: number;
  total: number;
  /** First and last scoring bucket of the workspace (null when no event has a time). */
  firstBucket: number | null;
  lastBucket: number | null;
  /** Buckets spanned, at least 1. */
  span: number;
  hosts: Map<string, number>;
  volume: Map<number, number>;
  volumeBaseline: Baseline;
  /** Events at error severity or above, per bucket, and their baseline over the whole span. */
  errors: Map<number, number>;
  /** Errors per bucket over the buckets holding any (bursty logs are judged against their own bursts). */
  errorBaseline: Baseline;
  errorTotal: number;
  /** How many templates first appeared in `bucket` (a release changing many messages at once is one change). */
  newTemplatesIn(bucket: number): number;
  templateCount: number;
  aliases: Map<number, number>;
  /** Template ids in the model (resolved ids only). */
  templateIds(): number[];
  template(id: number | null): TemplateStats | null;
}

export function emptySnapshot(): AnalysisSnapshot {
  return {
    version: 1,
    bucketMs: BASE_BUCKET_MS,
    total: 0,
    tsMin: null,
    tsMax: null,
    hosts: [],
    volume: [],
    severity: Array.from({ length: SEVERITY_SLOTS }, () => []),
    templates: [],
    aliases: [],
  };
}

/** Builds the model; the scoring width is the stored width doubled until the workspace spans TARGET_BUCKETS or fewer. */
export function buildModel(s: AnalysisSnapshot): AnalysisModel {
  let factor = 1;
  if (s.tsMin != null && s.tsMax != null) {
    while ((s.tsMax - s.tsMin) / (s.bucketMs * factor) > TARGET_BUCKETS) factor *= 2;
  }
  const widthMs = s.bucketMs * factor;
  const regroup = (entries: Array<[number, number]>): Map<number, number> => {
    const m = new Map<number, number>();
    for (const [k, n] of entries) {
      const key = Math.floor(k / factor);
      m.set(key, (m.get(key) ?? 0) + n);
    }
    return m;
  };
  const firstBucket = s.tsMin == null ? null : Math.floor(s.tsMin / widthMs);
  const lastBucket = s.tsMax == null ? null : Math.floor(s.tsMax / widthMs);
  const span = firstBucket == null || lastBucket == null ? 1 : lastBucket - firstBucket + 1;

  const volume = regroup(s.volume);
  const errors = new Map<number, number>();
  let errorTotal = 0;
  for (let slot = ERROR_RANK + 1; slot < s.severity.length; slot++) {
    for (const [k, n] of regroup(s.severity[slot] ?? [])) {
      errors.set(k, (errors.get(k) ?? 0) + n);
      errorTotal += n;
    }
  }

  const raw = new Map(s.templates.map((t) => [t.id, t]));
  const cache = new Map<number, TemplateStats>();
  const aliases = new Map(s.aliases);
  let firsts: Map<number, number> | null = null;
  return {
    widthMs,
    total: s.total,
    firstBucket,
    lastBucket,
    span,
    hosts: new Map(s.hosts),
    volume,
    volumeBaseline: baselineWithZeros([...volume.values()], span - volume.size),
    errors,
    errorBaseline: baselineOf([...errors.values()]),
    errorTotal,
    newTemplatesIn(bucket) {
      if (firsts === null) {
        firsts = new Map();
        for (const t of s.templates) {
          let first = Infinity;
          for (const [k] of t.buckets) if (k < first) first = k;
          if (first === Infinity) continue;
          const key = Math.floor(first / factor);
          firsts.set(key, (firsts.get(key) ?? 0) + 1);
        }
      }
      return firsts.get(bucket) ?? 0;
    },
    templateCount: raw.size,
    aliases,
    templateIds: () => [...raw.keys()],
    template(id) {
      if (id == null) return null;
      const resolved = aliases.get(id) ?? id;
      let stats = cache.get(resolved);
      if (stats) return stats;
      const t = raw.get(resolved);
      if (!t) return null;
      const buckets = regroup(t.buckets);
      let first = Infinity;
      let last = -Infinity;
      for (const k of buckets.keys()) {
        if (k < first) first = k;
        if (k > last) last = k;
      }
      if (buckets.size === 0) first = last = 0;
      let mode: number | null = null;
      let maxSeverity: number | null = null;
      for (let slot = 1, best = 0; slot < t.sev.length; slot++) {
        if (t.sev[slot] > best) {
          best = t.sev[slot];
          mode = slot - 1;
        }
        if (t.sev[slot] > 0) maxSeverity = slot - 1;
      }
      stats = {
        id: resolved,
        count: t.count,
        first,
        last,
        buckets,
        baseline: baselineOf([...buckets.values()]),
        hosts: new Map(t.hosts),
        severity: mode,
        maxSeverity,
      };
      cache.set(resolved, stats);
      return stats;
    },
  };
}

/** Median and spread of `nonzero` together with `zeros` more zero counts, without materialising the zeros. */
export function baselineWithZeros(nonzero: number[], zeros: number): Baseline {
  const z = Math.max(0, zeros);
  const n = nonzero.length + z;
  if (n === 0) return { median: 0, spread: 0 };
  // More than half zeros: median and MAD are both 0, no sort needed (the common case for sparse templates).
  if (z * 2 > n) return { median: 0, spread: 0 };
  return baselineOf([...nonzero, ...new Array<number>(z).fill(0)]);
}
