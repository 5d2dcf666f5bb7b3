// Bulk-loads SQLite B-trees bottom up from rows that arrive in key order, which is how a segment is written:
// rows in id order (a table B-tree), index entries and terms sorted first (index B-trees). Leaves are written as
// they fill; the interior levels are built at finish() from the leaves' keys. Every page but the last of a level
// is full, and every non-root page holds at least one cell, as SQLite's own balancing leaves them.
import { varintLength, writeVarint, type RecordEncoder } from './record.ts';
import {
  localPayload,
  PageBuilder,
  PageFile,
  PAGE_INDEX_INTERIOR,
  PAGE_INDEX_LEAF,
  PAGE_TABLE_INTERIOR,
  PAGE_TABLE_LEAF,
  writeU32,
} from './page-file.ts';

/** Room for a cell's header (two varints) and its overflow page number, beside the local payload. */
const CELL_OVERHEAD = 9 + 9 + 4;

/** Builds a cell: its prefix varints, the local part of the payload, and the first overflow page when it spills. */
class CellEncoder {
  private buf = new Uint8Array(4096);

  constructor(
    private readonly file: PageFile,
    private readonly index: boolean,
  ) {}

  encode(payload: Uint8Array, rowid: number | null): Uint8Array {
    const usable = this.file.pageSize;
    const local = localPayload(payload.length, usable, this.index);
    if (this.buf.length < local + CELL_OVERHEAD) this.buf = new Uint8Array(local + CELL_OVERHEAD);
    const b = this.buf;
    let at = writeVarint(b, 0, payload.length);
    if (rowid !== null) at = writeVarint(b, at, rowid);
    b.set(payload.subarray(0, local), at);
    at += local;
    if (local < payload.length) {
      writeU32(b, at, this.file.spill(payload, local));
      at += 4;
    }
    return b.subarray(0, at);
  }
}

/** A rowid table, rows added in ascending rowid order. */
export class TableTreeWriter {
  private readonly leaf: PageBuilder;
  private readonly cells: CellEncoder;
  private readonly children: number[] = [];
  private readonly keys: number[] = [];
  private lastRowid = 0;

  constructor(private readonly file: PageFile) {
    this.leaf = new PageBuilder(file.pageSize);
    this.leaf.reset(PAGE_TABLE_LEAF);
    this.cells = new CellEncoder(file, false);
  }

  add(rowid: number, record: Uint8Array): void {
    if (rowid <= this.lastRowid && this.children.length + this.leaf.cells > 0) {
      throw new Error(`internal: row ids must ascend (${rowid} after ${this.lastRowid})`);
    }
    const cell = this.cells.encode(record, rowid);
    if (!this.leaf.fits(cell.length)) this.flushLeaf();
    this.leaf.add(cell);
    this.lastRowid = rowid;
  }

  /** add(rowid, enc.finish()), but a row that fits its page is encoded straight into the leaf (no copies). */
  addRecord(rowid: number, enc: RecordEncoder): void {
    const size = enc.size();
    if (localPayload(size, this.file.pageSize, false) < size) {
      this.add(rowid, enc.finish());
      return;
    }
    if (rowid <= this.lastRowid && this.children.length + this.leaf.cells > 0) {
      throw new Error(`internal: row ids must ascend (${rowid} after ${this.lastRowid})`);
    }
    const cellLength = varintLength(size) + varintLength(rowid) + size;
    if (!this.leaf.fits(cellLength)) this.flushLeaf();
    const buf = this.leaf.buf;
    let at = this.leaf.reserve(cellLength);
    at = writeVarint(buf, at, size);
    at = writeVarint(buf, at, rowid);
    enc.writeTo(buf, this.leaf.view, at);
    this.lastRowid = rowid;
  }

  /** Writes what is left and the interior pages; returns the root page's number. */
  finish(): number {
    if (this.leaf.cells > 0 || this.children.length === 0) this.flushLeaf();
    let children = this.children;
    let keys = this.keys;
    const interior = new PageBuilder(this.file.pageSize);
    while (children.length > 1) {
      const sizes = keys.slice(0, -1).map((k) => 4 + varintSize(k));
      const nextChildren: number[] = [];
      const nextKeys: number[] = [];
      for (const [a, b] of partition(sizes, this.file.pageSize - 12)) {
        interior.reset(PAGE_TABLE_INTERIOR);
        const cell = new Uint8Array(13);
        for (let i = a; i < b; i++) {
          writeU32(cell, 0, children[i]);
          const end = writeVarint(cell, 4, keys[i]);
          interior.add(cell.subarray(0, end));
        }
        nextChildren.push(this.writePage(interior, children[b]));
        nextKeys.push(keys[b]);
      }
      children = nextChildren;
      keys = nextKeys;
    }
    return children[0];
  }

  private flushLeaf(): void {
    this.children.push(this.writePage(this.leaf, 0));
    this.keys.push(this.lastRowid);
    this.leaf.reset(PAGE_TABLE_LEAF);
  }

