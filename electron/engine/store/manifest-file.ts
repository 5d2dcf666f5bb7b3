// The workspace manifest `flumen.json`: everything needed to reopen a workspace without parsing anything again.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';
import type { Manifest } from './types.ts';

export const MANIFEST_FILE = 'flumen.json';
export const MANIFEST_VERSION = 1;

export function emptyManifest(): Manifest {
  return { version: MANIFEST_VERSION, createdAt: new Date().toISOString(), sources: [], segments: [] };
}

/** Reads and checks the manifest; throws a one-line error naming the file and what is wrong with it. */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${dir} is not a Flumen workspace (no ${MANIFEST_FILE})`, { cause: err });
    }
    throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseManifest(dir, text);
}

/** Same as readManifest, synchronously (taking the writer lock must not leave a window for another commit). */
export function readManifestSync(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseManifest(dir, text);
}

function parseManifest(dir: string, text: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`workspace manifest ${file} is corrupt: ${(err as Error).message}`, { cause: err });
  }
  const m = data as Partial<Manifest> | null;
  if (m === null || typeof m !== 'object' || typeof m.version !== 'number') {
    throw new Error(`workspace manifest ${file} is corrupt: no version`);
  }
  if (m.version > MANIFEST_VERSION) {
    throw new Error(
      `workspace ${dir} was written by a newer Flumen (manifest version ${m.version}; this one reads ` +
        `${MANIFEST_VERSION})`,
    );
  }
  if (m.version !== MANIFEST_VERSION || !Array.isArray(m.sources) || !Array.isArray(m.segments)) {
    throw new Error(`workspace manifest ${file} is corrupt: unexpected structure`);
  }
  for (const s of m.segments) {
    if (typeof s?.id !== 'number' || typeof s.file !== 'string' || typeof s.events !== 'number') {
      throw new Error(`workspace manifest ${file} is corrupt: bad segment entry`);
    }
  }
  for (const s of m.sources) {
    if (typeof s?.id !== 'number' || typeof s.uri !== 'string') {
      throw new Error(`workspace manifest ${file} is corrupt: bad source entry`);
    }
    // Manifests written before clock offsets have none: the source's clock is taken as right.
    if (s.clockOffsetMs !== undefined && !Number.isSafeInteger(s.clockOffsetMs)) {
      throw new Error(`workspace manifest ${file} is corrupt: bad clock offset of source ${s.id}`);
    }
  }
  return m as Manifest;
}

/**
 * Live collectors' read positions (tail offsets, SSH offsets, journal cursors), keyed by collector. They ride in
 * the same atomic manifest write as the segments holding the events they cover, so a crash can neither lose nor
 * duplicate lines. Optional: manifests written before live collection have none.
 */
export type Checkpoints = Record<string, unknown>;

export function checkpointsOf(m: Manifest): Checkpoints {
  const c = (m as Manifest & { checkpoints?: unknown }).checkpoints;
  return c !== null && typeof c === 'object' && !Array.isArray(c) ? (c as Checkpoints) : {};
}

export function writeManifest(dir: string, m: Manifest): Promise<void> {
  return writeFileAtomic(path.join(dir, MANIFEST_FILE), JSON.stringify(m, null, 1) + '\n');
}
