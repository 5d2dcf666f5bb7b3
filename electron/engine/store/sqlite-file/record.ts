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

/**
 * Builds one record column by column: null(), int(), real(), text(), blob(), then finish(). The values are staged
 * (types and where their bytes are) because the header, which comes first, depends on all of them.
 */
export class RecordEncoder {
  private types: number[] = [];
  private nums: number[] = [];
  /** Text and blob bytes, staged back to back. */
  private data = new Uint8Array(4096);
  private dataLen = 0;
  private out = new Uint8Array(4096);

  begin(): this {
    this.types.length = 0;
    this.nums.length = 0;
    this.dataLen = 0;
    return this;
  }

  null(): this {
    this.types.push(0);
    this.nums.push(0);
    return this;
  }

  /** A number: stored as an integer when it is one (SQLite does the same for REAL columns), else as a float. */
  num(v: number): this {
    if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) this.types.push(intType(v));
    else this.types.push(7);
    this.nums.push(v);
    return this;
  }

  numOrNull(v: number | null): this {
    return v == null || Number.isNaN(v) ? this.null() : this.num(v);
  }

  /** UTF-8 text from bytes[start, end). */
  textBytes(bytes: Uint8Array, start: number, end: number): this {
    this.stage(bytes, start, end);
    this.types.push((end - start) * 2 + 13);
    this.nums.push(0);
    return this;
  }

  text(s: string): this {
    const b = TEXT_ENCODER.encode(s);
    return this.textBytes(b, 0, b.length);
  }

  blob(bytes: Uint8Array): this {
    this.stage(bytes, 0, bytes.length);
    this.types.push(bytes.length * 2 + 12);
    this.nums.push(0);
    return this;
  }

  /** The record's bytes: a view of an internal buffer, valid until the next begin(). */
  finish(): Uint8Array {
    const { types, nums } = this;
    let headerLen = 0;
    let bodyLen = 0;
    for (const t of types) {
      headerLen += varintLength(t);
      bodyLen += t < 12 ? INT_SIZES[t] : (t - 12) >> 1;
    }
    // The header's size counts its own varint, which may grow by a byte when the total crosses 127.
    let n = 1;
    while (varintLength(headerLen + n) > n) n++;
    const hl = headerLen + n;
    const total = hl + bodyLen;
    if (this.out.length < total) this.out = new Uint8Array(Math.max(total, this.out.length * 2));
    const out = this.out;
    let at = writeVarint(out, 0, hl);
    for (const t of types) at = writeVarint(out, at, t);
    let dataAt = 0;
    for (let i = 0; i < types.length; i++) {
      const t = types[i];
      if (t >= 12) {
        const len = (t - 12) >> 1;
        out.set(this.data.subarray(dataAt, dataAt + len), at);
        dataAt += len;
        at += len;
      } else if (t === 7) {
        new DataView(out.buffer, out.byteOffset + at, 8).setFloat64(0, nums[i]);
        at += 8;
      } else if (t >= 1 && t <= 6) {
        at = writeInt(out, at, nums[i], INT_SIZES[t]);
      }
    }
    return out.subarray(0, total);
  }

  private stage(bytes: Uint8Array, start: number, end: number): void {
    const need = this.dataLen + (end - start);
    if (need > this.data.length) {
      const grown = new Uint8Array(Math.max(need, this.data.length * 2));
      grown.set(this.data.subarray(0, this.dataLen));
      this.data = grown;
    }
    this.data.set(bytes.subarray(start, end), this.dataLen);
    this.dataLen = need;
  }
}

/** Writes v as a big-endian two's-complement integer of `size` bytes. */
function writeInt(out: Uint8Array, at: number, v: number, size: number): number {
  // Split into high and low 32-bit halves: bit operators only see 32 bits.
  let lo = v % 0x100000000;
  let hi = Math.floor(v / 0x100000000);
  if (lo < 0) lo += 0x100000000;
  for (let i = size - 1; i >= 0; i--) {
    if (i >= size - 4) {
      out[at + i] = lo & 0xff;
      lo = Math.floor(lo / 256);
    } else {
      out[at + i] = hi & 0xff;
      hi >>= 8;
    }
  }
  return at + size;
}
