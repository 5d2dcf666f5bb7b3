// The workspace's ranked anomalies and templates as the API and the command line show them.
import type { AnomalyRow, TemplateRow } from '../../../shared/api.ts';
import { findIncidents } from '../../../shared/analysis/incidents.ts';
import type { AnalysisModel } from '../../../shared/analysis/model.ts';
import type { LogEvent, SourceInfo } from '../../../shared/event.ts';
import { scoreEvent } from '../../../shared/analysis/score.ts';
import type { AnomalyScorer } from '../query/anomaly-filter.ts';
import { modelScorer } from './model-scorer.ts';
import { loadModel } from './analysis-store.ts';
import { loadMiner } from './template-store.ts';

export function templateRows(workspaceDir: string): TemplateRow[] {
  return loadMiner(workspaceDir)
    .templates()
    .sort((a, b) => b.count - a.count || a.id - b.id)
    .map((t) => ({
      id: t.id,
      template: t.template,
      count: t.count,
      firstSeen: t.firstSeen,
      lastSeen: t.lastSeen,
      example: t.example,
    }));
}

/**
 * Incident windows (and the templates' first and last seen) are in logged time: the model counted events into
 * time buckets at ingest, across all sources, so a source's clock offset set later cannot move them (one bucket
 * mixes sources). Only per-event times follow the offsets (query/clock-offsets.ts).
 */
export function anomalyRows(
  workspaceDir: string,
  opts: { minScore?: number; limit?: number } = {},
): AnomalyRow[] {
  const model = loadModel(workspaceDir);
  const miner = loadMiner(workspaceDir);
  const text = new Map(miner.templates().map((t) => [t.id, t.template]));
  const incidents = findIncidents(model, { minScore: opts.minScore ?? 0.5, describe: (id) => text.get(id) });
  return incidents.slice(0, opts.limit ?? incidents.length).map((inc, i) => ({
    rank: i + 1,
    start: inc.start,
    end: inc.end,
    kind: inc.kind,
    score: inc.score,
    template: inc.template,
    templateText: inc.template == null ? null : (text.get(inc.template) ?? null),
    host: inc.host,
    explanation: inc.explanation,
    size: inc.size,
    related: inc.findings.slice(1).map((f) => ({
      kind: f.kind,
      score: f.score,
      template: f.template,
      host: f.host,
      explanation: f.explanation,
    })),
  }));
}

/**
 * Fills each event's `anomaly` from the workspace model (stored events carry 0: scores are read-time). The model
 * counted events at ingest by their logged times, so an event shown at a clock-corrected time is scored at its
 * logged one: pass the sources the times were corrected with (the same score `anomaly>=…` filters on).
 */
export function withScores<
  E extends Pick<LogEvent, 'template' | 'host' | 'severity' | 'anomaly' | 'sourceId'> & {
    tsMs?: number | null;
    ts: unknown;
  },
>(workspaceDir: string, events: E[], sources: readonly SourceInfo[] = []): E[] {
  if (events.length === 0) return events;
  const model = loadModel(workspaceDir);
  const offsets = new Map(sources.map((s) => [s.id, s.clockOffsetMs ?? 0]));
  for (const e of events) {
    const shown = 'tsMs' in e ? (e.tsMs ?? null) : (e.ts as number | null);
    const ts = shown == null ? null : shown + (offsets.get(e.sourceId) ?? 0);
    e.anomaly = scoreEvent(model, { template: e.template, ts, host: e.host, severity: e.severity });
  }
  return events;
}

/**
 * One scorer per model (the model is rebuilt when analysis.json changes, and then so is its scorer): its memos
 * are bounded, and its ceilings and SQL gates (query/anomaly-gate.ts), ~0.1-0.2 s to work out on a 2M-event
 * workspace, are then paid once per model rather than once per request.
 */
const scorers = new WeakMap<AnalysisModel, AnomalyScorer>();

function scorerOf(model: AnalysisModel): AnomalyScorer {
  let scorer = scorers.get(model);
  if (!scorer) scorers.set(model, (scorer = modelScorer(model)));
  return scorer;
}

/**
 * Scores for `anomaly>=…` terms in one read (query/anomaly-filter.ts), from the workspace's current model, loaded
 * on the first row scored (a read without such a term never loads it).
 */
export function anomalyScorer(workspaceDir: string): AnomalyScorer {
  let scorer: AnomalyScorer | null = null;
  const model = (): AnomalyScorer => (scorer ??= scorerOf(loadModel(workspaceDir)));
  const score: AnomalyScorer = (template, ts, host, sevRank) => model()(template, ts, host, sevRank);
  score.ceiling = (template, sevRank) => model().ceiling!(template, sevRank);
  score.known = () => model().known!();
  score.bucketMs = () => model().bucketMs!();
  return score;
}
