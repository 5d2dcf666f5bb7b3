// The workspace's ranked anomalies and templates as the API and the command line show them.
import type { AnomalyRow, TemplateRow } from '../../../shared/api.ts';
import { findIncidents } from '../../../shared/analysis/incidents.ts';
import type { LogEvent } from '../../../shared/event.ts';
import { scoreEvent } from '../../../shared/analysis/score.ts';
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

/** Fills each event's `anomaly` from the workspace model (stored events carry 0: scores are read-time). */
export function withScores<
  E extends Pick<LogEvent, 'template' | 'host' | 'severity' | 'anomaly'> & {
    tsMs?: number | null;
    ts: unknown;
  },
>(workspaceDir: string, events: E[]): E[] {
  if (events.length === 0) return events;
  const model = loadModel(workspaceDir);
  for (const e of events) {
    const ts = 'tsMs' in e ? (e.tsMs ?? null) : (e.ts as number | null);
    e.anomaly = scoreEvent(model, { template: e.template, ts, host: e.host, severity: e.severity });
  }
  return events;
}
