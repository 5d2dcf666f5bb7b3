// Streams generated lines to disk in ~1 MB chunks (never one giant string), hashing as it goes, and stamps the
// result so a later run with the same generator version, seed and size reuses the file instead of regenerating.
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type { Dataset } from './datasets.ts';

export interface GeneratedFile {
  path: string;
  dataset: string;
  version: number;
  seed: number;
  lines: number;
  bytes: number;
  sha256: string;
  /** True when an existing file with a matching stamp was reused. */
  reused: boolean;
}

export interface Progress {
  lines: number;
  bytes: number;
  elapsedMs: number;
}

const CHUNK_CHARS = 1 << 20;

/** Writes `count` lines from `next` to `file` (LF endings), via a temporary file renamed into place at the end. */
export async function writeLines(
  next: () => string,
  count: number,
  file: string,
  onProgress?: (p: Progress) => void,
): Promise<{ bytes: number; sha256: string }> {
  const tmp = `${file}.partial`;
  const out = createWriteStream(tmp);
  const hash = createHash('sha256');
  const started = Date.now();
  let bytes = 0;
  let chunk = '';
  const flush = async (): Promise<void> => {
    const buf = Buffer.from(chunk, 'utf8');
    chunk = '';
    hash.update(buf);
    bytes += buf.length;
    if (!out.write(buf)) await once(out, 'drain');
  };
  for (let i = 1; i <= count; i++) {
    chunk += next() + '\n';
    if (chunk.length >= CHUNK_CHARS) {
      await flush();
      onProgress?.({ lines: i, bytes, elapsedMs: Date.now() - started });
    }
  }
  await flush();
  out.end();
  await once(out, 'close');
  renameSync(tmp, file);
  onProgress?.({ lines: count, bytes, elapsedMs: Date.now() - started });
  return { bytes, sha256: hash.digest('hex') };
}

export function dataFileName(dataset: Dataset, lines: number): string {
  return `${dataset.name}-${lines}${dataset.extension}`;
}

/** Generates the dataset's file in `dir` unless a file with a matching stamp (`<file>.json`) is already there. */
export async function generateFile(
  dataset: Dataset,
  opts: { dir: string; lines: number; seed?: number; onProgress?: (p: Progress) => void },
): Promise<GeneratedFile> {
  const seed = opts.seed ?? dataset.defaultSeed;
  const file = path.join(opts.dir, dataFileName(dataset, opts.lines));
  const stampFile = `${file}.json`;
  const wanted = { dataset: dataset.name, version: dataset.version, seed, lines: opts.lines };
  const stamp = readStamp(stampFile);
  if (
    stamp &&
    existsSync(file) &&
    stamp.dataset === wanted.dataset &&
    stamp.version === wanted.version &&
    stamp.seed === wanted.seed &&
    stamp.lines === wanted.lines &&
    statSync(file).size === stamp.bytes
  ) {
    return { ...stamp, path: file, reused: true };
  }
  mkdirSync(opts.dir, { recursive: true });
  const { bytes, sha256 } = await writeLines(dataset.lines(seed), opts.lines, file, opts.onProgress);
  const written: Omit<GeneratedFile, 'path' | 'reused'> = { ...wanted, bytes, sha256 };
  writeFileSync(stampFile, JSON.stringify(written, null, 2) + '\n');
  return { ...written, path: file, reused: false };
}

function readStamp(file: string): Omit<GeneratedFile, 'path' | 'reused'> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Omit<GeneratedFile, 'path' | 'reused'>;
  } catch {
    return null;
  }
}

/** A one-line progress report for stderr: lines, MB and rate. */
export function describeProgress(name: string, p: Progress, total: number): string {
  const mb = p.bytes / 1e6;
  const secs = Math.max(p.elapsedMs, 1) / 1000;
  const pct = Math.floor((100 * p.lines) / total);
  return `generating ${name}: ${p.lines.toLocaleString('en-US')} lines (${pct}%), ${mb.toFixed(1)} MB, ${Math.round(p.lines / secs).toLocaleString('en-US')} lines/s`;
}
