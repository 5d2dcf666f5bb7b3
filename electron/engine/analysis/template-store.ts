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

interface MembersCache {
  mtimeMs: number;
  members: Map<number, number[]>;
}
const membersCache = new Map<string, MembersCache>();

/**
 * `template:N` in a query means the cluster N is now: N itself and every cluster the miner merged into it after
 * their events were stored. Read from the snapshot's alias list (no tree rebuilt), cached per file version.
 */
export function templateMembers(workspaceDir: string): (id: number) => number[] {
  const file = path.join(workspaceDir, TEMPLATES_FILE);
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    return (id) => [id];
  }
  let cached = membersCache.get(workspaceDir);
  if (!cached || cached.mtimeMs !== mtimeMs) {
    const snapshot = JSON.parse(fs.readFileSync(file, 'utf8')) as Pick<MinerSnapshot, 'aliases'>;
    const next = new Map(snapshot.aliases ?? []);
    const root = (id: number) => {
      let cur = id;
      for (let n = next.get(cur); n !== undefined; n = next.get(cur)) cur = n;
      return cur;
    };
    const members = new Map<number, number[]>();
    for (const from of next.keys()) {
      const r = root(from);
      const list = members.get(r) ?? [r];
      list.push(from);
      members.set(r, list);
    }
    cached = { mtimeMs, members };
    membersCache.set(workspaceDir, cached);
  }
  const members = cached.members;
  return (id) => members.get(id) ?? [id];
}
