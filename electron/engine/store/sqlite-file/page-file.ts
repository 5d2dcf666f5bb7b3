// The pages of a SQLite database file being written, in one growing buffer (page n at (n - 1) * pageSize), and the
// page-level pieces every B-tree needs: a page under construction, payload overflow chains, local payload sizes.
// Format reference: https://www.sqlite.org/fileformat2.html

export const PAGE_TABLE_LEAF = 0x0d;
export const PAGE_TABLE_INTERIOR = 0x05;
export const PAGE_INDEX_LEAF = 0x0a;
export const PAGE_INDEX_INTERIOR = 0x02;

/** Pages per chunk of memory: the file grows a chunk at a time, never copying what it holds. */
const CHUNK_PAGES = 256;

export class PageFile {
  private readonly chunks: Uint8Array[] = [];
  private count = 0;

  constructor(readonly pageSize = 4096) {}

  get pages(): number {
    return this.count;
  }

  /** A new zeroed page; returns its number (1-based). */
  allocate(): number {
    if (this.count % CHUNK_PAGES === 0) this.chunks.push(new Uint8Array(CHUNK_PAGES * this.pageSize));
    return ++this.count;
  }

  /** Copies bytes into page `pgno` at `offset` within the page. */
  write(pgno: number, bytes: Uint8Array, offset = 0): void {
    const i = pgno - 1;
    this.chunks[Math.floor(i / CHUNK_PAGES)].set(bytes, (i % CHUNK_PAGES) * this.pageSize + offset);
  }

  /** The file's bytes as consecutive pieces (views of the file's memory). */
  pieces(): Uint8Array[] {
    const full = Math.floor(this.count / CHUNK_PAGES);
    const out = this.chunks.slice(0, full);
    const rest = (this.count % CHUNK_PAGES) * this.pageSize;
    if (rest > 0) out.push(this.chunks[full].subarray(0, rest));
    return out;
  }

  /**
   * Writes payload[from, end) into a chain of overflow pages (each: the next page's number, then content) and
   * returns the first page's number.
   */
  spill(payload: Uint8Array, from: number): number {
    const room = this.pageSize - 4;
    const first = this.allocate();
    const head = new Uint8Array(4);
    let pgno = first;
    for (let at = from; at < payload.length; at += room) {
      const last = at + room >= payload.length;
      const next = last ? 0 : this.allocate();
      writeU32(head, 0, next);
      this.write(pgno, head);
      this.write(pgno, payload.subarray(at, Math.min(payload.length, at + room)), 4);
      pgno = next;
    }
    return first;
  }
}

/**
 * How much of a payload of `size` bytes a cell keeps in its page; the rest goes to overflow pages.
 * `maxLocal` differs between table leaves (usable - 35) and index pages; SQLite computes the same.
 */
export function localPayload(size: number, usable: number, index: boolean): number {
  const maxLocal = index ? Math.floor(((usable - 12) * 64) / 255) - 23 : usable - 35;
  if (size <= maxLocal) return size;
  const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
  const k = minLocal + ((size - minLocal) % (usable - 4));
  return k <= maxLocal ? k : minLocal;
}

/**
 * One page being filled with cells: cell contents grow down from the end of the page, their pointers up from the
 * header (page 1 starts its header after the 100-byte file header).
 */
export class PageBuilder {
  readonly buf: Uint8Array;
  /** A view over buf, for writing numbers into a reserved cell. */
  readonly view: DataView;
  private n = 0;
  private content: number;
  private type = PAGE_TABLE_LEAF;
  /** Starts and lengths of the cells, for popLast. */
  private readonly starts: number[] = [];

  constructor(
    private readonly pageSize: number,
    private readonly headerAt = 0,
  ) {
    this.buf = new Uint8Array(pageSize);
    this.view = new DataView(this.buf.buffer);
    this.content = pageSize;
  }

  get cells(): number {
    return this.n;
  }

  private get headerSize(): number {
    return this.type === PAGE_TABLE_LEAF || this.type === PAGE_INDEX_LEAF ? 8 : 12;
  }

  reset(type: number): void {
    this.type = type;
    this.n = 0;
    this.content = this.pageSize;
    this.starts.length = 0;
  }

  /** Bytes left for cells, counting each cell's 2-byte pointer. */
  get free(): number {
    return this.content - (this.headerAt + this.headerSize + 2 * this.n);
  }

  fits(cellLength: number): boolean {
    return cellLength + 2 <= this.free;
  }

  add(cell: Uint8Array): void {
    if (!this.fits(cell.length)) throw new Error('internal: cell does not fit the page');
    this.content -= cell.length;
    this.buf.set(cell, this.content);
    this.starts.push(this.content);
    this.n++;
  }

  /** Makes room for a cell of `length` bytes (it must fit) and returns where the caller writes it in buf. */
  reserve(length: number): number {
    this.content -= length;
    this.starts.push(this.content);
    this.n++;
    return this.content;
  }

  /** Removes the last cell added and returns a copy of it. */
  popLast(): Uint8Array {
    const start = this.starts.pop()!;
    const end = this.n === 1 ? this.pageSize : this.starts[this.starts.length - 1];
    this.n--;
    this.content = end;
    return this.buf.slice(start, end);
  }

  /** Writes the page header and cell pointers; returns the page's bytes (a view of the builder's buffer). */
  finish(rightChild = 0): Uint8Array {
    const b = this.buf;
    const h = this.headerAt;
    b[h] = this.type;
    b[h + 1] = 0;
    b[h + 2] = 0; // no freeblocks
    b[h + 3] = this.n >> 8;
    b[h + 4] = this.n & 0xff;
    const content = this.content === 65536 ? 0 : this.content;
    b[h + 5] = content >> 8;
    b[h + 6] = content & 0xff;
    b[h + 7] = 0; // no fragmented bytes
    if (this.headerSize === 12) writeU32(b, h + 8, rightChild);
    let p = h + this.headerSize;
    for (const s of this.starts) {
      b[p++] = s >> 8;
      b[p++] = s & 0xff;
    }
    b.fill(0, p, this.content);
    return b;
  }
}

export function writeU32(buf: Uint8Array, at: number, v: number): void {
  buf[at] = (v >>> 24) & 0xff;
  buf[at + 1] = (v >>> 16) & 0xff;
  buf[at + 2] = (v >>> 8) & 0xff;
  buf[at + 3] = v & 0xff;
}
