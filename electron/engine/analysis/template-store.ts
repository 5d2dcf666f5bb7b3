// The workspace's template miner: loaded at the start of an ingest, saved after the store commits, so reopening a
// workspace mines nothing again and new lines get the same template ids as one uninterrupted run would give.
import fs from 'node:fs';
import path from 'node:path';
import { TemplateMiner, type MinerSnapshot } from '../../../shared/templates/index.ts';
import { writeFileAtomicSync } from '../store/atomic-write.ts';

export const TEMPLATES_FILE = 'templates.json';

export function loadMiner(workspaceDir: string): TemplateMiner {
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
}
