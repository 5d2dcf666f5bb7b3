// Scores every line of a log file through the real pipeline (ingest into a temporary workspace, then the
// workspace model) and compares the flags with line labels: the engine side of `npm run eval:anomalies`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { csvRecords } from '../../../shared/templates/index.ts';
import { confusion, type Confusion } from '../../../shared/analysis/evaluate.ts';
import { ANOMALY_THRESHOLD, eventSignals, scoreEvent } from '../../../shared/analysis/score.ts';
import { ingest } from '../pipeline/ingest.ts';
import { Workspace } from '../store/index.ts';
import { queryEvents } from '../query/index.ts';
import { loadModel } from './analysis-store.ts';

export const BASELINE_F1 = 0.58;

export interface LineScore {
  line: number;
  score: number;
  severity: string | null;
  template: number | null;
  signals: string;
}

/** Ingests `logFile` into a fresh temporary workspace and scores every stored event; the workspace is removed. */
export async function scoreFile(logFile: string): Promise<LineScore[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-eval-anomalies-'));
  try {
    const ws = await Workspace.open(dir, { create: true });
    try {
      await ingest(ws, { inputs: [logFile] });
      const events = await queryEvents(ws.reader(), ws.sources(), '', { limit: 2 ** 53 });
      const model = loadModel(ws.dir);
      return events.map((e) => ({
        line: e.line ?? 0,
        score: scoreEvent(model, e),
        severity: e.severity,
        template: e.template,
        signals: eventSignals(model, e)
          .map((s) => `${s.kind}:${s.strength.toFixed(2)}`)
          .join(' '),
      }));
    } finally {
      await ws.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface BglResult {
  flumen: Confusion;
  baseline: Confusion;
  lines: number;
  scores: LineScore[];
  labels: Map<number, { alert: boolean; level: string }>;
}

/** Flumen and the severity baseline against BGL's labels, line by line (LineId ↔ line number). */
export async function evaluateBgl(dataDir: string): Promise<BglResult> {
  const logFile = path.join(dataDir, 'BGL', 'BGL_2k.log');
  const rows = csvRecords(fs.readFileSync(path.join(dataDir, 'BGL', 'BGL_2k.log_structured.csv'), 'utf8'));
  const labels = new Map(rows.map((r) => [Number(r.LineId), { alert: r.Label !== '-', level: r.Level }]));
  const scores = await scoreFile(logFile);
  const byLine = new Map(scores.map((s) => [s.line, s.score]));
  const lines = [...labels.keys()].sort((a, b) => a - b);
  const actual = lines.map((l) => (labels.get(l) as { alert: boolean }).alert);
  const flumen = confusion(
    lines.map((l) => (byLine.get(l) ?? 0) >= ANOMALY_THRESHOLD),
    actual,
  );
  const baseline = confusion(
    lines.map((l) => (labels.get(l) as { level: string }).level === 'FATAL'),
    actual,
  );
  return { flumen, baseline, lines: lines.length, scores, labels };
}
