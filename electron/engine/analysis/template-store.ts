// The workspace's template miner: loaded at the start of an ingest, saved after the store commits, so reopening a
// workspace mines nothing again and new lines get the same template ids as one uninterrupted run would give.
// The anomaly counts (analysis-store.ts) are mining state too: they load, grow and save together with the miner.
import fs from 'node:fs';
import path from 'node:path';
import { TemplateMiner, type MinerSnapshot } from '../../../shared/templates/index.ts';
import type { AnalysisAccumulator } from '../../../shared/analysis/accumulator.ts';
import { writeFileAtomicSync } from '../store/atomic-write.ts';
import { loadAccumulator, saveAccumulator } from './analysis-store.ts';

export const TEMPLATES_FILE = 'templates.json';

/** The counts loaded with each miner (a miner made elsewhere, as in tests, has none). */
const accumulators = new WeakMap<TemplateMiner, AnalysisAccumulator>();

export function loadMiner(workspaceDir: string): TemplateMiner {
  const miner = readMiner(workspaceDir);
  accumulators.set(miner, loadAccumulator(workspaceDir));
  return miner;
}

/** The anomaly counts that travel with `miner`, or null when it was not loaded from a workspace. */
export function analysisFor(miner: TemplateMiner): AnalysisAccumulator | null {
  return accumulators.get(miner) ?? null;
}

function readMiner(workspaceDir: string): TemplateMiner {
  const file = path.join(workspaceDir, TEMPLATES_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new TemplateMiner();
    throw err;
  }
  try {
    return TemplateMiner.fromJSON(JSON.parse(text) as MinerSnapshot);
  } catch (err) {
    throw new Error(`${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

export function saveMiner(workspaceDir: string, miner: TemplateMiner): void {
  writeFileAtomicSync(path.join(workspaceDir, TEMPLATES_FILE), Buffer.from(JSON.stringify(miner.toJSON())));
  const acc = accumulators.get(miner);
  if (acc) saveAccumulator(workspaceDir, acc, (id) => miner.resolve(id));
}
