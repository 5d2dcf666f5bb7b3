// Ranked incidents: the cells where signals fire (a template's bucket, a burst of errors, a host unlike its peers,
// a template falling silent) grouped when close in time, each with a one-line explanation a person can check.
import { SEVERITIES } from '../severity.ts';
import type { AnalysisModel, TemplateStats } from './model.ts';
import { poissonLowSurprise, saturate } from './robust.ts';
import { eventSignals } from './score.ts';
import { burstSignal, hostSignal, type Signal, type SignalKind } from './signals.ts';

export interface Finding {
  kind: SignalKind;
  /** Window (ms, UTC): start inclusive, end exclusive. Null for findings about the workspace as a whole. */
  start: number | null;
  end: number | null;
  score: number;
  template: number | null;
  host: string | null;
  explanation: string;
}

export interface Incident extends Finding {
  /** Everything grouped into this incident, strongest first (at most MAX_FINDINGS). */
  findings: Finding[];
  /** How many findings were grouped, including those not listed. */
  size: number;
}

export interface IncidentOptions {
  /** Findings scoring below this are left out (default: the anomaly threshold, 0.5). */
  minScore: number;
  /** Findings at most this many buckets apart join one incident. */
  gapBuckets: number;
  /** Template text for explanations (TemplateMiner.templates()). */
  describe: (id: number) => string | undefined;
}

const MAX_FINDINGS = 10;
/** Drops: busy templates only; surprise (-log10 p of so few) where a drop starts, and the excess reading 0.5. */
const DROP = { minMedian: 5, floor: 3, half: 3 };

export function findIncidents(model: AnalysisModel, opts: Partial<IncidentOptions> = {}): Incident[] {
  const o: IncidentOptions = { minScore: 0.5, gapBuckets: 1, describe: () => undefined, ...opts };
  const w = model.widthMs;
  const name = (id: number) => {
    const text = o.describe(id);
    return text === undefined ? `template ${id}` : `template ${id} "${clip(text, 80)}"`;
  };
  const timed: Finding[] = [];
  const standalone: Finding[] = [];
  for (const id of model.templateIds()) {
    const t = model.template(id);
    if (!t) continue;
    const severity = t.maxSeverity == null ? null : SEVERITIES[t.maxSeverity];
    for (const [bucket, c] of t.buckets) {
      const e = { template: id, ts: bucket * w, host: null, severity };
      const signals = eventSignals(model, e).filter((s) => s.kind !== 'error-burst');
      const score = combined(signals);
      const top = signals.find((s) => s.kind !== 'severity');
      if (!top || score < o.minScore) continue;
      timed.push({
        kind: top.kind,
        start: bucket * w,
        end: (bucket + 1) * w,
        score,
        template: id,
        host: null,
        explanation: explainTemplate(top, name(id), t, c, model),
      });
    }
    for (const f of drops(model, t, name(id))) if (f.score >= o.minScore) timed.push(f);
    for (const [host] of t.hosts) {
      const s = hostSignal(model, t, host);
      if (!s) continue;
      const score = combined([...eventSignals(model, { template: id, ts: null, host: null, severity }), s]);
      if (score < o.minScore) continue;
      standalone.push({
        kind: 'host-outlier',
        start: t.first * w,
        end: (t.last + 1) * w,
        score,
        template: id,
        host,
        explanation: `host ${host} logged ${name(id)} ${s.observed} times, ${round(s.expected)} expected from its peers`,
      });
    }
  }
  for (const [bucket, c] of model.errors) {
    const s = burstSignal(model, null, bucket);
    if (!s || s.strength < o.minScore) continue;
    timed.push({
      kind: 'error-burst',
      start: bucket * w,
      end: (bucket + 1) * w,
      score: round3(s.strength),
      template: null,
      host: null,
      explanation: `${c} events at error or above in ${duration(w)}, usually ${usual(s)}`,
    });
  }
  const incidents = [...group(timed, o.gapBuckets * w), ...standalone.map((f) => incidentOf([f]))];
  return incidents.sort((a, b) => b.score - a.score || b.size - a.size || (a.start ?? 0) - (b.start ?? 0));
}

