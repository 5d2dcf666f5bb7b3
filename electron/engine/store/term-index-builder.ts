// Builds a segment's terms sidecar (term-index.ts) row by row in the segment-builder worker, beside the inserts.
//
// It runs on every ingested line, so it avoids what dominated a Map-based version (measured: ~12 µs a line of
// ~20 words, half of it garbage collection): words are found, lowercased and hashed in one pass over the line
// and looked up in an open-addressing table compared against the line itself, so no string is made unless the
// word is new; posting lists live in one growing byte arena (chunks linked by offset) instead of one buffer
// object per word; a word seen in one row keeps just that row id. Non-ASCII words take the general path
// (shared/words.ts folds them).
import { ASCII_WORD_CHARS, foldWord, isWordChar } from '../../../shared/words.ts';
import { PostingBuffer } from './postings.ts';
import { DatabaseWriter } from './sqlite-file/database-writer.ts';
import { RecordEncoder } from './sqlite-file/record.ts';
import {
  LONG_WORDS_TERM,
  MAX_WORD_LENGTH,
  TERMS_OBJECTS,
  TERMS_SCHEMA_VERSION,
  UNTIMED_TERM,
} from './term-index.ts';

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
/** A chunk: [next chunk offset: int32][bytes used: int32][payload…]; payloads double up to this. */
const HEADER = 8;
const MAX_PAYLOAD = 4096;

function hashKey(key: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
  return h;
}

export class TermIndexBuilder {
  private keys: string[] = [];
  private hashes = new Int32Array(1024);
  private lastId = new Int32Array(1024);
  private count = new Int32Array(1024);
  /** Offsets of the first and current chunk (0: none yet, the word is in one row), and the write position. */
  private head = new Int32Array(1024);
  private tail = new Int32Array(1024);
  private fill = new Int32Array(1024);
  private terms = 0;
  /** Slots: entry index + 1, 0 = empty. */
  private table = new Int32Array(4096);
  private mask = 4095;
  private arena = new Uint8Array(1 << 16);
  private arena32 = new Int32Array(this.arena.buffer);
  private arenaLen = HEADER; // offset 0 means "no chunk"
  private readonly long = new PostingBuffer();
  private readonly untimed = new PostingBuffer();
  private id = 0;
  private sawLong = false;

