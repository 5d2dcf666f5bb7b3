// Opening a followed file at a known position, and finding a file a checkpoint or a rotation names among the
// path's siblings: the rotated file under its new name (same inode), or the copy copy-truncate made (same first
// bytes, at least as long as what was read).
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { matchingHead, readHead, type FilePosition } from './file-identity.ts';

export interface OpenFile {
  fh: FileHandle;
  pos: FilePosition;
  size: number;
  /** When the file last grew (drained files are closed once quiet for a while). */
  grewAt: number;
  /** Modification time when last looked at: a file rewritten to the very size it had still shows a change. */
  mtimeMs: number;
  /** Its first bytes when they were read at opening (the ledger recognises copies by them). */
  first?: Buffer;
}

/** Opens `file` at `want` if it still holds that content (same first bytes, long enough), else from its start. */
export async function openAt(file: string, want: FilePosition | null): Promise<OpenFile | null> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch {
    return null;
  }
  const st = await fh.stat();
  const opened = { fh, size: st.size, grewAt: Date.now(), mtimeMs: st.mtimeMs };
  if (want) {
    const first = st.size >= want.offset ? await matchingHead(fh, want) : null;
    if (!first) {
      await fh.close();
      return null;
    }
    return { ...opened, pos: { ...want, dev: st.dev, ino: st.ino }, first };
  }
  const { head, headLen, bytes } = await readHead(fh, st.size);
  return { ...opened, pos: { dev: st.dev, ino: st.ino, head, headLen, offset: 0, line: 1 }, first: bytes };
}

/**
 * A sibling of `file` whose first bytes match p's and that is long enough (the rotated file or its copy), that
 * `adopt` takes (claims); the same inode first when asked, else the most recently modified.
 */
export async function findCopy(
  file: string,
  p: FilePosition,
  adopt: (f: OpenFile) => Promise<boolean>,
  sameInodeFirst = false,
): Promise<OpenFile | null> {
  // With no head to compare (the file was empty when last seen), only the same inode can be the same file.
  const inodeOnly = p.headLen === 0;
  const dir = path.dirname(file);
  const names = await readdir(dir).catch(() => [] as string[]);
  const candidates: { file: string; ino: number; mtimeMs: number }[] = [];
  for (const name of names) {
    const sibling = path.join(dir, name);
    if (sibling === file) continue;
    const st = await stat(sibling).catch(() => null);
    if (!st || !st.isFile() || st.size < p.offset || (inodeOnly && (st.ino !== p.ino || st.dev !== p.dev)))
      continue;
    candidates.push({ file: sibling, ino: st.ino, mtimeMs: st.mtimeMs });
  }
  candidates.sort((a, b) =>
    sameInodeFirst && (a.ino === p.ino) !== (b.ino === p.ino)
      ? a.ino === p.ino
        ? -1
        : 1
      : b.mtimeMs - a.mtimeMs,
  );
  for (const c of candidates) {
    const f = await openAt(c.file, p);
    if (f && (await adopt(f))) return f;
  }
  return null;
}
