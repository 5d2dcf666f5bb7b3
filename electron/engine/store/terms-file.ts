// Reads a terms sidecar (term-index.ts) straight from its bytes, without sql.js.
//
// A word count from a new process must not pay for sql.js: compiling its WebAssembly and warming it up cost
// ~0.2 s of CPU (measured), more than the whole lookup. The sidecar is an ordinary SQLite file, and the file
// format is stable and documented (https://www.sqlite.org/fileformat2.html), so the two tables it holds are read
// here: `terms` (WITHOUT ROWID: an index B-tree keyed by the term, binary collation = UTF-8 byte order) by
// binary search, and `meta` (a small rowid table) by a scan. sqlite3 and sql.js open the same file as usual.

import type { SegmentTerms, TermEntry } from './types.ts';

const HEADER = 'SQLite format 3\u0000';
const utf8 = new TextEncoder();
const text = new TextDecoder();

interface Cell {
  /** The part of the record stored in the page (the whole record unless it spills to overflow pages). */
  local: Uint8Array;
  /** The record's size. */
  size: number;
  /** Where the local part starts in the file. */
  at: number;
  /** Interior cells: the page holding smaller keys. */
  left: number;
}

export class TermsFile implements SegmentTerms {
  private readonly pageSize: number;
  private readonly usable: number;
  private readonly termsRoot: number;
  private readonly metaRoot: number;

  constructor(private readonly bytes: Uint8Array) {
    if (bytes.length < 100 || text.decode(bytes.subarray(0, 16)) !== HEADER) {
      throw new Error('not a database: no SQLite header');
    }
    const ps = (bytes[16] << 8) | bytes[17];
    this.pageSize = ps === 1 ? 65536 : ps;
    this.usable = this.pageSize - bytes[20];
    if (readU32(bytes, 56) !== 1) throw new Error('terms sidecar is not UTF-8');
    let terms = 0;
    let meta = 0;
    // sqlite_schema (page 1): type, name, tbl_name, rootpage, sql.
    this.scanTable(1, (rec) => {
      const cols = decodeRecord(rec);
      if (cols[0] === 'table' && cols[1] === 'terms') terms = Number(cols[3]);
      if (cols[0] === 'table' && cols[1] === 'meta') meta = Number(cols[3]);
    });
    if (!terms || !meta) throw new Error('no such table: terms');
    this.termsRoot = terms;
    this.metaRoot = meta;
  }

  /** The meta table's value for key, or null. */
  meta(key: string): string | null {
    let value: string | null = null;
    this.scanTable(this.metaRoot, (rec) => {
      const cols = decodeRecord(rec);
      if (cols[0] === key) value = cols[1] == null ? null : String(cols[1]);
    });
    return value;
  }

