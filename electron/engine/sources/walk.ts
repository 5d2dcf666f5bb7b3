// Turns command-line paths into files: plain files, folders (recursive) and globs.
//
// Folders are walked in sorted order (deterministic ingest). Names starting with a dot (.git, .cache, editor
// swap files) are passed over silently inside folders, as ripgrep does; a dot-path named on the command line is
// read. Symbolic links to files are followed; links to folders are not (loops), and are reported as skipped.
import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { globPaths, hasGlob } from './glob.ts';
import type { SkippedInput } from './types.ts';

export interface FoundFile {
  path: string;
  stat: Stats;
}

export async function* resolvePath(arg: string): AsyncGenerator<FoundFile | SkippedInput> {
  const st = await stat(arg).catch((err: NodeJS.ErrnoException) => err);
  if (!(st instanceof Error)) {
    yield* fromStat(arg, st);
    return;
  }
  if (hasGlob(arg)) {
    const matches = await globPaths(arg);
    if (matches.length === 0) yield { uri: arg, reason: 'no files match this pattern', severity: 'error' };
    for (const m of matches) {
      const mst = await stat(m).catch((err: NodeJS.ErrnoException) => err);
      if (mst instanceof Error) yield { uri: m, reason: errnoText(mst), severity: 'error' };
      else yield* fromStat(m, mst);
    }
    return;
  }
  yield { uri: arg, reason: errnoText(st), severity: 'error' };
}

async function* fromStat(path: string, st: Stats): AsyncGenerator<FoundFile | SkippedInput> {
  if (st.isFile()) yield { path, stat: st };
  else if (st.isDirectory()) yield* walkFolder(path);
  else yield { uri: path, reason: 'not a regular file (device, socket or pipe)', severity: 'skipped' };
}

async function* walkFolder(dir: string): AsyncGenerator<FoundFile | SkippedInput> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    yield { uri: dir, reason: errnoText(err as NodeJS.ErrnoException), severity: 'error' };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      yield* walkFolder(path);
    } else if (e.isFile()) {
      const st = await stat(path).catch((err: NodeJS.ErrnoException) => err);
      if (st instanceof Error) yield { uri: path, reason: errnoText(st), severity: 'error' };
      else yield { path, stat: st };
    } else if (e.isSymbolicLink()) {
      const st = await stat(path).catch((err: NodeJS.ErrnoException) => err);
      if (st instanceof Error)
        yield { uri: path, reason: `broken symbolic link (${errnoText(st)})`, severity: 'error' };
      else if (st.isFile()) yield { path, stat: st };
      else if (st.isDirectory())
        yield { uri: path, reason: 'symbolic link to a folder, not followed', severity: 'skipped' };
      else yield { uri: path, reason: 'not a regular file', severity: 'skipped' };
    } else {
      yield { uri: path, reason: 'not a regular file (device, socket or pipe)', severity: 'skipped' };
    }
  }
}

export function errnoText(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    default:
      return err.message;
  }
}