function explainTemplate(s: Signal, name: string, t: TemplateStats, c: number, model: AnalysisModel): string {
  const w = model.widthMs;
  switch (s.kind) {
    case 'spike':
      return `${name} seen ${c} times in ${duration(w)}, usually ${usual(s)}`;
    case 'new-template': {
      const lead = (t.first - (model.firstBucket ?? t.first)) * w;
      return `${name} new: first seen ${duration(lead)} after the workspace began, ${c} times in ${duration(w)}`;
    }
    case 'rare-template':
      return `${name} rare: ${t.count} of ${model.total} events (${pct(t.count / model.total)})`;
    default:
      return `${name}: ${s.kind} ${c} in ${duration(w)}`;
  }
}

/** Buckets inside a busy template's active range where it fell far below its usual count while others went on. */
function drops(model: AnalysisModel, t: TemplateStats, name: string): Finding[] {
  const b = t.baseline;
  if (b.median < DROP.minMedian || t.last - t.first < 4) return [];
  const out: Finding[] = [];
  const w = model.widthMs;
  const busy = model.volumeBaseline.median / 2;
  for (let k = t.first + 1; k < t.last; k++) {
    const c = t.buckets.get(k) ?? 0;
    // Judged against the low end of its usual range (median less its spread), so a noisy template must fall far.
    const surprise = poissonLowSurprise(c, Math.max(0, b.median - b.spread));
    if (surprise <= DROP.floor || (model.volume.get(k) ?? 0) < busy) continue;
    out.push({
      kind: 'drop',
      start: k * w,
      end: (k + 1) * w,
      score: round3(saturate(surprise - DROP.floor, DROP.half)),
      template: t.id,
      host: null,
      explanation: `${name} seen ${c} times in ${duration(w)}, usually ${round(b.median)} ± ${round(b.spread)}`,
    });
  }
  return out;
}

function group(findings: Finding[], gapMs: number): Incident[] {
  findings.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  const out: Incident[] = [];
  let current: Finding[] = [];
  let end = -Infinity;
  for (const f of findings) {
    if (current.length > 0 && (f.start ?? 0) > end + gapMs) {
      out.push(incidentOf(current));
      current = [];
    }
    current.push(f);
    end = Math.max(current.length === 1 ? -Infinity : end, f.end ?? 0);
  }
  if (current.length > 0) out.push(incidentOf(current));
  return out;
}

function incidentOf(findings: Finding[]): Incident {
  const sorted = [...findings].sort((a, b) => b.score - a.score);
  const top = sorted[0];
  let start: number | null = null;
  let end: number | null = null;
  for (const f of findings) {
    if (f.start != null && (start == null || f.start < start)) start = f.start;
    if (f.end != null && (end == null || f.end > end)) end = f.end;
  }
  // The incident's window spans all its findings, but the explanation counts one bucket: name that bucket, so the
  // numbers can be checked (a merged window may well hold the very events a "drop" says were missing elsewhere).
  const explanation =
    findings.length > 1 && top.start != null && top.end != null
      ? `${top.explanation} (${stamp(top.start)} to ${stamp(top.end)})`
      : top.explanation;
  return { ...top, explanation, start, end, findings: sorted.slice(0, MAX_FINDINGS), size: findings.length };
}

/** A UTC minute, as the CLI and the interface print times: 2026-07-03 14:24. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function combined(signals: Signal[]): number {
  let keep = 1;
  for (const s of signals) keep *= 1 - s.strength;
  return round3(1 - keep);
}

function usual(s: Signal): string {
  return `${round(s.expected)} ± ${round(s.spread)}`;
}

/** A bucket width or lead time as people say it: 1 min, 4h 16m, 3 days. */
export function duration(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${Math.max(min, 0)} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 === 0 ? `${h}h` : `${h}h ${min % 60}m`;
  return `${Math.round(h / 24)} days`;
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function pct(x: number): string {
  return x >= 0.01 ? `${(x * 100).toFixed(1)}%` : `${(x * 100).toPrecision(2)}%`;
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
