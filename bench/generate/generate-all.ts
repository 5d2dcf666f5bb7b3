// Generates every bench input (or reuses it), with progress on stderr; shared by bench/run.ts and ./cli.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASETS, type DatasetName } from './datasets.ts';
import { describeProgress, generateFile, type GeneratedFile } from './write.ts';

export const DEFAULT_DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data');

/** Generates (or reuses) one file per dataset, reporting progress on stderr. */
export async function generateAll(opts: {
  names: DatasetName[];
  lines: number;
  dir?: string;
  seed?: number;
}): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  const tty = process.stderr.isTTY;
  for (const name of opts.names) {
    let lastReport = 0;
    const file = await generateFile(DATASETS[name], {
      dir: opts.dir ?? DEFAULT_DATA_DIR,
      lines: opts.lines,
      seed: opts.seed,
      onProgress: (p) => {
        // On a terminal, redraw one line often; in a log (CI), a line every few seconds is enough.
        if (!tty && p.lines !== opts.lines && p.elapsedMs - lastReport < 3000) return;
        lastReport = p.elapsedMs;
        process.stderr.write(
          (tty ? '\r\x1b[K' : '') + describeProgress(name, p, opts.lines) + (tty ? '' : '\n'),
        );
      },
    });
    if (tty && !file.reused) process.stderr.write('\n');
    process.stderr.write(
      `${file.reused ? 'reusing' : 'wrote'} ${file.path}: ${file.lines.toLocaleString('en-US')} lines, ` +
        `${(file.bytes / 1e6).toFixed(1)} MB (${(file.bytes / file.lines).toFixed(1)} B/line)\n`,
    );
    files.push(file);
  }
  return files;
}

/** Parses `--lines N`, `--10m`, `--seed N`, `--dir DIR` and dataset names; unknown flags are returned as `rest`. */
export function parseGenerateArgs(argv: string[]): {
  lines: number;
  seed?: number;
  dir?: string;
  names: DatasetName[];
  rest: string[];
} {
  let lines = 1_000_000;
  let seed: number | undefined;
  let dir: string | undefined;
  const names: DatasetName[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--lines') lines = parseCount(argv[++i], '--lines');
    else if (a === '--10m') lines = 10_000_000;
    else if (a === '--seed') seed = parseCount(argv[++i], '--seed');
    else if (a === '--dir') dir = argv[++i];
    else if (a in DATASETS) names.push(a as DatasetName);
    else rest.push(a);
  }
  return { lines, seed, dir, names: names.length ? names : (Object.keys(DATASETS) as DatasetName[]), rest };
}

function parseCount(value: string | undefined, flag: string): number {
  const n = Number(value?.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer, got "${value}"`);
  return n;
}
