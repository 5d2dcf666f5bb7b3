// What a bench section is: a named group of measurements that prints its own tables. Later issues add sections
// (tail rate, syslog TCP rate, browser grid timings, template mining rate) by adding one to ./registry.ts.
import type { DatasetName } from '../generate/datasets.ts';
import type { GeneratedFile } from '../generate/write.ts';

export interface BenchContext {
  /** Generated inputs by dataset (only those the run asked for). */
  files: Partial<Record<DatasetName, GeneratedFile>>;
  /** How many times each timing is repeated (the median is reported). */
  repeats: number;
  /** A scratch folder for workspaces, removed after the run. */
  tmpDir: string;
  /** Progress on stderr. */
  log(message: string): void;
}

export interface Table {
  title: string;
  header: string[];
  rows: string[][];
  /** Lines printed under the table (n/a reasons, how a figure was measured). */
  notes: string[];
}

export interface Check {
  kind: 'count' | 'bar';
  label: string;
  /** true: MATCH/PASS, false: MISMATCH/MISS, null: could not be checked. */
  ok: boolean | null;
  detail: string;
}

export interface SectionResult {
  tables: Table[];
  checks: Check[];
}

export interface BenchSection {
  name: string;
  summary: string;
  run(ctx: BenchContext): Promise<SectionResult>;
}
