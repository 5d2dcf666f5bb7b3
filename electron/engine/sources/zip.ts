// Zip archives. A zip on disk is read by random access through its central directory. A zip inside another
// archive or a compressed stream is spilled to a private temporary file first (bounded by the expansion
// budget, whose counters already cap the bytes that reach it) and then read the same way; the file is removed
// as soon as its members are read. Member names never become file paths: nothing is extracted anywhere.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { chain } from './chain.ts';
import { LimitError, type ExpansionBudget } from './limits.ts';
import { errorItem, memberName, unsafeMemberPath, type Expanded, type ExpandStream } from './member.ts';
import { dataOffset, readCentralDirectory, type ZipEntry } from './zip-directory.ts';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;

export async function* expandZipFile(
  path: string,
  uri: string,
  budget: ExpansionBudget,
  depth: number,
  /** False for spilled zips: their bytes were already counted on the way in. */
  countCompressed: boolean,
  expandStream: ExpandStream,
): AsyncGenerator<Expanded> {
  let fh;
  let entries: ZipEntry[];
  let fileSize: number;
  try {
    fh = await open(path, 'r');
    fileSize = (await fh.stat()).size;
    entries = await readCentralDirectory(fh, fileSize);
  } catch (err) {
    await fh?.close();
    yield errorItem(uri, err);
    return;
  }
  try {
    for (const e of entries) {
      const name = memberName(e.name);
      const muri = `${uri}!/${name}`;
      const type = e.mode & S_IFMT;
      if (e.name.endsWith('/')) continue;
      const unsafe = unsafeMemberPath(e.name);
      if (unsafe) yield { uri: muri, reason: unsafe, severity: 'error' };
      else if (type === S_IFLNK)
        yield { uri: muri, reason: 'symbolic link in archive, not followed', severity: 'skipped' };
      else if (type !== 0 && type !== S_IFREG)
        yield { uri: muri, reason: 'special file in archive, skipped', severity: 'skipped' };
      else if (e.flags & 1)
        yield { uri: muri, reason: 'encrypted zip member, not supported', severity: 'error' };
      else if (e.method !== 0 && e.method !== 8) {
        yield {
          uri: muri,
          reason: `zip compression method ${e.method} not supported (only stored and deflate)`,
          severity: 'error',
        };
      } else {
        let body: Readable;
        try {
          body = await memberStream(path, fh, fileSize, e, budget, countCompressed);
        } catch (err) {
          yield errorItem(muri, err);
          continue;
        }
        yield* expandStream(
          body,
          muri,
          name,
          { size: e.size, mtimeMs: e.mtimeMs },
          budget,
          depth,
          'archive-member',
        );
        body.destroy();
      }
    }
  } finally {
    await fh.close();
  }
}

async function memberStream(
  path: string,
  fh: import('node:fs/promises').FileHandle,
  fileSize: number,
  e: ZipEntry,
  budget: ExpansionBudget,
  countCompressed: boolean,
): Promise<Readable> {
  const start = await dataOffset(fh, fileSize, e);
  const raw: Readable =
    e.compressedSize === 0
      ? Readable.from([])
      : createReadStream(path, { start, end: start + e.compressedSize - 1 });
  const stages: Duplex[] = [];
  if (countCompressed) stages.push(budget.counter('compressed'));
  if (e.method === 8) stages.push(createInflateRaw(), budget.counter('expanded'));
  if (stages.length === 0) return raw;
  return chain(raw, stages, { destroySource: true, mapError: zipError });
}

function zipError(err: Error): Error {
  if (err instanceof LimitError) return err;
  return new Error(`corrupt zip member data (${err.message})`);
}

/** Spills a nested zip to a private temp file, then expands it; the temp folder is removed afterwards. */
export async function* expandSpilledZip(
  input: NodeJS.ReadableStream,
  uri: string,
  budget: ExpansionBudget,
  depth: number,
  expandStream: ExpandStream,
): AsyncGenerator<Expanded> {
  const dir = await mkdtemp(join(budget.limits.tempDir ?? tmpdir(), 'flumen-zip-'));
  try {
    const file = join(dir, 'nested.zip');
    try {
      await pipeline(input, createWriteStream(file, { mode: 0o600 }));
    } catch (err) {
      yield errorItem(uri, err);
      return;
    }
    yield* expandZipFile(file, uri, budget, depth, false, expandStream);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
