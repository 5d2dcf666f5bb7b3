// The label-free signals behind every score. Each returns a strength in 0..1 (0: nothing unusual) together with
// the numbers a person needs to check it. Surprise is measured as -log10 of a Poisson tail against a robust
// baseline, so "3 instead of 0.01" and "400 instead of 40" are judged on one scale.
import type { AnalysisModel, TemplateStats } from './model.ts';
import { ERROR_RANK } from './model.ts';
import { poissonSurprise, saturate } from './robust.ts';

export type SignalKind =
  'new-template' | 'rare-template' | 'spike' | 'drop' | 'error-burst' | 'host-outlier' | 'severity';

export interface Signal {
  kind: SignalKind;
  strength: number;
  /** Observed count in the bucket (or for the host), and what was expected there. */
  observed: number;
  expected: number;
  spread: number;
}

/** Tuning in one place; every value is a property of counts, never of a particular log format. */
export const SIGNAL_TUNING = {
  /** Severity alone: a lone error says something, but an ordinary, steady stream of them is not news. */
  severityPrior: { warn: 0.1, error: 0.25, critical: 0.45 },
  /** Poisson surprise (-log10 p) needed before a count is unusual at all, and the excess that reads as 0.5. */
  surpriseFloor: 2,
  surpriseHalf: 3,
  /** A spike or burst needs at least this many events in its bucket. */
  minBurst: 3,
  /** Robust z-score (spread units above the median) where a spike starts, and the excess that reads as 0.5. */
  zFloor: 3,
  zHalf: 3,
  /** A template needs this many buckets of history before one of them can be a spike. */
  minHistory: 4,
  /** Events in a template's first bucket that make novelty read as 0.5. */
  newHalf: 3,
  /** Host outliers need this many events of the template on the host. */
  minHostEvents: 5,
  /** Rarity: a template's share of all events; strength 0 at 3% rising to 1 at 0.003%. */
  rareFrom: 1.5,
  rareRange: 3,
  /** Templates are judged new only when they first appear after this fraction of the workspace's span. */
  newAfter: 0.05,
  /** Workspaces smaller than this have no meaningful rarity. */
  minEvents: 100,
} as const;

const T = SIGNAL_TUNING;

export function severityPrior(rank: number | null): number {
  if (rank == null || rank < ERROR_RANK - 1) return 0;
  if (rank === ERROR_RANK - 1) return T.severityPrior.warn;
  if (rank === ERROR_RANK) return T.severityPrior.error;
  return T.severityPrior.critical;
}

function fromSurprise(surprise: number): number {
  return saturate(surprise - T.surpriseFloor, T.surpriseHalf);
}

/**
 * How rare the template is in the whole workspace. Templates born together with many others (a crash dump, a
 * release rewording its messages) share their rarity: together they are one unusual thing, not sixty.
 */
export function rareSignal(model: AnalysisModel, t: TemplateStats): Signal | null {
  if (model.total < T.minEvents) return null;
  let strength = clamp01((Math.log10(model.total / t.count) - T.rareFrom) / T.rareRange);
  if (strength <= 0) return null;
  if (bornLate(model, t)) strength /= Math.sqrt(Math.max(1, model.newTemplatesIn(t.first)));
  return { kind: 'rare-template', strength, observed: t.count, expected: model.total, spread: 0 };
}

function bornLate(model: AnalysisModel, t: TemplateStats): boolean {
  if (model.firstBucket == null) return false;
  return t.first - model.firstBucket >= Math.max(1, model.span * T.newAfter);
}

/**
 * The template first appeared well after the workspace began, and this is its first bucket. More events at once
 * weigh more; many templates appearing in the same bucket (a release rewording its messages) share the novelty.
 */
export function newSignal(model: AnalysisModel, t: TemplateStats, bucket: number): Signal | null {
  if (bucket !== t.first || !bornLate(model, t)) return null;
  const c = t.buckets.get(bucket) ?? 0;
  const strength = saturate(c, T.newHalf) / Math.sqrt(Math.max(1, model.newTemplatesIn(bucket)));
  return { kind: 'new-template', strength, observed: c, expected: 0, spread: 0 };
}

/**
 * The template's count in this bucket against its usual count in the buckets where it occurs. Logs are bursty:
 * judging a burst against an average that includes empty buckets would call every burst a spike.
 */
export function spikeSignal(t: TemplateStats, bucket: number): Signal | null {
  const c = t.buckets.get(bucket) ?? 0;
  if (c < T.minBurst || t.buckets.size < T.minHistory) return null;
  const b = t.baseline;
  // Poisson is too sure of itself for bursty counts: a robust z-score against the template's own spread.
  const z = (c - b.median) / Math.max(b.spread, Math.sqrt(b.median), 1);
  const strength = saturate(z - T.zFloor, T.zHalf);
  if (strength <= 0) return null;
  return { kind: 'spike', strength, observed: c, expected: b.median, spread: b.spread };
}

/**
 * Events at error severity or above in this bucket against the usual number in buckets that have any. Each
 * template carries the burst in proportion to its part of it: the lines that make a burst are the burst, a
 * one-off line caught up in it is only near it (the incident still lists it).
 */
export function burstSignal(model: AnalysisModel, t: TemplateStats | null, bucket: number): Signal | null {
  const c = model.errors.get(bucket) ?? 0;
  if (c < T.minBurst) return null;
  const b = model.errorBaseline;
  // With errors in only a few buckets, their own counts are no baseline: fall back to the rate elsewhere.
  const own = model.errors.size >= T.minHistory;
  const expected = own ? b.median + b.spread : (model.errorTotal - c) / Math.max(1, model.span - 1);
  const share = t ? Math.min(1, (t.buckets.get(bucket) ?? 0) / c) : 1;
  const strength = fromSurprise(poissonSurprise(c, expected)) * share;
  if (strength <= 0) return null;
  return own
    ? { kind: 'error-burst', strength, observed: c, expected: b.median, spread: b.spread }
    : { kind: 'error-burst', strength, observed: c, expected, spread: 0 };
}

/**
 * The host logs this template far more than its peers do, relative to how much each logs in all. Only for
 * templates more than one host logs: a template only one host writes is that host's own business.
 */
export function hostSignal(model: AnalysisModel, t: TemplateStats, host: string): Signal | null {
  if (t.hosts.size < 2 || model.hosts.size < 3) return null;
  const n = t.hosts.get(host) ?? 0;
  if (n < T.minHostEvents) return null;
  const hostTotal = model.hosts.get(host) ?? n;
  let hostedTotal = 0;
  for (const v of model.hosts.values()) hostedTotal += v;
  let hostedOfT = 0;
  for (const v of t.hosts.values()) hostedOfT += v;
  const peerRate = (hostedOfT - n + 0.5) / Math.max(1, hostedTotal - hostTotal);
  const expected = peerRate * hostTotal;
  const strength = fromSurprise(poissonSurprise(n, expected));
  if (strength <= 0) return null;
  return { kind: 'host-outlier', strength, observed: n, expected, spread: 0 };
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
