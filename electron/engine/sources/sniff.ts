// What an input is, decided from its first bytes (magic numbers), with the file name only as a claim to check.

export type Container = 'gzip' | 'bzip2' | 'zip' | 'tar';
export type Sniffed =
  { kind: Container } | { kind: 'text' } | { kind: 'binary'; what: string } | { kind: 'bad'; reason: string };

/** How many leading bytes the sniffer wants (tar's magic sits at 257; binary checks look at 8 KiB). */
export const SNIFF_BYTES = 8192;

const MAGIC: Array<[bytes: number[], what: string]> = [
  [[0x7f, 0x45, 0x4c, 0x46], 'ELF executable'],
  [[0x89, 0x50, 0x4e, 0x47], 'PNG image'],
  [[0xff, 0xd8, 0xff], 'JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'GIF image'],
  [[0x4c, 0x50, 0x4b, 0x53, 0x48, 0x48, 0x52, 0x48], 'systemd journal'],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], 'SQLite database'],
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'PDF document'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz compressed, not supported'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd compressed, not supported'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], '7z archive, not supported'],
  [[0xcf, 0xfa, 0xed, 0xfe], 'Mach-O executable'],
  [[0xca, 0xfe, 0xba, 0xbe], 'Java class or Mach-O'],
  [[0xff, 0xfe], 'UTF-16 text, not supported'],
  [[0xfe, 0xff], 'UTF-16 text, not supported'],
];

/** utmp/wtmp/btmp records on Linux are 384 bytes each. */
const UTMP_RECORD = 384;

export function sniff(head: Buffer, name: string, size: number | null): Sniffed {
  const claim = claimedContainer(name);
  const found = containerOf(head);
  if (found) return { kind: found };
  if (claim) {
    const what = head.length === 0 ? 'empty' : describeNonContainer(head, size);
    return { kind: 'bad', reason: `named like a ${claim} file but is not one (${what})` };
  }
  const binary = binaryKind(head, size) ?? knownBinaryName(name);
  return binary ? { kind: 'binary', what: binary } : { kind: 'text' };
}

/**
 * Files that are binary by nature even when empty or freshly rotated (an empty wtmp has no bytes to sniff), so a
 * bundle's summary names them as skipped instead of listing them as empty text sources.
 */
function knownBinaryName(name: string): string | null {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('!')) + 1).toLowerCase();
  if (/^(wtmp|btmp|utmp)([.-]\d+)?$/.test(base)) return 'utmp/wtmp login records';
  if (/^(lastlog|faillog|tallylog)$/.test(base)) return 'login records database';
  if (/\.journal~?$/.test(base)) return 'systemd journal';
  return null;
}

function containerOf(h: Buffer): Container | null {
  if (h.length >= 3 && h[0] === 0x1f && h[1] === 0x8b && h[2] === 8) return 'gzip';
  // 'BZh' + block size digit + the first block's (or end-of-stream) magic.
  if (h.length >= 10 && h[0] === 0x42 && h[1] === 0x5a && h[2] === 0x68 && h[3] >= 0x31 && h[3] <= 0x39) {
    const blk = h.readUIntBE(4, 6);
    if (blk === 0x314159265359 || blk === 0x177245385090) return 'bzip2';
  }
  if (
    h.length >= 4 &&
    h[0] === 0x50 &&
    h[1] === 0x4b &&
    ((h[2] === 3 && h[3] === 4) || (h[2] === 5 && h[3] === 6))
  ) {
    return 'zip';
  }
  if (h.length >= 512 && isTarHeader(h)) return 'tar';
  return null;
}

/** ustar magic, or (old v7 tars) a valid header checksum. */
function isTarHeader(h: Buffer): boolean {
  if (h.toString('latin1', 257, 262) === 'ustar') return true;
  const stored = parseInt(
    h
      .toString('latin1', 148, 156)
      .replace(/[\0 ]+$/, '')
      .trim(),
    8,
  );
  if (!Number.isFinite(stored) || h[0] === 0) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return sum === stored;
}

function claimedContainer(name: string): string | null {
  const n = name.toLowerCase();
  if (n.endsWith('.zip')) return 'zip';
  if (n.endsWith('.tgz') || n.endsWith('.gz')) return 'gzip';
  if (n.endsWith('.bz2') || n.endsWith('.tbz2')) return 'bzip2';
  if (n.endsWith('.tar')) return 'tar';
  return null;
}

function describeNonContainer(head: Buffer, size: number | null): string {
  const b = binaryKind(head, size);
  return b ? `content looks like ${b}` : 'content is text';
}

/** Null when the sample looks like text; otherwise what kind of binary it is. */
export function binaryKind(h: Buffer, size: number | null): string | null {
  for (const [bytes, what] of MAGIC) {
    if (h.length >= bytes.length && bytes.every((b, i) => h[i] === b)) return what;
  }
  const n = Math.min(h.length, SNIFF_BYTES);
  if (n === 0) return null;
  let control = 0;
  let nul = 0;
  for (let i = 0; i < n; i++) {
    const c = h[i];
    if (c === 0) nul++;
    // Tab, LF, VT, FF, CR and ESC (ANSI colours) are normal in logs.
    else if (c < 0x20 && c !== 9 && c !== 10 && c !== 11 && c !== 12 && c !== 13 && c !== 27) control++;
    else if (c === 0x7f) control++;
  }
  if (nul > 0) {
    if (size != null && size > 0 && size % UTMP_RECORD === 0) return 'utmp/wtmp login records';
    return 'NUL bytes';
  }
  if (control / n > 0.05) return 'control bytes';
  return null;
}
