// Reads the Loghub 2k ground truth beside the checkout (../shared/data/loghub) for the template tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { csvRecords } from '../../../shared/templates/index.ts';

export const LOGHUB_DIR = fileURLToPath(new URL('../../../../shared/data/loghub', import.meta.url));

export interface LoghubSample {
  name: string;
  contents: string[];
  events: string[];
}

export function loghubDatasets(): string[] {
  return readdirSync(LOGHUB_DIR)
    .filter((d) => existsSync(join(LOGHUB_DIR, d, `${d}_2k.log_structured.csv`)))
    .sort();
}

export function loadLoghub(name: string): LoghubSample {
  const rows = csvRecords(readFileSync(join(LOGHUB_DIR, name, `${name}_2k.log_structured.csv`), 'utf8'));
  return { name, contents: rows.map((r) => r.Content), events: rows.map((r) => r.EventId) };
}