  private writePage(page: PageBuilder, right: number): number {
    const pgno = this.file.allocate();
    this.file.write(pgno, page.finish(right));
    return pgno;
  }
}

/** An index B-tree (an index, or a WITHOUT ROWID table), entries added in ascending key order. */
export class IndexTreeWriter {
  private leaf: PageBuilder;
  /** A full leaf not yet written: it is written once an entry after the divider shows it is not the last. */
  private held: PageBuilder;
  private holding = false;
  private divider: Uint8Array | null = null;
  private readonly cells: CellEncoder;
  private readonly children: number[] = [];
  /** dividers[i] separates children[i] and children[i + 1]; in an index B-tree each entry is stored once. */
  private readonly dividers: Uint8Array[] = [];

  constructor(private readonly file: PageFile) {
    this.leaf = new PageBuilder(file.pageSize);
    this.held = new PageBuilder(file.pageSize);
    this.leaf.reset(PAGE_INDEX_LEAF);
    this.cells = new CellEncoder(file, true);
  }

  add(record: Uint8Array): void {
    const cell = this.cells.encode(record, null);
    if (this.divider) {
      this.children.push(this.writePage(this.held, 0));
      this.dividers.push(this.divider);
      this.divider = null;
      this.holding = false;
    }
    if (this.leaf.fits(cell.length)) {
      this.leaf.add(cell);
      return;
    }
    // The leaf is full: this entry goes up as the divider, unless it turns out to be the last one.
    [this.held, this.leaf] = [this.leaf, this.held];
    this.leaf.reset(PAGE_INDEX_LEAF);
    this.holding = true;
    this.divider = cell.slice();
  }

  /** add(enc.finish()), but an entry that fits the current leaf is encoded straight into it (no copies). */
  addRecord(enc: RecordEncoder): void {
    const size = enc.size();
    const cellLength = varintLength(size) + size;
    if (this.divider || !this.leaf.fits(cellLength) || localPayload(size, this.file.pageSize, true) < size) {
      this.add(enc.finish());
      return;
    }
    const at = writeVarint(this.leaf.buf, this.leaf.reserve(cellLength), size);
    enc.writeTo(this.leaf.buf, this.leaf.view, at);
  }

  finish(): number {
    if (this.holding && this.divider) {
      // The last entry came right after a full leaf: that leaf's last entry becomes the divider instead.
      const last = this.held.popLast();
      this.children.push(this.writePage(this.held, 0));
      this.dividers.push(last);
      this.leaf.add(this.divider);
      this.divider = null;
    }
    this.children.push(this.writePage(this.leaf, 0));
    let children = this.children;
    let dividers = this.dividers;
    const interior = new PageBuilder(this.file.pageSize);
    while (children.length > 1) {
      const sizes = dividers.map((d) => 4 + d.length);
      const nextChildren: number[] = [];
      const nextDividers: Uint8Array[] = [];
      const ranges = partition(sizes, this.file.pageSize - 12);
      for (let r = 0; r < ranges.length; r++) {
        const [a, b] = ranges[r];
        interior.reset(PAGE_INDEX_INTERIOR);
        for (let i = a; i < b; i++) {
          const cell = new Uint8Array(4 + dividers[i].length);
          writeU32(cell, 0, children[i]);
          cell.set(dividers[i], 4);
          interior.add(cell);
        }
        nextChildren.push(this.writePage(interior, children[b]));
        if (r < ranges.length - 1) nextDividers.push(dividers[b]);
      }
      children = nextChildren;
      dividers = nextDividers;
    }
    return children[0];
  }

  private writePage(page: PageBuilder, right: number): number {
    const pgno = this.file.allocate();
    this.file.write(pgno, page.finish(right));
    return pgno;
  }
}

/**
 * Splits children 0..k (k = sizes.length; cell i joins child i to child i + 1 and costs sizes[i] + 2 bytes) into
 * pages [a, b]: a page holds children a..b, cells a..b-1 placed in it, cell b becomes the boundary (the key or
 * divider one level up). Pages fill greedily; the last one is given a cell of its own if it would have none.
 */
export function partition(sizes: number[], capacity: number): [number, number][] {
  const k = sizes.length;
  const pages: [number, number][] = [];
  let a = 0;
  let used = 0;
  for (let i = 0; i < k; i++) {
    if (used + sizes[i] + 2 <= capacity) {
      used += sizes[i] + 2;
      continue;
    }
    pages.push([a, i]);
    a = i + 1;
    used = 0;
  }
  pages.push([a, k]);
  const n = pages.length;
  if (n > 1 && pages[n - 1][0] === pages[n - 1][1]) {
    // A lone last child: the page before gives up its last cell.
    const [pa, pb] = pages[n - 2];
    pages[n - 2] = [pa, pb - 1];
    pages[n - 1] = [pb, k];
  }
  return pages;
}

function varintSize(v: number): number {
  let n = 1;
  while (v >= 0x80 && n < 9) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}
