// SQLite's record format (https://www.sqlite.org/fileformat2.html#record_format): a header of varint serial types,
// then the values. One encoder is reused for every row, so encoding allocates nothing but its growing scratch buffer.

const TEXT_ENCODER = new TextEncoder();

/** Bytes a varint of v takes (v ≥ 0, below 2^53: lengths, row ids, header sizes). */
export function varintLength(v: number): number {
  let n = 1;
  while (v >= 0x80 && n < 9) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Writes v (0 ≤ v < 2^53) as a big-endian varint at `at`; returns the position after it. */
export function writeVarint(buf: Uint8Array, at: number, v: number): number {
  if (v < 0x80) {
    buf[at] = v;
    return at + 1;
  }
  // Values here stay far below 2^56, so the 9-byte form (8 bits in the last byte) is never needed.
  const n = varintLength(v);
  for (let i = n - 1; i >= 0; i--) {
    buf[at + i] = (v % 128) | (i === n - 1 ? 0 : 0x80);
    v = Math.floor(v / 128);
  }
  return at + n;
}

/** Body bytes of serial types 0..9 (7 is a float64; 8 and 9 are the constants 0 and 1). */
const INT_SIZES = [0, 1, 2, 3, 4, 6, 8, 8, 0, 0];

/** The serial type of an integer value (schema format 4: 0 and 1 take no bytes). */
function intType(v: number): number {
  if (v === 0) return 8;
  if (v === 1) return 9;
  if (v >= -128 && v <= 127) return 1;
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -8388608 && v <= 8388607) return 3;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  if (v >= -140737488355328 && v <= 140737488355327) return 5;
  return 6;
}

/** Most columns a record may have. */
const MAX_COLUMNS = 64;

/**
 * Builds one record column by column: null(), num(), text(), blob(), then finish(). Column values are staged (a
 * serial type, and a number or a reference to bytes) because the header, which comes first, depends on all of them;
 * text and blobs are copied once, straight into the record. Nothing is allocated per record.
 */
export class RecordEncoder {
  private n = 0;
  private readonly types = new Int32Array(MAX_COLUMNS);
  private readonly nums = new Float64Array(MAX_COLUMNS);
  private readonly refs: (Uint8Array | null)[] = new Array<Uint8Array | null>(MAX_COLUMNS).fill(null);
  private readonly strings: (string | null)[] = new Array<string | null>(MAX_COLUMNS).fill(null);
  private readonly starts = new Int32Array(MAX_COLUMNS);
  private out = new Uint8Array(4096);
  private view = new DataView(this.out.buffer);
  /** The header's length, set by size(). */
  private headerLen = 0;

  begin(): this {
    this.n = 0;
    return this;
  }

  null(): this {
    this.types[this.n++] = 0;
    return this;
  }

  /** A number: stored as an integer when it is one (SQLite does the same for REAL columns), else as a float. */
  num(v: number): this {
    const i = this.n++;
    this.types[i] = Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? intType(v) : 7;
    this.nums[i] = v;
    return this;
  }

  numOrNull(v: number | null): this {
    return v == null || Number.isNaN(v) ? this.null() : this.num(v);
  }

  /** UTF-8 text from bytes[start, end); the bytes must not change before finish(). */
  textBytes(bytes: Uint8Array, start: number, end: number): this {
    return this.ref(bytes, start, (end - start) * 2 + 13);
  }

  text(s: string): this {
    const b = TEXT_ENCODER.encode(s);
    return this.textBytes(b, 0, b.length);
  }

  /** Text known to be ASCII (one byte per character), written without encoding it first. */
  asciiText(s: string): this {
    const i = this.n++;
    this.types[i] = s.length * 2 + 13;
    this.strings[i] = s;
    return this;
  }

  blob(bytes: Uint8Array): this {
    return this.ref(bytes, 0, bytes.length * 2 + 12);
  }

  /** The record's bytes: a view of an internal buffer, valid until the next finish(). */
  finish(): Uint8Array {
    const total = this.size();
    if (this.out.length < total) {
      this.out = new Uint8Array(Math.max(total, this.out.length * 2));
      this.view = new DataView(this.out.buffer);
    }
    this.writeTo(this.out, this.view, 0);
    return this.out.subarray(0, total);
  }

  /** The encoded record's length in bytes (call after the last column, before writeTo). */
  size(): number {
    const { types, n } = this;
    let headerLen = 0;
    let bodyLen = 0;
    for (let i = 0; i < n; i++) {
      const t = types[i];
      headerLen += t < 128 ? 1 : varintLength(t);
      bodyLen += t < 12 ? INT_SIZES[t] : (t - 12) >> 1;
    }
    // The header's size counts its own varint, which may grow by a byte when the total crosses 127.
    let k = 1;
    while (varintLength(headerLen + k) > k) k++;
    this.headerLen = headerLen + k;
    return this.headerLen + bodyLen;
  }

  /**
   * Writes the record sized by the last size() call into out at `at`, e.g. straight into a page, which saves a copy
   * and a view object per row. `view` covers the same bytes as out (same buffer and offset). Returns the end.
   */
  writeTo(out: Uint8Array, view: DataView, at: number): number {
    const { types, nums, n } = this;
    at = writeVarint(out, at, this.headerLen);
    for (let i = 0; i < n; i++) at = writeVarint(out, at, types[i]);
    for (let i = 0; i < n; i++) {
      const t = types[i];
      if (t >= 12) {
        const len = (t - 12) >> 1;
        const str = this.strings[i];
        if (str !== null) {
          for (let j = 0; j < len; j++) out[at + j] = str.charCodeAt(j);
          this.strings[i] = null;
        } else {
          const src = this.refs[i]!;
          const start = this.starts[i];
          // Short values (most columns) copy faster by hand than through a new view object.
          if (len <= 64) for (let j = 0; j < len; j++) out[at + j] = src[start + j];
          else out.set(src.subarray(start, start + len), at);
          this.refs[i] = null;
        }
        at += len;
      } else if (t === 7) {
        view.setFloat64(at, nums[i]);
        at += 8;
      } else if (t >= 1 && t <= 6) {
        at = writeInt(view, at, nums[i], t);
      }
    }
    return at;
  }

  private ref(bytes: Uint8Array, start: number, type: number): this {
    const i = this.n++;
    this.types[i] = type;
    this.refs[i] = bytes;
    this.starts[i] = start;
    return this;
  }
}

/** Writes v as a big-endian two's-complement integer of serial type t (1..6); returns the position after it. */
function writeInt(view: DataView, at: number, v: number, t: number): number {
  switch (t) {
    case 1:
      view.setInt8(at, v);
      return at + 1;
    case 2:
      view.setInt16(at, v);
      return at + 2;
    case 3:
      view.setInt8(at, v >> 16);
      view.setUint16(at + 1, v & 0xffff);
      return at + 3;
    case 4:
      view.setInt32(at, v);
      return at + 4;
    case 5: {
      // 48 bits: the high 16 as a signed half, the low 32 unsigned.
      const hi = Math.floor(v / 0x100000000);
      view.setInt16(at, hi);
      view.setUint32(at + 2, v - hi * 0x100000000);
      return at + 6;
    }
    default:
      view.setBigInt64(at, BigInt(v));
      return at + 8;
  }
}
