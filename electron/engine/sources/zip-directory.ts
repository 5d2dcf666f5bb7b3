// Reads a zip file's central directory (random access), the reliable way to list members: local headers
// alone can lie (data descriptors, stored members of unknown size) and cannot be trusted for sizes.
import type { FileHandle } from 'node:fs/promises';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** Unix mode from the external attributes (0 when the zip was not made on Unix). */
  mode: number;
  mtimeMs: number | null;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_CENTRAL_DIRECTORY = 512 * 1024 * 1024;

export class ZipFormatError extends Error {}

export async function readCentralDirectory(fh: FileHandle, fileSize: number): Promise<ZipEntry[]> {
  const tailLen = Math.min(fileSize, 22 + 0xffff);
  const tail = await readAt(fh, fileSize - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('not a valid zip archive (no end of central directory record)');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locAt = eocd - 20;
    if (locAt < 0 || tail.readUInt32LE(locAt) !== EOCD64_LOCATOR)
      throw new ZipFormatError('broken zip64 locator');
    const at = Number(tail.readBigUInt64LE(locAt + 8));
    if (at + 56 > fileSize) throw new ZipFormatError('broken zip64 end record');
    const rec = await readAt(fh, at, 56);
    if (rec.readUInt32LE(0) !== EOCD64) throw new ZipFormatError('broken zip64 end record');
    count = Number(rec.readBigUInt64LE(32));
    cdSize = Number(rec.readBigUInt64LE(40));
    cdOffset = Number(rec.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > fileSize)
    throw new ZipFormatError('central directory lies outside the file (truncated?)');
  if (cdSize > MAX_CENTRAL_DIRECTORY) throw new ZipFormatError('central directory too large');
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL)
      throw new ZipFormatError('corrupt central directory');
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const dosTime = cd.readUInt16LE(p + 12);
    const dosDate = cd.readUInt16LE(p + 14);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const madeBy = cd.readUInt16LE(p + 4) >> 8;
    const external = cd.readUInt32LE(p + 38);
    let localOffset = cd.readUInt32LE(p + 42);
    const nameEnd = p + 46 + nameLen;
    if (nameEnd + extraLen + commentLen > cd.length) throw new ZipFormatError('corrupt central directory');
    const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, nameEnd);
    // Zip64 extra field: only the fields saturated in the fixed record are present, in this order.
    for (let e = nameEnd; e + 4 <= nameEnd + extraLen;) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        const end = e + 4 + len;
        if (size === 0xffffffff && q + 8 <= end) {
          size = Number(cd.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= end) {
          compressedSize = Number(cd.readBigUInt64LE(q));
          q += 8;
        }
        if (localOffset === 0xffffffff && q + 8 <= end) localOffset = Number(cd.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    entries.push({
      name,
      method,
      flags,
      compressedSize,
      size,
      localOffset,
      mode: madeBy === 3 ? external >>> 16 : 0,
      mtimeMs: dosToMs(dosDate, dosTime),
    });
    p = nameEnd + extraLen + commentLen;
  }
  return entries;
}

/** Offset of a member's data, from its local header (whose name and extra lengths may differ from the directory). */
export async function dataOffset(fh: FileHandle, fileSize: number, entry: ZipEntry): Promise<number> {
  if (entry.localOffset + 30 > fileSize) throw new ZipFormatError('member lies outside the file');
  const h = await readAt(fh, entry.localOffset, 30);
  if (h.readUInt32LE(0) !== LOCAL) throw new ZipFormatError('corrupt local header');
  const start = entry.localOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
  if (start + entry.compressedSize > fileSize)
    throw new ZipFormatError('member data lies outside the file (truncated?)');
  return start;
}

async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
    if (bytesRead === 0) throw new ZipFormatError('unexpected end of file');
    got += bytesRead;
  }
  return buf;
}

function dosToMs(date: number, time: number): number | null {
  if (date === 0) return null;
  const ms = Date.UTC(
    1980 + (date >> 9),
    ((date >> 5) & 15) - 1,
    date & 31,
    time >> 11,
    (time >> 5) & 63,
    (time & 31) * 2,
  );
  return Number.isFinite(ms) ? ms : null;
}