  /** Adds row `id` (ids must ascend from one call to the next). */
  add(id: number, raw: string, timed = true): void {
    this.id = id;
    this.sawLong = false;
    const n = raw.length;
    let start = -1;
    let h = FNV_OFFSET;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      let c = raw.charCodeAt(i);
      if (c < 128) {
        if (ASCII_WORD_CHARS[c] === 1) {
          if (start < 0) {
            start = i;
            h = FNV_OFFSET;
            ascii = true;
          }
          if (c >= 65 && c <= 90) c |= 0x20;
          h = Math.imul(h ^ c, FNV_PRIME);
        } else if (start >= 0) {
          this.word(raw, start, i, h, ascii);
          start = -1;
        }
        continue;
      }
      // The same rules as forEachWord: a surrogate pair is one character, a lone half is not a word character.
      let cp = c;
      let width = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = raw.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          width = 2;
        }
      }
      if (!(cp >= 0xd800 && cp <= 0xdfff) && isWordChar(cp)) {
        if (start < 0) start = i;
        ascii = false;
      } else if (start >= 0) {
        this.word(raw, start, i, h, ascii);
        start = -1;
      }
      i += width - 1;
    }
    if (start >= 0) this.word(raw, start, n, h, ascii);
    if (this.sawLong) this.long.push(id);
    if (!timed) this.untimed.push(id);
  }

  get size(): number {
    return this.terms;
  }

  /** raw[s, e) is a word; h its hash when ascii (lowercased as hashed). */
  private word(raw: string, s: number, e: number, h: number, ascii: boolean): void {
    if (e - s > MAX_WORD_LENGTH) {
      this.sawLong = true;
      return;
    }
    let key: string | null = null;
    if (!ascii) {
      key = foldWord(raw.slice(s, e));
      h = hashKey(key);
    }
    const len = e - s;
    const { table, mask, keys, hashes } = this;
    let slot = h & mask;
    for (;;) {
      const t = table[slot];
      if (t === 0) break;
      const k = t - 1;
      if (hashes[k] === h) {
        const kk = keys[k];
        if (key !== null ? kk === key : kk.length === len && asciiEquals(kk, raw, s)) {
          if (this.lastId[k] !== this.id) this.push(k);
          return;
        }
      }
      slot = (slot + 1) & mask;
    }
    // A private copy: a slice of 13+ characters would pin the whole batch text the line was cut from.
    this.insert(slot, key ?? (' ' + raw.slice(s, e).toLowerCase()).slice(1), h);
  }

  private insert(slot: number, key: string, h: number): void {
    const k = this.terms++;
    if (k === this.hashes.length) {
      const grow = (a: Int32Array) => {
        const g = new Int32Array(a.length * 2);
        g.set(a);
        return g;
      };
      this.hashes = grow(this.hashes);
      this.lastId = grow(this.lastId);
      this.count = grow(this.count);
      this.head = grow(this.head);
      this.tail = grow(this.tail);
      this.fill = grow(this.fill);
    }
    this.keys.push(key);
    this.hashes[k] = h;
    this.lastId[k] = this.id;
    this.count[k] = 1;
    this.table[slot] = k + 1;
    if (this.terms * 2 > this.table.length) this.rehash();
  }

  /** Appends this.id to word k's postings (its first id stays in lastId until a second one comes). */
  private push(k: number): void {
    const id = this.id;
    if (this.head[k] === 0) {
      const c = this.chunk(8);
      this.head[k] = this.tail[k] = c;
      this.fill[k] = this.varint(c + HEADER, this.lastId[k]);
    }
    let at = this.fill[k];
    const tail = this.tail[k];
    const size = this.arena32[(tail >> 2) + 1]; // payload capacity until the chunk is closed
    if (at + 5 > tail + HEADER + size) {
      const next = this.chunk(Math.min(size * 2, MAX_PAYLOAD));
      this.arena32[tail >> 2] = next;
      this.arena32[(tail >> 2) + 1] = at - (tail + HEADER); // closed: bytes used
      this.tail[k] = next;
      at = next + HEADER;
    }
    this.fill[k] = this.varint(at, id - this.lastId[k]);
    this.lastId[k] = id;
    this.count[k]++;
  }

  /** A new chunk (4-byte aligned) with room for `payload` bytes; its header holds the capacity while open. */
  private chunk(payload: number): number {
    const need = this.arenaLen + HEADER + payload;
    if (need > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < need) cap *= 2;
      const grown = new Uint8Array(cap);
      grown.set(this.arena.subarray(0, this.arenaLen));
      this.arena = grown;
      this.arena32 = new Int32Array(grown.buffer);
    }
    const c = this.arenaLen;
    this.arenaLen = need;
    this.arena32[c >> 2] = 0;
    this.arena32[(c >> 2) + 1] = payload;
    return c;
  }

  private varint(at: number, v: number): number {
    const a = this.arena;
    while (v >= 0x80) {
      a[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    a[at++] = v;
    return at;
  }

  /** Word k's encoded postings. */
  private postings(k: number): Uint8Array {
    const head = this.head[k];
    if (head === 0) {
      const b = new PostingBuffer(8);
      b.push(this.lastId[k]);
      return b.view();
    }
    const tail = this.tail[k];
    if (head === tail) return this.arena.subarray(head + HEADER, this.fill[k]);
    let total = this.fill[k] - (tail + HEADER);
    for (let c = head; c !== tail; c = this.arena32[c >> 2]) total += this.arena32[(c >> 2) + 1];
    const out = new Uint8Array(total);
    let p = 0;
    for (let c = head; c !== tail; c = this.arena32[c >> 2]) {
      const used = this.arena32[(c >> 2) + 1];
      out.set(this.arena.subarray(c + HEADER, c + HEADER + used), p);
      p += used;
    }
    out.set(this.arena.subarray(tail + HEADER, this.fill[k]), p);
    return out;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let k = 0; k < this.terms; k++) {
      let slot = this.hashes[k] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = k + 1;
    }
    this.table = table;
    this.mask = mask;
  }

  /** Writes the sidecar database and returns its file bytes. The builder must not be used afterwards. */
  toBytes(info: { segmentId: number; events: number }): Uint8Array {
    const db = new DatabaseWriter();
    const enc = new RecordEncoder();
    // The terms table is WITHOUT ROWID: an index B-tree in the binary collation (UTF-8 byte order), filled in
    // order. JavaScript's string order is the same except between surrogate pairs and U+E000..U+FFFF.
    const keys = this.keys;
    const order = Array.from({ length: this.terms }, (_, k) => k);
    if (keys.some((k) => /[\ud800-\uffff]/.test(k))) {
      const bytes = keys.map((k) => Buffer.from(k, 'utf8'));
      order.sort((a, b) => Buffer.compare(bytes[a], bytes[b]));
    } else order.sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
    const tree = db.index();
    const row = (term: string, n: number, rows: Uint8Array): void => {
      const key = Buffer.from(term, 'utf8');
      tree.add(enc.begin().textBytes(key, 0, key.length).num(n).blob(rows).finish());
    };
    // The reserved keys start with a space, below every word in byte order.
    for (const [term, p] of [
      [LONG_WORDS_TERM, this.long],
      [UNTIMED_TERM, this.untimed],
    ] as const) {
      if (p.n > 0) row(term, p.n, p.view());
    }
    for (const k of order) row(keys[k], this.count[k], this.postings(k));
    this.keys = [];
    this.arena = new Uint8Array(0);
    db.keyValueTable('meta', TERMS_OBJECTS.meta, [
      ['terms_schema_version', String(TERMS_SCHEMA_VERSION)],
      ['segment_id', String(info.segmentId)],
      ['events', String(info.events)],
      ['max_word_length', String(MAX_WORD_LENGTH)],
    ]);
    db.schema('table', 'terms', 'terms', tree.finish(), TERMS_OBJECTS.terms);
    return db.finish();
  }
}

/** key (lowercase ASCII) equals raw[s, s + key.length) lowercased. */
function asciiEquals(key: string, raw: string, s: number): boolean {
  for (let i = 0; i < key.length; i++) {
    let c = raw.charCodeAt(s + i);
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== key.charCodeAt(i)) return false;
  }
  return true;
}

/** The sidecar file's bytes for rows given in id order, through the same builder the worker uses (tests, tools). */
export function buildTermIndex(
  rows: Iterable<{ id: number; raw: string; ts: number | null }>,
  info: { segmentId: number; events: number },
): Uint8Array {
  const b = new TermIndexBuilder();
  for (const r of rows) b.add(r.id, r.raw, r.ts !== null);
  return b.toBytes(info);
}
