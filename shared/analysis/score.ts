// Every event's anomaly score in 0..1, from its template, time bucket, host and severity against the workspace
// model. Computed at read time, so an event's score does not depend on where its file happened to start.
import { severityRank, type Severity } from '../severity.ts';
import { ERROR_RANK, type AnalysisModel, type TemplateStats } from './model.ts';
import {
  burstSignal,
  hostSignal,
  newSignal,
  rareSignal,
  severityPrior,
  spikeSignal,
  type Signal,
} from './signals.ts';

/** What scoring needs of an event (a LogEvent or an EventRow with `ts` in ms). */
export interface ScoredEvent {
  template: number | null;
  ts: number | null;
  host: string | null;
  severity: Severity | null;
}

/** The default threshold: events scoring at or above it are anomalous. */
export const ANOMALY_THRESHOLD = 0.5;

/** Rarity and novelty are hints, not verdicts: on their own they stay below the threshold. */
const WEIGHTS = { 'rare-template': 0.5, 'new-template': 0.5 } as const;

/**
 * How far an event's statistics may alarm, by what it says about itself: a flood of debug lines is worth a look,
 * a flood of errors is worth a page. Events without a severity count as info.
 */
function statisticsWeight(rank: number | null): number {
  if (rank == null || rank <= ERROR_RANK - 2) return 0.5;
  if (rank === ERROR_RANK - 1) return 0.7;
  if (rank === ERROR_RANK) return 0.85;
  return 1;
}

/**
 * Where an event's signals come from, each from the fewest of its parts it depends on. The model computes them
 * afresh (`modelEvidence`); a caller scoring many events memoises them (the engine's `anomaly>=x` filter), since most
 * events share their template's bucket and host signals with others.
 */
export interface Evidence {
  rare(t: TemplateStats): Signal | null;
  fresh(t: TemplateStats, bucket: number): Signal | null;
  spike(t: TemplateStats, bucket: number): Signal | null;
  host(t: TemplateStats, host: string): Signal | null;
  burst(t: TemplateStats | null, bucket: number): Signal | null;
}

/** The signals straight from the model. */
export function modelEvidence(model: AnalysisModel): Evidence {
  return {
    rare: (t) => rareSignal(model, t),
    fresh: (t, bucket) => newSignal(model, t, bucket),
    spike: (t, bucket) => spikeSignal(t, bucket),
    host: (t, host) => hostSignal(model, t, host),
    burst: (t, bucket) => burstSignal(model, t, bucket),
  };
}

/** The signals that fire for one event, strongest first. */
export function eventSignals(
  model: AnalysisModel,
  e: ScoredEvent,
  evidence: Evidence = modelEvidence(model),
): Signal[] {
  const out: Signal[] = [];
  const rank = e.severity == null ? null : severityRank(e.severity);
  const prior = severityPrior(rank);
  if (prior > 0) out.push({ kind: 'severity', strength: prior, observed: rank ?? 0, expected: 0, spread: 0 });
  const w = statisticsWeight(rank);
  const t = model.template(e.template);
  const bucket = e.ts == null ? null : Math.floor(e.ts / model.widthMs);
  if (t) {
    push(out, evidence.rare(t), w * WEIGHTS['rare-template']);
    if (bucket != null) {
      push(out, evidence.fresh(t, bucket), w * WEIGHTS['new-template']);
      push(out, evidence.spike(t, bucket), w);
    }
    if (e.host != null) push(out, evidence.host(t, e.host), w);
  }
  // A burst of errors marks the errors in it, not the ordinary lines logged alongside.
  if (bucket != null && rank != null && rank >= ERROR_RANK) push(out, evidence.burst(t, bucket), w);
  return out.sort((a, b) => b.strength - a.strength);
}

/** The event's anomaly score: the signals combined as independent evidence (noisy-OR). */
export function scoreEvent(model: AnalysisModel, e: ScoredEvent, evidence?: Evidence): number {
  let keep = 1;
  for (const s of eventSignals(model, e, evidence)) keep *= 1 - s.strength;
  return Math.round((1 - keep) * 1000) / 1000;
}

/** Evidence weaker than this is left out: many faint hints must not add up to an alarm. */
const MIN_STRENGTH = 0.1;

function push(out: Signal[], s: Signal | null, weight: number): void {
  if (!s || s.strength * weight < MIN_STRENGTH) return;
  out.push(weight === 1 ? s : { ...s, strength: s.strength * weight });
}
