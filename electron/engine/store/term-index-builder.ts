// Builds a segment's terms sidecar (term-index.ts) row by row in the segment-builder worker, beside the inserts.
//
// It runs on every ingested line, so it avoids what dominated a Map-based version (measured: ~12 µs a line of
// ~20 words, half of it garbage collection): words are found, lowercased and hashed in one pass over the line
// and looked up in an open-addressing table, so no string is made unless the word is new; posting lists live in
// one growing byte arena (chunks linked by offset) instead of one buffer object per word; a word seen in one row
// keeps just that row id. Non-ASCII words take the general path (shared/words.ts folds them).
//
// A word is identified by two independent 32-bit hashes of its folded text (FNV-1a, and a rotate-xor-multiply
// one), never by comparing its text with the word's key: reading the key, a string somewhere in the heap, was a
// cache miss on most lookups of a segment's ~90k words (dropping it made add() ~30% cheaper, the builder's share
// of a real ingest's builder threads 54% -> 49%). Two of a segment's n distinct words share both hashes with a
// probability of about n²/2⁶⁵ (~2e-10 for 90k words); they would then be one term, under the first one's text
// with the rows of both.
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
const B_SEED = 0x2d358dcc;
const B_MULT = 0x9e3779b1 | 0;
/** A chunk: [next chunk offset: int32][bytes used: int32][payload…]; payloads double up to this. */
const HEADER = 8;
const MAX_PAYLOAD = 4096;
const ENTRY = 8;
const E_HASH = 0;
const E_LAST = 1;
const E_COUNT = 2;
const E_HEAD = 3;
const E_TAIL = 4;
const E_FILL = 5;
const E_HASH_B = 6;

