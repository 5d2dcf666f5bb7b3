// Which file is this? Device and inode, plus a hash of its first bytes: an inode reused by a new file after the
// old one was deleted has different first bytes, and a copy made by copy-truncate rotation has the same ones.
// Device and inode alone are also what makes two paths one file (a symlink, a hard link, a glob and a plain path):
// a workspace reads each such file once (fileKey).
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/** Bytes of the file's head that the fingerprint covers once the file is that long. */
export const HEAD_BYTES = 1024;

export interface FileIdentity {
  dev: number;
  ino: number;
  /** sha1 (hex) of the first `headLen` bytes. */
  head: string;
  headLen: number;
}

export async function readHead(fh: FileHandle, size: number): Promise<{ head: string; headLen: number }> {
  const len = Math.min(size, HEAD_BYTES);
  const buf = Buffer.alloc(len);
  const { bytesRead } = len > 0 ? await fh.read(buf, 0, len, 0) : { bytesRead: 0 };
  return { head: createHash('sha1').update(buf.subarray(0, bytesRead)).digest('hex'), headLen: bytesRead };
}

/** True when the file's first `headLen` bytes still hash to `head` (it was not truncated and rewritten). */
export async function headMatches(
  fh: FileHandle,
  id: Pick<FileIdentity, 'head' | 'headLen'>,
): Promise<boolean> {
  if (id.headLen === 0) return true;
  const buf = Buffer.alloc(id.headLen);
  const { bytesRead } = await fh.read(buf, 0, id.headLen, 0);
  if (bytesRead < id.headLen) return false;
  return createHash('sha1').update(buf).digest('hex') === id.head;
}

/** The claim key of a physical file (live-claims.ts): two paths naming one file give one key. */
export function fileKey(id: Pick<FileIdentity, 'dev' | 'ino'>): string {
  return `file:${id.dev}:${id.ino}`;
}
