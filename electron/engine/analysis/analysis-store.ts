// The workspace's anomaly counts (analysis.json beside templates.json) and the model built from them. The counts
// travel with the template miner: loaded with it, fed by the sink next to it, saved with it after each commit.
import fs from 'node:fs';
import path from 'node:path';
import { AnalysisAccumulator, type AnalysisSnapshot } from '../../../shared/analysis/accumulator.ts';
import { buildModel, emptySnapshot, type AnalysisModel } from '../../../shared/analysis/model.ts';
import { writeFileAtomicSync } from '../store/atomic-write.ts';

export const ANALYSIS_FILE = 'analysis.json';

function readSnapshot(workspaceDir: string): AnalysisSnapshot | null {
  const file = path.join(workspaceDir, ANALYSIS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    return JSON.parse(text) as AnalysisSnapshot;
  } catch (err) {
    throw new Error(`${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

export function loadAccumulator(workspaceDir: string): AnalysisAccumulator {
  const s = readSnapshot(workspaceDir);
  return s ? AnalysisAccumulator.fromJSON(s) : new AnalysisAccumulator();
}

/** Saves the counts, first folding templates the miner merged (`resolve`) into their survivors. */
export function saveAccumulator(
  workspaceDir: string,
  acc: AnalysisAccumulator,
  resolve: (id: number) => number,
): void {
  acc.compact(resolve);
  writeFileAtomicSync(path.join(workspaceDir, ANALYSIS_FILE), Buffer.from(JSON.stringify(acc.toJSON())));
}

const models = new Map<string, { stamp: string; model: AnalysisModel }>();

/**
 * The workspace's model, rebuilt only when analysis.json changed since the last call (a stat per call, so a
 * long-lived service sees what `flumen ingest` or `flumen collect` committed in another process).
 */
export function loadModel(workspaceDir: string): AnalysisModel {
  const file = path.join(workspaceDir, ANALYSIS_FILE);
  let stamp = '';
  try {
    const st = fs.statSync(file);
    stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    // No analysis yet (an empty workspace, or one ingested before analysis existed): an empty model.
  }
  const cached = models.get(workspaceDir);
  if (cached && cached.stamp === stamp) return cached.model;
  const model = buildModel(readSnapshot(workspaceDir) ?? emptySnapshot());
  models.set(workspaceDir, { stamp, model });
  return model;
}
