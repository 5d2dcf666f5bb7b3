// Which file is this? Device and inode, plus a hash of its first bytes: an inode reused by a new file after the
// old one was deleted has different first bytes, and a copy made by copy-truncate rotation has the same ones.
// Device and inode alone are also what makes two paths one file (a symlink, a hard link, a glob and a plain path):
// a workspace reads each such file once (fileKey). The first bytes also tell a compressed file (a rotation that
// logrotate gzipped) from a text file.
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

/** Position in one physical file: what a checkpoint records. */
export interface FilePosition extends FileIdentity {
  /** Offset of the first byte not yet handed to the channel (always at a line start). */
  offset: number;
  /** Line number of the line at `offset`. */
  line: number;
}

export function fingerprint(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** The first bytes (up to HEAD_BYTES) of a file of `size` bytes, their hash and the bytes themselves. */
export async function readHead(
  fh: FileHandle,
  size: number,
): Promise<{ head: string; headLen: number; bytes: Buffer }> {
  const len = Math.min(size, HEAD_BYTES);
  const buf = Buffer.alloc(len);
  const { bytesRead } = len > 0 ? await fh.read(buf, 0, len, 0) : { bytesRead: 0 };
  const bytes = buf.subarray(0, bytesRead);
  return { head: fingerprint(bytes), headLen: bytesRead, bytes };
}

/** True when the file's first `headLen` bytes still hash to `head` (it was not truncated and rewritten). */
export async function headMatches(
  fh: FileHandle,
  id: Pick<FileIdentity, 'head' | 'headLen'>,
): Promise<boolean> {
  return (await matchingHead(fh, id)) !== null;
}

/** The file's first `headLen` bytes when they still hash to `head`, else null. */
export async function matchingHead(
  fh: FileHandle,
  id: Pick<FileIdentity, 'head' | 'headLen'>,
): Promise<Buffer | null> {
  if (id.headLen === 0) return Buffer.alloc(0);
  const buf = Buffer.alloc(id.headLen);
  const { bytesRead } = await fh.read(buf, 0, id.headLen, 0);
  if (bytesRead < id.headLen) return null;
  return fingerprint(buf) === id.head ? buf : null;
}

/** The claim key of a physical file (live-claims.ts): two paths naming one file give one key. */
export function fileKey(id: Pick<FileIdentity, 'dev' | 'ino'>): string {
  return `file:${id.dev}:${id.ino}`;
}

/** Magic numbers of the formats logrotate and friends compress rotations with. */
const MAGIC: [string, Buffer][] = [
  ['gzip', Buffer.from([0x1f, 0x8b])],
  ['bzip2', Buffer.from('BZh')],
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
  ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
  ['lz4', Buffer.from([0x04, 0x22, 0x4d, 0x18])],
  ['zip', Buffer.from([0x50, 0x4b, 0x03, 0x04])],
];

/**
 * The compression a file's first bytes announce: its name ('gzip'), 'maybe' while the bytes seen so far are only
 * the start of a magic number (the compressor is still writing), or null for anything else (text).
 */
export function compressionOf(first: Buffer): string | 'maybe' | null {
  for (const [name, magic] of MAGIC) {
    const n = Math.min(first.length, magic.length);
    if (!first.subarray(0, n).equals(magic.subarray(0, n))) continue;
    return n === magic.length ? name : 'maybe';
  }
  return null;
}
