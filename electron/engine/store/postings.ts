// Posting lists: ascending event ids, stored as the gaps between them in LEB128 varints (7 bits per byte, high
// bit = more). Frequent words have gaps of a few rows, so most ids cost one byte.

/** Appends ids (ascending, unique, ≥ 1) to a growable byte buffer while rows are inserted. */
export class PostingBuffer {
  bytes: Uint8Array;
  length = 0;
  last = 0;
  n = 0;

  constructor(capacity = 8) {
    this.bytes = new Uint8Array(capacity);
  }

  push(id: number): void {
    let v = id - this.last;
    this.last = id;
    this.n++;
    if (this.length + 5 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
  }

  /** The encoded list (a view: copy it before pushing more). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

export function encodePostings(ids: ArrayLike<number>): Uint8Array {
  const b = new PostingBuffer(Math.max(8, ids.length * 2));
  for (let i = 0; i < ids.length; i++) b.push(ids[i]);
  return b.view().slice();
}

/** Decodes n ids (n from the `terms.n` column, which sizes the result without a first pass). */
export function decodePostings(bytes: Uint8Array, n: number): Int32Array {
  const out = new Int32Array(n);
  let id = 0;
  let p = 0;
  for (let i = 0; i < n; i++) {
    let b = bytes[p++];
    let v = b & 0x7f;
    let shift = 7;
    while (b & 0x80) {
      b = bytes[p++];
      v |= (b & 0x7f) << shift;
      shift += 7;
    }
    id += v;
    out[i] = id;
  }
  return out;
}
