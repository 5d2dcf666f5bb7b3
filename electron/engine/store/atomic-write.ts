// Files other processes read while we write (the manifest, segments) are replaced atomically: a reader sees the
// old file or the new one, never half of one, and after a crash the old one is still whole.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
}

/** Writes a temp file in the same folder, fsyncs it, renames it over `file` (synchronous: for worker threads). */
export function writeFileAtomicSync(file: string, data: Uint8Array | Uint8Array[]): void {
  const tmp = tempName(file);
  const fd = openSync(tmp, 'w');
  try {
    for (const piece of Array.isArray(data) ? data : [data]) {
      let done = 0;
      while (done < piece.length) done += writeSync(fd, piece, done, piece.length - done);
    }
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSafeSync(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (err) {
    unlinkSafeSync(tmp);
    throw err;
  }
}

/** Same as writeFileAtomicSync, without blocking the event loop. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(file);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

function unlinkSafeSync(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