  /** The row list of a term, or null when no line holds it. */
  get(term: string): TermEntry | null {
    const key = utf8.encode(term);
    let page = this.termsRoot;
    for (;;) {
      const p = this.pageStart(page);
      const type = this.bytes[p];
      const cells = this.cells(page);
      // Keys ascend within a page: binary search for the first cell whose key is >= the term.
      let lo = 0;
      let hi = cells.length;
      let found: Cell | null = null;
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        const c = this.compare(cells[m], key);
        if (c === 0) {
          found = cells[m];
          break;
        }
        if (c < 0) lo = m + 1;
        else hi = m;
      }
      // In an index B-tree every cell, interior ones too, is an entry.
      if (found) return entryOf(this.record(found));
      if (type === 0x0a) return null;
      if (type !== 0x02) throw new Error(`malformed terms sidecar: page ${page} has type ${type}`);
      page = lo < cells.length ? cells[lo].left : readU32(this.bytes, p + 8);
    }
  }

  /** Calls fn for every term in [from, to) in order; fn returns false to stop. */
  range(from: string, to: string, fn: (term: string, entry: TermEntry) => boolean | void): void {
    const lo = utf8.encode(from);
    const hi = utf8.encode(to);
    const visit = (page: number): boolean => {
      const p = this.pageStart(page);
      const interior = this.bytes[p] === 0x02;
      for (const c of this.cells(page)) {
        const vsLo = this.compare(c, lo);
        if (interior && vsLo > 0 && !visit(c.left)) return false;
        if (this.compare(c, hi) >= 0) return false;
        if (vsLo >= 0) {
          const rec = this.record(c);
          if (fn(text.decode(firstText(rec)), entryOf(rec)) === false) return false;
        }
      }
      return interior ? visit(readU32(this.bytes, p + 8)) : true;
    };
    visit(this.termsRoot);
  }

  private pageStart(page: number): number {
    return page === 1 ? 100 : (page - 1) * this.pageSize;
  }

  /** A cell's key (first column) against key; the local part holds it unless the key itself spills. */
  private compare(c: Cell, key: Uint8Array): number {
    const [hlen, s] = readVarint(c.local, 0);
    const [t] = readVarint(c.local, s);
    return compareKey(hlen + serialSize(t) <= c.local.length ? c.local : this.record(c), key);
  }

  /** A cell's whole record. */
  private record(c: Cell): Uint8Array {
    return c.local.length === c.size ? c.local : this.payload(c.at, c.size, false);
  }

  /** The cells of a B-tree page (local parts only: overflow is read when a record is needed). */
  private cells(page: number): Cell[] {
    const b = this.bytes;
    const p = this.pageStart(page);
    const type = b[p];
    const interior = type === 0x02 || type === 0x05;
    const n = (b[p + 3] << 8) | b[p + 4];
    const base = (page - 1) * this.pageSize;
    const ptrs = p + (interior ? 12 : 8);
    const out: Cell[] = new Array(n);
    for (let i = 0; i < n; i++) {
      let at = base + ((b[ptrs + 2 * i] << 8) | b[ptrs + 2 * i + 1]);
      let left = 0;
      if (interior) {
        left = readU32(b, at);
        at += 4;
      }
      if (type === 0x05) {
        out[i] = { local: new Uint8Array(0), size: 0, at, left }; // table interior cells hold only a rowid
        continue;
      }
      const [size, s1] = readVarint(b, at);
      at += s1;
      if (type === 0x0d) {
        // Table leaf (meta, sqlite_schema: small): the rowid, then the record, read whole.
        at += readVarint(b, at)[1];
        const rec = this.payload(at, size, true);
        out[i] = { local: rec, size, at, left };
        continue;
      }
      out[i] = { local: this.bytes.subarray(at, at + Math.min(size, this.localSize(size))), size, at, left };
    }
    return out;
  }

  /** Bytes of a payload of `size` kept in the page itself (file format §1.6). */
  private localSize(size: number, tableLeaf = false): number {
    const U = this.usable;
    const X = tableLeaf ? U - 35 : Math.floor(((U - 12) * 64) / 255) - 23;
    if (size <= X) return size;
    const M = Math.floor(((U - 12) * 32) / 255) - 23;
    const K = M + ((size - M) % (U - 4));
    return K <= X ? K : M;
  }

  /** A cell's payload: its local part, then the chain of overflow pages. */
  private payload(at: number, size: number, tableLeaf: boolean): Uint8Array {
    const U = this.usable;
    const local = this.localSize(size, tableLeaf);
    if (local === size) return this.bytes.subarray(at, at + size);
    const out = new Uint8Array(size);
    out.set(this.bytes.subarray(at, at + local));
    let done = local;
    let next = readU32(this.bytes, at + local);
    while (done < size && next) {
      const o = (next - 1) * this.pageSize;
      const take = Math.min(U - 4, size - done);
      out.set(this.bytes.subarray(o + 4, o + 4 + take), done);
      done += take;
      next = readU32(this.bytes, o);
    }
    if (done < size) throw new Error('malformed terms sidecar: overflow chain ends early');
    return out;
  }

  /** Every record of a rowid table B-tree, in order. */
  private scanTable(page: number, fn: (record: Uint8Array) => void): void {
    const p = this.pageStart(page);
    const type = this.bytes[p];
    if (type === 0x0d) {
      for (const c of this.cells(page)) fn(c.local);
    } else if (type === 0x05) {
      for (const c of this.cells(page)) this.scanTable(c.left, fn);
      this.scanTable(readU32(this.bytes, p + 8), fn);
    } else throw new Error(`malformed database: page ${page} has type ${type}`);
  }
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
}

/** SQLite's varint: big-endian, 7 bits a byte, the 9th byte whole. Returns [value, length]. */
function readVarint(b: Uint8Array, at: number): [number, number] {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const x = b[at + i];
    v = v * 128 + (x & 0x7f);
    if (x < 0x80) return [v, i + 1];
  }
  return [v * 256 + b[at + 8], 9];
}

/** Byte length of a value of the given serial type. */
function serialSize(t: number): number {
  if (t >= 12) return (t - (t & 1 ? 13 : 12)) >> 1;
  return [0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0][t];
}

/** The values of a record (integers, text, blobs, NULL; floats are not used by these tables). */
function decodeRecord(rec: Uint8Array): (number | string | Uint8Array | null)[] {
  const [hlen, s] = readVarint(rec, 0);
  let h = s;
  let body = hlen;
  const out: (number | string | Uint8Array | null)[] = [];
  while (h < hlen) {
    const [t, l] = readVarint(rec, h);
    h += l;
    const size = serialSize(t);
    const v = rec.subarray(body, body + size);
    if (t === 0) out.push(null);
    else if (t === 8 || t === 9) out.push(t - 8);
    else if (t >= 1 && t <= 6) out.push(readInt(v));
    else if (t >= 13 && t & 1) out.push(text.decode(v));
    else out.push(v);
    body += size;
  }
  return out;
}

/** A big-endian two's complement integer. */
function readInt(v: Uint8Array): number {
  let x = 0;
  for (let i = 0; i < v.length; i++) x = x * 256 + v[i];
  return v.length && v[0] & 0x80 ? x - 256 ** v.length : x;
}

/** The UTF-8 bytes of a record's first column (the term). */
function firstText(rec: Uint8Array): Uint8Array {
  const [hlen, s] = readVarint(rec, 0);
  const [t] = readVarint(rec, s);
  return rec.subarray(hlen, hlen + serialSize(t));
}

/** Compares a record's first column (text, binary collation) with key: memcmp, then length. */
function compareKey(rec: Uint8Array, key: Uint8Array): number {
  const k = firstText(rec);
  const n = Math.min(k.length, key.length);
  for (let i = 0; i < n; i++) if (k[i] !== key[i]) return k[i] - key[i];
  return k.length - key.length;
}

/** n and rows of a `terms` record (term, n, rows). */
function entryOf(rec: Uint8Array): TermEntry {
  const cols = decodeRecord(rec);
  return { n: Number(cols[1]), rows: cols[2] as Uint8Array };
}