/** Hash A of a folded word (as add() computes it on the fly for ASCII words). */
function hashKey(key: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Hash B of a folded word. */
function hashKeyB(key: string): number {
  let g = B_SEED;
  for (let i = 0; i < key.length; i++) g = Math.imul(((g << 5) | (g >>> 27)) ^ key.charCodeAt(i), B_MULT);
  return g;
}

export class TermIndexBuilder {
  private keys: string[] = [];
  /**
   * Per word, ENTRY int32s side by side (one cache line): its hash A, the last row id holding it, its row count,
   * the offsets of its first and current postings chunk (0: none yet, the word is in one row), the write position
   * and its hash B. A lookup of a word seen before touches its table slot and this entry: separate arrays per
   * field cost a cache miss each, which dominated on segments of ~90k distinct words.
   */
  private ent = new Int32Array(1024 * ENTRY);
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
  /** True once a word with a non-ASCII character is indexed (its key is not one byte per character). */
  private nonAscii = false;
  /** Scratch for the postings of a word seen in one row. */
  private readonly one = new Uint8Array(8);

  /** Adds row `id` (ids must ascend from one call to the next). */
  add(id: number, raw: string, timed = true): void {
    this.id = id;
    this.sawLong = false;
    const n = raw.length;
    let start = -1;
    let h = FNV_OFFSET;
    let g = B_SEED;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      let c = raw.charCodeAt(i);
      if (c < 128) {
        if (ASCII_WORD_CHARS[c] === 1) {
          if (start < 0) {
            start = i;
            h = FNV_OFFSET;
            g = B_SEED;
            ascii = true;
          }
          if (c >= 65 && c <= 90) c |= 0x20;
          h = Math.imul(h ^ c, FNV_PRIME);
          g = Math.imul(((g << 5) | (g >>> 27)) ^ c, B_MULT);
        } else if (start >= 0) {
          this.word(raw, start, i, h, g, ascii);
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
        this.word(raw, start, i, h, g, ascii);
        start = -1;
      }
      i += width - 1;
    }
    if (start >= 0) this.word(raw, start, n, h, g, ascii);
    if (this.sawLong) this.long.push(id);
    if (!timed) this.untimed.push(id);
  }

  get size(): number {
    return this.terms;
  }

  /** raw[s, e) is a word; h, g its hashes A and B when ascii (lowercased as hashed). */
  private word(raw: string, s: number, e: number, h: number, g: number, ascii: boolean): void {
    if (e - s > MAX_WORD_LENGTH) {
      this.sawLong = true;
      return;
    }
    let key: string | null = null;
    if (!ascii) {
      key = foldWord(raw.slice(s, e));
      h = hashKey(key);
      g = hashKeyB(key);
      this.nonAscii = true;
    }
    const { table, mask, ent } = this;
    let slot = h & mask;
    for (;;) {
      const t = table[slot];
      if (t === 0) break;
      const k = t - 1;
      // Both hashes equal: the same word (see the top of the file), so the word's text is not compared.
      if (ent[k * ENTRY + E_HASH] === h && ent[k * ENTRY + E_HASH_B] === g) {
        if (ent[k * ENTRY + E_LAST] !== this.id) this.push(k);
        return;
      }
      slot = (slot + 1) & mask;
    }
    // A private copy: a slice of 13+ characters would pin the whole batch text the line was cut from.
    this.insert(slot, key ?? (' ' + raw.slice(s, e).toLowerCase()).slice(1), h, g);
  }

  private insert(slot: number, key: string, h: number, g: number): void {
    const k = this.terms++;
    if ((k + 1) * ENTRY > this.ent.length) {
      const g = new Int32Array(this.ent.length * 2);
      g.set(this.ent);
      this.ent = g;
    }
    this.keys.push(key);
    const e = k * ENTRY;
    this.ent[e + E_HASH] = h;
    this.ent[e + E_HASH_B] = g;
    this.ent[e + E_LAST] = this.id;
    this.ent[e + E_COUNT] = 1;
    this.table[slot] = k + 1;
    if (this.terms * 2 > this.table.length) this.rehash();
  }

  /** Appends this.id to word k's postings (its first id stays in lastId until a second one comes). */
  private push(k: number): void {
    const id = this.id;
    const ent = this.ent;
    const e = k * ENTRY;
    if (ent[e + E_HEAD] === 0) {
      const c = this.chunk(8);
      ent[e + E_HEAD] = ent[e + E_TAIL] = c;
      ent[e + E_FILL] = this.varint(c + HEADER, ent[e + E_LAST]);
    }
    let at = ent[e + E_FILL];
    const tail = ent[e + E_TAIL];
    const size = this.arena32[(tail >> 2) + 1]; // payload capacity until the chunk is closed
    if (at + 5 > tail + HEADER + size) {
      const next = this.chunk(Math.min(size * 2, MAX_PAYLOAD));
      this.arena32[tail >> 2] = next;
      this.arena32[(tail >> 2) + 1] = at - (tail + HEADER); // closed: bytes used
      ent[e + E_TAIL] = next;
      at = next + HEADER;
    }
    ent[e + E_FILL] = this.varint(at, id - ent[e + E_LAST]);
    ent[e + E_LAST] = id;
    ent[e + E_COUNT]++;
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
    return this.varintInto(this.arena, at, v);
  }

  private varintInto(a: Uint8Array, at: number, v: number): number {
    while (v >= 0x80) {
      a[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    a[at++] = v;
    return at;
  }

  /**
   * Terms in the binary collation's order (UTF-8 bytes), which the WITHOUT ROWID terms table is kept in.
   * JavaScript's string order is the same but between surrogate pairs and U+E000..U+FFFF, so only sidecars with
   * non-ASCII words compare bytes. ASCII terms are sorted natively on a number made of their first four characters
   * and their index (twice as fast as comparing strings), then runs sharing those four characters by string.
   */
  private sortedTerms(): number[] {
    const { keys, terms: n } = this;
    if (this.nonAscii) {
      const bytes = keys.map((k) => Buffer.from(k, 'utf8'));
      return Array.from({ length: n }, (_, k) => k).sort((a, b) => Buffer.compare(bytes[a], bytes[b]));
    }
    const SHIFT = 2 ** 25; // indexes below 32M; a segment's words are far fewer
    const prefixed = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const s = keys[k];
      let p = 0;
      for (let j = 0; j < 4; j++) p = p * 128 + (j < s.length ? s.charCodeAt(j) : 0);
      prefixed[k] = p * SHIFT + k;
    }
    prefixed.sort();
    const order: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) order[i] = prefixed[i] % SHIFT;
    const byString = (a: number, b: number) => (keys[a] < keys[b] ? -1 : 1);
    for (let i = 0; i < n;) {
      const p = Math.floor(prefixed[i] / SHIFT);
      let j = i + 1;
      while (j < n && Math.floor(prefixed[j] / SHIFT) === p) j++;
      if (j - i > 1) {
        const run = order.slice(i, j).sort(byString);
        for (let q = i; q < j; q++) order[q] = run[q - i];
      }
      i = j;
    }
    return order;
  }

  /** Word k's encoded postings (a view valid until the next call). */
  private postings(k: number): Uint8Array {
    const e = k * ENTRY;
    const head = this.ent[e + E_HEAD];
    if (head === 0) {
      const end = this.varintInto(this.one, 0, this.ent[e + E_LAST]);
      return this.one.subarray(0, end);
    }
    const tail = this.ent[e + E_TAIL];
    const fill = this.ent[e + E_FILL];
    if (head === tail) return this.arena.subarray(head + HEADER, fill);
    let total = fill - (tail + HEADER);
    for (let c = head; c !== tail; c = this.arena32[c >> 2]) total += this.arena32[(c >> 2) + 1];
    const out = new Uint8Array(total);
    let p = 0;
    for (let c = head; c !== tail; c = this.arena32[c >> 2]) {
      const used = this.arena32[(c >> 2) + 1];
      out.set(this.arena.subarray(c + HEADER, c + HEADER + used), p);
      p += used;
    }
    out.set(this.arena.subarray(tail + HEADER, fill), p);
    return out;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let k = 0; k < this.terms; k++) {
      let slot = this.ent[k * ENTRY + E_HASH] & mask;
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
    const keys = this.keys;
    const order = this.sortedTerms();
    const ascii = !this.nonAscii;
    const tree = db.index();
    const row = (term: string, n: number, rows: Uint8Array): void => {
      if (ascii) enc.begin().asciiText(term);
      else enc.begin().text(term);
      tree.addRecord(enc.num(n).blob(rows));
    };
    // The reserved keys start with a space, below every word in byte order.
    for (const [term, p] of [
      [LONG_WORDS_TERM, this.long],
      [UNTIMED_TERM, this.untimed],
    ] as const) {
      if (p.n > 0) row(term, p.n, p.view());
    }
    for (const k of order) row(keys[k], this.ent[k * ENTRY + E_COUNT], this.postings(k));
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

/** The sidecar file's bytes for rows given in id order, through the same builder the worker uses (tests, tools). */
export function buildTermIndex(
  rows: Iterable<{ id: number; raw: string; ts: number | null }>,
  info: { segmentId: number; events: number },
): Uint8Array {
  const b = new TermIndexBuilder();
  for (const r of rows) b.add(r.id, r.raw, r.ts !== null);
  return b.toBytes(info);
}
