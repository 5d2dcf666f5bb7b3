// Remembers, per masked line, the cluster the miner's full search gave it, so a line seen before in the same
// masked form skips the tree and the similarity scan. Most log volume repeats a few hundred masked forms.
//
// An answer is reused only while it is certain to be what the full search would give again:
// - the search for these tokens ended at the same leaf (routing never changes once a line reached a leaf:
//   children are only added, and a full node takes no new constant child);
// - it picked a cluster with every constant shared and changed nothing (joining a cluster that widens or
//   generalises is never cached);
// - the leaf has not changed since (its `version` counts every cluster added, widened, generalised or folded
//   there, and the search reads nothing but that leaf's clusters).
// Keys are compared in full, never trusted to the hash. The table has a fixed number of slots, two per set (a
// new line replaces the one used least recently), and keys of bounded length, so memory stays bounded whatever the
// input (8192 slots of at most 1 KB each).

import type { MaskedLine } from './tokenize.ts';

/** Anything whose changes are counted: the miner's tree leaves. */
export interface Versioned {
  version: number;
}

/** Longest masked line kept (code units): longer lines take the full search every time. */
const MAX_KEY = 512;

export class LineCache<V> {
  /** Slots come in sets of two (a masked line may sit in either), so two busy lines sharing a set both stay. */
  private readonly setMask: number;
  private readonly hashes: Int32Array;
  /** Per slot the key's code units as 32-bit words (see MaskedLine.words) and its length in code units. */
  private readonly keys: Array<Int32Array | null>;
  private readonly lengths: Int32Array;
  private readonly leaves: Array<Versioned | null>;
  private readonly versions: Float64Array;
  private readonly values: Array<V | null>;
  /** Per set, the slot (0 or 1) used least recently: the one a new line replaces. */
  private readonly older: Uint8Array;

  /** `slots` is rounded up to a power of two; 0 turns the cache off. */
  constructor(slots: number) {
    const size = slots <= 0 ? 0 : Math.max(2, 2 ** Math.ceil(Math.log2(slots)));
    this.setMask = size / 2 - 1;
    this.hashes = new Int32Array(size);
    this.keys = new Array<Int32Array | null>(size).fill(null);
    this.lengths = new Int32Array(size);
    this.leaves = new Array<Versioned | null>(size).fill(null);
    this.versions = new Float64Array(size);
    this.values = new Array<V | null>(size).fill(null);
    this.older = new Uint8Array(size / 2);
  }

  /** The answer remembered for this masked line, if it still holds. */
  get(line: MaskedLine): V | null {
    if (this.setMask < 0) return null;
    const set = line.hash & this.setMask;
    let slot = set * 2;
    if (!this.holds(slot, line) && !this.holds(++slot, line)) return null;
    this.older[set] = (slot & 1) ^ 1;
    const leaf = this.leaves[slot] as Versioned;
    return leaf.version === this.versions[slot] ? this.values[slot] : null;
  }

  /** Remembers `value` for this masked line while `leaf` stays at `version`. */
  set(line: MaskedLine, leaf: Versioned, version: number, value: V): void {
    if (this.setMask < 0 || line.length > MAX_KEY) return;
    const set = line.hash & this.setMask;
    const slot = this.slotFor(set, line);
    this.older[set] = (slot & 1) ^ 1;
    this.hashes[slot] = line.hash;
    this.keys[slot] = line.words.slice(0, (line.length + 1) >> 1);
    this.lengths[slot] = line.length;
    this.leaves[slot] = leaf;
    this.versions[slot] = version;
    this.values[slot] = value;
  }

  /** The slot of the set already holding this line (with a lapsed answer), else a free one, else the older. */
  private slotFor(set: number, line: MaskedLine): number {
    const a = set * 2;
    if (this.holds(a, line)) return a;
    if (this.holds(a + 1, line)) return a + 1;
    if (this.keys[a] === null) return a;
    if (this.keys[a + 1] === null) return a + 1;
    return a + this.older[set];
  }

  private holds(slot: number, line: MaskedLine): boolean {
    const key = this.keys[slot];
    if (key === null || this.hashes[slot] !== line.hash || this.lengths[slot] !== line.length) return false;
    const words = line.words;
    for (let i = 0; i < key.length; i++) if (key[i] !== words[i]) return false;
    return true;
  }
}
