// Counts per bucket key, for counters fed once per stored event. Consecutive events mostly fall in the bucket of the
// one before, so those are counted in `pending` and added to the Map only when another key comes or the counts are
// read: one comparison per event instead of a Map lookup and store. Keys enter the Map in the order they are first
// seen, exactly as with one Map update per event.

export class Tally {
  private readonly map: Map<number, number>;
  /** The key of the latest bump, and bumps of it not yet added to the Map. */
  private lastKey = NaN;
  private pending = 0;

  constructor(entries?: Iterable<[number, number]>) {
    this.map = new Map(entries);
  }

  /** Counts one at `key`; true when the key is new (one more cell). */
  bump(key: number): boolean {
    if (key === this.lastKey) {
      this.pending++;
      return false;
    }
    this.settle();
    this.lastKey = key;
    const prev = this.map.get(key);
    this.map.set(key, (prev ?? 0) + 1);
    return prev === undefined;
  }

  get size(): number {
    return this.map.size;
  }

  /** The counts by key, in the order keys were first seen. Changing them is allowed: see `changed`. */
  counts(): Map<number, number> {
    this.settle();
    return this.map;
  }

  /** After the Map from counts() had keys removed or replaced: the next bump goes to the Map again. */
  changed(): void {
    this.lastKey = NaN;
  }

  private settle(): void {
    if (this.pending === 0) return;
    this.map.set(this.lastKey, (this.map.get(this.lastKey) as number) + this.pending);
    this.pending = 0;
  }
}
