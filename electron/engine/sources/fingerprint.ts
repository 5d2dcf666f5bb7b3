// Identity of a file for "already ingested?" checks.
//
// `size:mtimeMs:sha1(first 4 KiB + last 4 KiB)`. Size and mtime catch appends and rewrites; the two content
// windows tell apart files that share size and mtime (copies of different logs, touched files), and catch a
// rewrite that kept size and mtime. Cheap: at most 8 KiB is read however large the file.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const WINDOW = 4096;

export async function fileFingerprint(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    const hash = createHash('sha1');
    const head = Buffer.alloc(Math.min(WINDOW, st.size));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    hash.update(head.subarray(0, bytesRead));
    if (st.size > WINDOW) {
      const tailLen = Math.min(WINDOW, st.size - WINDOW);
      const tail = Buffer.alloc(tailLen);
      const r = await fh.read(tail, 0, tailLen, st.size - tailLen);
      hash.update(tail.subarray(0, r.bytesRead));
    }
    return `${st.size}:${Math.trunc(st.mtimeMs)}:${hash.digest('hex')}`;
  } finally {
    await fh.close();
  }
}
